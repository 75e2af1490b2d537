/**
 * The fleet as the store holds it after a nightly run, judged for tonight: a stale cluster's deadline, severity and
 * cost follow the calendar, not the night it was last read; the run's failed account-regions become the report's
 * errors, one line for an account that failed alike in every region.
 */
import { assembleReport } from './audit-report.ts';
import { groupFailedTargets } from './digest.ts';
import { reassessAt } from './reassess.ts';
import type { AuditError, AuditReport, ClusterReport } from './report-types.ts';
import type { IsoInstant } from './types.ts';

/** A stored cluster record as tonight's judgement reads it. */
export interface StoredReportFacts {
  readonly report: ClusterReport;
  readonly stale: boolean;
  readonly deletedAt: IsoInstant | null;
}

/** An account-region's recorded outcome, as the report reads it. */
export interface RecordedOutcome {
  readonly accountId: string;
  readonly region: string | null;
  readonly status: 'OK' | 'FAILED';
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** The stored report as of `now`: re-judged when the cluster is stale, as stored when it was read tonight. */
export function reportTonight(stored: Pick<StoredReportFacts, 'report' | 'stale'>, now: Date): ClusterReport {
  return stored.stale ? reassessAt(stored.report, now) : stored.report;
}

/** The failed outcomes of a run as report errors: one line per account that failed alike in every audited region. */
export function runErrors(outcomes: readonly RecordedOutcome[], regions: readonly string[]): AuditError[] {
  const failed = outcomes.filter((t) => t.status === 'FAILED');
  return groupFailedTargets(
    failed.map((t) => ({
      accountId: t.accountId,
      region: t.region,
      code: t.errorCode ?? 'UNKNOWN',
      message: t.errorMessage ?? 'no detail recorded',
    })),
  ).flatMap((group): AuditError[] => {
    const everywhere = regions.length > 1 && regions.every((region) => group.regions.includes(region));
    if (everywhere || group.regions.length === 0) {
      return [{ accountId: group.accountId, region: null, code: group.code, message: group.message }];
    }
    return group.regions.map((region) => ({
      accountId: group.accountId,
      region,
      code: group.code,
      message: group.message,
    }));
  });
}

/**
 * The audit report of the fleet as stored after a run: every cluster not deleted (stale ones re-judged at `now`),
 * and the run's failed account-regions as errors.
 */
export function reportFromStoredFleet(input: {
  readonly clusters: readonly StoredReportFacts[];
  readonly outcomes: readonly RecordedOutcome[];
  readonly regions: readonly string[];
  readonly now: Date;
  readonly generatedAt: Date;
}): AuditReport {
  return assembleReport({
    clusters: input.clusters.filter((c) => c.deletedAt === null).map((c) => reportTonight(c, input.now)),
    errors: runErrors(input.outcomes, input.regions),
    now: input.now,
    generatedAt: input.generatedAt,
  });
}

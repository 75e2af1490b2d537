/**
 * The fleet as the store holds it after a nightly run, judged for tonight: a stale cluster's deadline, severity and
 * cost follow the calendar, not the night it was last read; the run's failed account-regions become the report's
 * errors, one line for an account that failed alike in every region.
 */
import { assembleReport } from './audit-report.ts';
import { groupFailedAccountRegions } from './digest.ts';
import { reassessAt } from './reassess.ts';
import type { AuditError, AuditReport, ClusterReport } from './report-types.ts';
import type { IsoInstant } from './types.ts';
import { runScope, staleMark } from './run-scope.ts';
import { withUpgradePhase } from './upgrade-phase-report.ts';
import type { StoredPhaseFacts } from './upgrade-phase-report.ts';
import type { RunScope, ScopeAccountRegion } from './run-scope.ts';

/** A stored cluster record as tonight's judgement reads it. */
interface StoredReportFacts {
  readonly report: ClusterReport;
  readonly stale: boolean;
  readonly deletedAt: IsoInstant | null;
  /** When it was last read: with it, a stale or out-of-scope cluster's report carries its `stale` mark. */
  readonly auditedAt?: IsoInstant;
  readonly staleReason?: string | null;
}

/** An account-region's recorded outcome, as the report reads it. */
interface RecordedOutcome {
  readonly accountId: string;
  readonly region: string | null;
  readonly status: 'OK' | 'FAILED';
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/**
 * The stored report as of `now`: as stored when it was read tonight; re-judged when the cluster is stale or (given
 * the run's scope) out of it, then marked with why (`stale`: code, last seen, reason) when its last read is known.
 */
export function reportTonight(
  stored: Pick<StoredReportFacts, 'report' | 'stale' | 'auditedAt' | 'staleReason'>,
  now: Date,
  scope: RunScope | null = null,
): ClusterReport {
  const mark = staleMark(stored, scope);
  if (!stored.stale && mark === null) return stored.report;
  const report = reassessAt(stored.report, now);
  return mark === null ? report : { ...report, stale: mark };
}

/** The failed outcomes of a run as report errors: one line per account that failed alike in every audited region. */
export function runErrors(outcomes: readonly RecordedOutcome[], regions: readonly string[]): AuditError[] {
  const failed = outcomes.filter((t) => t.status === 'FAILED');
  return groupFailedAccountRegions(
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
 * The audit report of the fleet as stored after a run: every cluster not deleted (stale and out-of-scope ones
 * re-judged at `now` and marked, each with its upgrade's phase when it has one), and the run's failed
 * account-regions as errors.
 */
export function reportFromStoredFleet(input: {
  readonly clusters: readonly StoredReportFacts[];
  readonly outcomes: readonly RecordedOutcome[];
  readonly regions: readonly string[];
  readonly now: Date;
  readonly generatedAt: Date;
  /** The account-regions the run scheduled: stored clusters outside them are marked OUT_OF_SCOPE. */
  readonly scheduled?: readonly ScopeAccountRegion[];
  /** The clusters' upgrade phases (PHASES items): each shows as its report's `upgrade.phase`. */
  readonly phases?: readonly StoredPhaseFacts[];
}): AuditReport {
  const scope = input.scheduled === undefined ? null : runScope(input.scheduled);
  const phases = new Map((input.phases ?? []).map((phase) => [phase.arn, phase]));
  return assembleReport({
    clusters: input.clusters
      .filter((c) => c.deletedAt === null)
      .map((c) => withUpgradePhase(reportTonight(c, input.now, scope), phases.get(c.report.arn))),
    errors: runErrors(input.outcomes, input.regions),
    now: input.now,
    generatedAt: input.generatedAt,
  });
}

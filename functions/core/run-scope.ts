/**
 * The scope of a nightly run: the account-regions it scheduled. A stored cluster outside it (its account left the
 * organization or the account list, its region left the configuration) was not audited at all: its record is its
 * last known state, marked `OUT_OF_SCOPE` with the date it was last seen, and it leaves the extended-support cost
 * total (nobody audits that bill any more). A cluster inside the scope whose account-region could not be read keeps
 * the existing stale treatment (`TARGET_UNREADABLE`) and still counts in every figure.
 */
import type { ClusterReport, StaleMark } from './report-types.ts';
import type { IsoInstant } from './types.ts';

/** The code of a stored cluster that this run did not audit. */
export const OUT_OF_SCOPE = 'OUT_OF_SCOPE';

/** The code of a stored cluster whose account-region this run could not read. */
export const TARGET_UNREADABLE = 'TARGET_UNREADABLE';

/** One account-region a run scheduled. */
export interface ScopeAccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** The account-regions (and accounts) of one run, ready for lookups. */
export interface RunScope {
  readonly accounts: ReadonlySet<string>;
  readonly targets: ReadonlySet<string>;
}

/** Whether a cluster was in the run's scope, with why. */
interface ScopeDecision {
  readonly code: 'IN_SCOPE' | typeof OUT_OF_SCOPE;
  readonly reason: string;
}

function accountRegionKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/** The scope of a run that scheduled `targets`. */
export function runScope(targets: readonly ScopeAccountRegion[]): RunScope {
  return {
    accounts: new Set(targets.map((t) => t.accountId)),
    targets: new Set(targets.map((t) => accountRegionKey(t.accountId, t.region))),
  };
}

/**
 * Was the cluster's account-region scheduled by the run? Out of scope either because the whole account was not
 * audited (it left the organization, or the account list) or because only its region was not (it left the
 * configured regions).
 */
export function judgeScope(cluster: Pick<ClusterReport, 'accountId' | 'region'>, scope: RunScope): ScopeDecision {
  const { accountId, region } = cluster;
  if (scope.targets.has(accountRegionKey(accountId, region))) {
    return { code: 'IN_SCOPE', reason: `${accountId}/${region} was audited by this run` };
  }
  if (scope.accounts.has(accountId)) {
    return {
      code: OUT_OF_SCOPE,
      reason: `region ${region} is no longer audited (not among the configured regions): last known state kept`,
    };
  }
  return {
    code: OUT_OF_SCOPE,
    reason:
      `account ${accountId} is no longer audited (it left the organization, the organizational units or the ` +
      'account list): last known state kept',
  };
}

/** A stored cluster as the stale rule reads it. */
interface StaleFacts {
  readonly report: Pick<ClusterReport, 'accountId' | 'region'>;
  readonly stale: boolean;
  /** When it was last read; without it a stale cluster cannot be marked (only re-judged). */
  readonly auditedAt?: IsoInstant;
  readonly staleReason?: string | null;
}

/**
 * Why a stored cluster's report is not tonight's read, or null when it is: out of the run's scope first (when the
 * scope is known), then stale because its account-region could not be read.
 */
export function staleMark(stored: StaleFacts, scope: RunScope | null): StaleMark | null {
  const lastSeen = stored.auditedAt;
  if (lastSeen === undefined) return null;
  if (scope !== null) {
    const decision = judgeScope(stored.report, scope);
    if (decision.code === OUT_OF_SCOPE) return { code: OUT_OF_SCOPE, lastSeen, reason: decision.reason };
  }
  if (!stored.stale) return null;
  return {
    code: TARGET_UNREADABLE,
    lastSeen,
    reason: stored.staleReason ?? 'its account or region could not be read: last known state kept',
  };
}

/** True for a cluster the run did not audit: it is listed, but leaves the cost total. */
export function isOutOfScope(report: Pick<ClusterReport, 'stale'>): boolean {
  return report.stale?.code === OUT_OF_SCOPE;
}

/**
 * The one cluster a command is about (`upgrade CLUSTER --dry-run`, `rollback CLUSTER`, `blue-green CLUSTER`), found by
 * name or ARN in what the session's one audit path read and judged. Every such command refuses alike: bad input
 * (exit 2) for an unknown or ambiguous CLUSTER, naming the account-regions that could not be read; a failure (exit 1)
 * when CLUSTER was listed but could not be read, with why, or when no account-region could be read at all.
 */
import type { FleetAudit } from '../application/audit-fleet.ts';
import type { ClusterReport } from '../core/report-types.ts';
import type { AddonCatalog, Calendar, ClusterState } from '../core/types.ts';
import type { FleetSession } from './fleet-session.ts';
import { terminalSafe } from './terminal-text.ts';
import { UsageError } from './usage.ts';

/** A cluster found in the audit, with its region's catalogs and its row of the report. */
export interface LocatedCluster {
  readonly cluster: ClusterState;
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  /** False when the region's add-on catalog could not be read: the decision blocks with FACTS_UNKNOWN. */
  readonly addonCatalogKnown?: boolean;
  /** Its row of the audit report (target, deadline, strategy); null when it could not be judged. */
  readonly report: ClusterReport | null;
}

/** The cluster exists but could not be read (DescribeCluster failed): exit 1 with the reason, not "unknown". */
class ClusterUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnreadableError';
  }
}

/** No account-region of the fleet could be read: exit 1 with the first cause. */
class FleetUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetUnreadableError';
  }
}

/** Whether `wanted` (a name or an ARN) names `name` in `accountId`. */
function names(wanted: string, accountId: string, name: string): boolean {
  return wanted === name || (wanted.startsWith('arn:') && wanted.endsWith(`:${accountId}:cluster/${name}`));
}

/** Why `wanted` could not be read, when it was listed but its DescribeCluster failed; else null. */
function unreadReason(audit: FleetAudit, wanted: string): string | null {
  const reasons = audit.accountRegions.flatMap(({ read }) =>
    read.inventory.failed
      .filter((failure) => names(wanted, read.accountId, failure.name))
      .map((failure) => `${failure.error.code}: ${failure.error.message}`),
  );
  return reasons.length === 0 ? null : reasons.join('; ');
}

/**
 * Finds CLUSTER by ARN or by name for `command`.
 *
 * @throws ClusterUnreadableError when it was listed but could not be read (exit 1).
 * @throws UsageError when it is unknown or names several clusters (exit 2).
 */
function locateCluster(audit: FleetAudit, wanted: string, command: string): LocatedCluster {
  const rows = new Map(audit.report.clusters.map((row) => [row.arn, row]));
  const found: LocatedCluster[] = [];
  for (const { read } of audit.accountRegions) {
    if (read.catalog === null) continue;
    for (const cluster of read.inventory.clusters) {
      if (cluster.arn !== wanted && cluster.name !== wanted) continue;
      found.push({
        cluster,
        calendar: read.catalog.calendar,
        catalog: read.catalog.catalog,
        ...(read.catalog.addonCatalogKnown === undefined ? {} : { addonCatalogKnown: read.catalog.addonCatalogKnown }),
        report: rows.get(cluster.arn) ?? null,
      });
    }
  }
  const [first, ...others] = found;
  if (first === undefined) {
    const unread = unreadReason(audit, wanted);
    if (unread !== null) {
      throw new ClusterUnreadableError(terminalSafe(`${command}: cluster "${wanted}" could not be read: ${unread}`));
    }
    // Account-regions that could not be read at all (a cluster that could not be read is not one of them).
    const read = new Set(audit.accountRegions.map(({ accountId, region }) => `${accountId}/${region}`));
    const unreadable = audit.report.errors
      .map((error) => `${error.accountId}${error.region === null ? '' : `/${error.region}`}`)
      .filter((where) => !read.has(where));
    const hint = unreadable.length === 0 ? '' : `; not readable: ${[...new Set(unreadable)].join(', ')}`;
    throw new UsageError(terminalSafe(`${command}: unknown cluster "${wanted}" (give its name or ARN)${hint}`));
  }
  if (others.length > 0) {
    const arns = found.map((f) => f.cluster.arn).join(', ');
    throw new UsageError(terminalSafe(`${command}: "${wanted}" names ${found.length} clusters; give one ARN: ${arns}`));
  }
  return first;
}

/**
 * Audits the fleet through the session's one audit path and finds CLUSTER in it for `command`.
 *
 * @throws FleetUnreadableError when no account-region could be read (exit 1), else as {@link locateCluster}.
 */
export async function lookUpCluster(
  session: Pick<FleetSession, 'audit'>,
  wanted: string,
  command: string,
  now: Date,
): Promise<{ audit: FleetAudit; located: LocatedCluster }> {
  const audit = await session.audit(now);
  if (audit.accountRegions.length === 0) {
    const first = audit.report.errors[0];
    const cause = first === undefined ? '' : `: ${first.code}: ${first.message}`;
    throw new FleetUnreadableError(terminalSafe(`no account-region could be read${cause}`));
  }
  return { audit, located: locateCluster(audit, wanted, command) };
}

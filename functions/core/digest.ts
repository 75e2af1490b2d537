/**
 * The nightly digest (DESIGN §4, §5.4): one DIGEST message per run summarising the whole fleet — clusters by
 * severity, the ten most urgent clusters, the extended-support bill, the account-regions that could not be read and the
 * clusters whose records are stale because of them. Pure: the handler gathers the facts, this decides the words.
 *
 * Decisions where the design is silent:
 * - Stale clusters (their account or region could not be read tonight) count in every figure with their last known
 *   report, and are listed with since when and why; a reader must not think they disappeared.
 * - The digest's `severity` attribute is the most urgent severity in the fleet (OK for an empty fleet), so a filter
 *   policy can route quiet nights away; `accountId` is `ALL` because a digest is about every account.
 * - Failed account-regions with the same account, code and message are one line listing their regions: an account that
 *   denies access fails in every region for the same reason.
 */
import { clampSubject } from './messages.ts';
import type { OutgoingMessage } from './messages.ts';
import type { AuditWarning, ClusterReport } from './report-types.ts';
import { summarize } from './audit-report.ts';
import { SEVERITIES } from './types.ts';
import { OUT_OF_SCOPE, TARGET_UNREADABLE, isOutOfScope } from './run-scope.ts';
import type { IsoInstant, Severity } from './types.ts';

/** How many clusters the digest names as most urgent. */
export const DIGEST_TOP_CLUSTERS = 10;

/**
 * How many stale clusters, deleted clusters and failed account-region groups the digest lists; the rest are counted
 * (`…Total`). With the ten most urgent this keeps the digest at most 20 clusters, far below SNS's 256 KB however
 * large the fleet or however many of its clusters are stale.
 */
export const DIGEST_LISTED_STALE = 5;
const DIGEST_LISTED_DELETED = 5;
const DIGEST_LISTED_FAILURES = 10;

/** The `accountId` message attribute of a digest, which covers every account. */
const DIGEST_ACCOUNT_ATTRIBUTE = 'ALL';

/**
 * One cluster of the fleet as the digest sees it: its latest report and whether that report is stale (the stored
 * flag: its account-region could not be read). A report marked `stale` OUT_OF_SCOPE (not audited by this run) is
 * listed as stale too, and leaves the cost total.
 */
export interface DigestCluster {
  readonly report: ClusterReport;
  /** When `report` was produced. */
  readonly auditedAt: IsoInstant;
  readonly stale: boolean;
  readonly staleSince: IsoInstant | null;
  readonly staleReason: string | null;
}

/** An account-region (or a whole account when `region` is null) this run could not read. */
export interface DigestFailedAccountRegion {
  readonly accountId: string;
  readonly region: string | null;
  readonly code: string;
  readonly message: string;
}

/** A cluster a complete read no longer found. */
interface DigestDeletedCluster {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
}

/** Everything the digest of one run says. */
export interface DigestInput {
  readonly runId: string;
  /** The run's clock. */
  readonly now: Date;
  /** Every live cluster of the fleet (not deleted): fresh from this run, or stale. */
  readonly clusters: readonly DigestCluster[];
  readonly failedTargets: readonly DigestFailedAccountRegion[];
  /** Clusters this run found deleted. */
  readonly deleted: readonly DigestDeletedCluster[];
  /** Deadline-threshold messages this run sent. */
  readonly alertsSent: number;
  /** What degraded without failing (a catalog unread, the bundled calendar used); default none. */
  readonly warnings?: readonly AuditWarning[];
}

/** An urgent cluster, as the digest's JSON event lists it. */
interface DigestUrgentCluster {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: string;
  readonly severity: Severity;
  readonly deadline: ClusterReport['deadline'];
  readonly extendedSupportMonthlyUsd: number;
  readonly stale: boolean;
}

/** Failed account-regions grouped by account, code and message. */
interface DigestFailureGroup {
  readonly accountId: string;
  /** Sorted; empty when the whole account failed (region null). */
  readonly regions: readonly string[];
  readonly code: string;
  readonly message: string;
}

/** A stale cluster as the digest lists it. */
interface DigestStaleCluster {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: string;
  readonly severity: Severity;
  readonly lastAuditedAt: IsoInstant;
  readonly staleSince: IsoInstant | null;
  readonly reason: string | null;
  /** TARGET_UNREADABLE, or OUT_OF_SCOPE (its account or region was not audited by this run). */
  readonly code: typeof TARGET_UNREADABLE | typeof OUT_OF_SCOPE;
}

/** The `detail` of a DIGEST event (DESIGN §5.4, version 1). */
export interface DigestDetail {
  readonly runId: string;
  readonly now: IsoInstant;
  readonly clusters: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly extendedSupportMonthlyUsd: number;
  readonly alertsSent: number;
  readonly mostUrgent: readonly DigestUrgentCluster[];
  readonly failedTargets: readonly DigestFailureGroup[];
  readonly staleClusters: readonly DigestStaleCluster[];
  readonly deletedClusters: readonly DigestDeletedCluster[];
  /** Present when something degraded: the run's warnings, and the clusters read only in part. */
  readonly warnings?: readonly AuditWarning[];
  readonly partialClusters?: readonly string[];
  /** How many clusters were read only in part (the list above names at most 20). */
  readonly partialClustersTotal?: number;
  /** How many there are in all (the lists above are cut to {@link DIGEST_LISTED_STALE} …). */
  readonly failedTargetsTotal: number;
  readonly staleClustersTotal: number;
  readonly deletedClustersTotal: number;
  /** How many of the stale clusters are out of scope (not audited by this run, left out of the cost). */
  readonly outOfScopeClustersTotal: number;
}

function byPlace(
  a: Pick<ClusterReport, 'accountId' | 'region' | 'name'>,
  b: Pick<ClusterReport, 'accountId' | 'region' | 'name'>,
): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name);
}

/**
 * Most urgent first: higher severity, then fewer days to the deadline (a cluster with no deadline — its version is
 * not in the calendar — before any with one), then account, region and name.
 */
export function compareUrgency(a: ClusterReport, b: ClusterReport): number {
  const severity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  if (severity !== 0) return severity;
  const days = (a.deadline?.daysRemaining ?? -Infinity) - (b.deadline?.daysRemaining ?? -Infinity);
  if (days !== 0 && !Number.isNaN(days)) return days;
  return byPlace(a, b);
}

/** Groups failed account-regions that share account, code and message, listing their regions. */
export function groupFailedAccountRegions(targets: readonly DigestFailedAccountRegion[]): DigestFailureGroup[] {
  const groups = new Map<string, { accountId: string; regions: string[]; code: string; message: string }>();
  for (const target of targets) {
    const key = JSON.stringify([target.accountId, target.code, target.message]);
    const group = groups.get(key) ?? {
      accountId: target.accountId,
      regions: [],
      code: target.code,
      message: target.message,
    };
    if (target.region !== null && !group.regions.includes(target.region)) group.regions.push(target.region);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, regions: [...group.regions].sort() }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.code.localeCompare(b.code));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function severityCounts(bySeverity: Readonly<Record<Severity, number>>): string {
  return [...SEVERITIES]
    .reverse()
    .filter((severity) => bySeverity[severity] > 0)
    .map((severity) => `${bySeverity[severity]} ${severity}`)
    .join(', ');
}

function deadlineWords(report: ClusterReport): string {
  const { deadline } = report;
  if (deadline === null) return `version ${report.version} is not in the support calendar`;
  const what = deadline.consequence === 'AUTO_UPGRADE' ? 'automatic upgrade' : 'extended-support billing';
  if (deadline.daysRemaining <= 0) return `${what} deadline ${deadline.date} passed`;
  return `${what} in ${plural(deadline.daysRemaining, 'day')} (${deadline.date})`;
}

function urgentLine(cluster: DigestCluster, index: number): string {
  const { report } = cluster;
  const cost = report.extendedSupportMonthlyUsd > 0 ? `, $${report.extendedSupportMonthlyUsd}/month` : '';
  const stale = isOutOfScope(report)
    ? ` [out of scope: last read ${cluster.auditedAt}]`
    : cluster.stale
      ? ` [stale: last read ${cluster.auditedAt}]`
      : '';
  return (
    `  ${index + 1}. ${report.severity.padEnd(8)} ${report.name} (${report.accountId}, ${report.region}) ` +
    `${report.version}: ${deadlineWords(report)}${cost}${stale}`
  );
}

function failureLine(group: DigestFailureGroup): string {
  const where = group.regions.length === 0 ? 'all regions' : group.regions.join(', ');
  return `  ${group.accountId} (${where}): ${group.code}: ${group.message}`;
}

function staleLine(cluster: DigestStaleCluster): string {
  const since =
    cluster.code === OUT_OF_SCOPE
      ? ', out of scope'
      : cluster.staleSince === null
        ? ''
        : `, stale since ${cluster.staleSince}`;
  const why = cluster.reason === null ? '' : `: ${cluster.reason}`;
  return (
    `  ${cluster.name} (${cluster.accountId}, ${cluster.region}) ${cluster.version} ${cluster.severity}, ` +
    `last read ${cluster.lastAuditedAt}${since}${why}`
  );
}

/** Stale in the digest's eyes: unreadable tonight (the stored flag) or marked (out of scope). */
function isStale(cluster: DigestCluster): boolean {
  return cluster.stale || cluster.report.stale !== undefined;
}

/** The digest's detail: the figures, in the order the text reads them. */
export function digestDetail(input: DigestInput): DigestDetail {
  const clusters = [...input.clusters].sort((a, b) => compareUrgency(a.report, b.report));
  const { bySeverity, extendedSupportMonthlyUsd } = summarize(
    clusters.map(({ report }) => report),
    0,
  );
  const failures = groupFailedAccountRegions(input.failedTargets);
  const staleAll = clusters.filter(isStale);
  return {
    runId: input.runId,
    now: input.now.toISOString(),
    clusters: clusters.length,
    bySeverity,
    extendedSupportMonthlyUsd,
    alertsSent: input.alertsSent,
    mostUrgent: clusters.slice(0, DIGEST_TOP_CLUSTERS).map(({ report, stale }) => ({
      accountId: report.accountId,
      region: report.region,
      name: report.name,
      arn: report.arn,
      version: report.version,
      severity: report.severity,
      deadline: report.deadline,
      extendedSupportMonthlyUsd: report.extendedSupportMonthlyUsd,
      stale: stale || report.stale !== undefined,
    })),
    failedTargets: failures.slice(0, DIGEST_LISTED_FAILURES),
    // The most urgent stale clusters are listed (in place order), the rest counted.
    staleClusters: staleAll
      .slice(0, DIGEST_LISTED_STALE)
      .sort((a, b) => byPlace(a.report, b.report))
      .map((c) => ({
        accountId: c.report.accountId,
        region: c.report.region,
        name: c.report.name,
        arn: c.report.arn,
        version: c.report.version,
        severity: c.report.severity,
        lastAuditedAt: c.auditedAt,
        staleSince: c.staleSince,
        reason: c.report.stale?.reason ?? c.staleReason,
        code: c.report.stale?.code ?? TARGET_UNREADABLE,
      })),
    deletedClusters: [...input.deleted].sort(byPlace).slice(0, DIGEST_LISTED_DELETED),
    failedTargetsTotal: failures.length,
    staleClustersTotal: staleAll.length,
    deletedClustersTotal: input.deleted.length,
    outOfScopeClustersTotal: staleAll.filter((c) => isOutOfScope(c.report)).length,
    ...warningsPart(input),
  };
}

/** The digest's small warnings part: what degraded without failing, and which clusters were read only in part. */
function warningsPart(input: DigestInput): Pick<DigestDetail, 'warnings' | 'partialClusters' | 'partialClustersTotal'> {
  const warnings = input.warnings ?? [];
  const partial = input.clusters
    .filter(({ report }) => (report.partial ?? []).length > 0)
    .map(({ report }) => report)
    .sort(byPlace)
    .map((report) => `${report.name} (${report.accountId}, ${report.region})`);
  return {
    ...(warnings.length === 0 ? {} : { warnings }),
    ...(partial.length === 0 ? {} : { partialClusters: partial.slice(0, 20), partialClustersTotal: partial.length }),
  };
}

/**
 * The DIGEST message of one run: a subject with the headline figures (at most 100 characters), readable text for e-mail (headline, the ten
 * most urgent clusters, failed account-regions, stale and deleted clusters), and the versioned JSON event.
 *
 * @example buildDigest({ runId, now, clusters, failedTargets: [], deleted: [], alertsSent: 2 }).subject
 *   // 'EKS digest 2026-11-22: 9 clusters, 1 EXPIRED, 2 WARNING' (OK clusters are counted in the text only)
 */
export function buildDigest(input: DigestInput): OutgoingMessage {
  const detail = digestDetail(input);
  const day = detail.now.slice(0, 10);
  const counts = severityCounts(detail.bySeverity);
  const failedCount = input.failedTargets.length;
  const headline =
    `EKS fleet digest for ${day} (run ${detail.runId}): ${plural(detail.clusters, 'cluster')}` +
    `${counts === '' ? '' : ` (${counts})`}. Extended support costs $${detail.extendedSupportMonthlyUsd}/month. ` +
    `${plural(detail.alertsSent, 'deadline alert')} sent by this run.` +
    (failedCount === 0
      ? ''
      : ` ${plural(failedCount, 'account-region')} could not be read; their clusters are stale.`) +
    (detail.outOfScopeClustersTotal === 0
      ? ''
      : ` ${plural(detail.outOfScopeClustersTotal, 'cluster')} no longer audited (out of scope) left out of the cost.`);
  const sections = [headline];
  const urgent = [...input.clusters].sort((a, b) => compareUrgency(a.report, b.report)).slice(0, DIGEST_TOP_CLUSTERS);
  if (urgent.length > 0) sections.push(['Most urgent:', ...urgent.map(urgentLine)].join('\n'));
  const more = (total: number, listed: number): string[] => (total > listed ? [`  … and ${total - listed} more`] : []);
  if (detail.failedTargets.length > 0) {
    const lines = [
      ...detail.failedTargets.map(failureLine),
      ...more(detail.failedTargetsTotal, detail.failedTargets.length),
    ];
    sections.push(['Could not be read:', ...lines].join('\n'));
  }
  if (detail.staleClusters.length > 0) {
    const lines = [
      ...detail.staleClusters.map(staleLine),
      ...more(detail.staleClustersTotal, detail.staleClusters.length),
    ];
    sections.push(['Stale (last known state kept):', ...lines].join('\n'));
  }
  if (detail.deletedClusters.length > 0) {
    const lines = [
      ...detail.deletedClusters.map((c) => `  ${c.name} (${c.accountId}, ${c.region})`),
      ...more(detail.deletedClustersTotal, detail.deletedClusters.length),
    ];
    sections.push(['No longer found (marked deleted):', ...lines].join('\n'));
  }
  if (detail.warnings !== undefined || detail.partialClusters !== undefined) {
    const lines = (detail.warnings ?? []).map((w) => `  ${w.region ?? 'all regions'}: ${w.code}: ${w.message}`);
    const partial = detail.partialClusters ?? [];
    if (partial.length > 0) {
      const shown = partial.slice(0, DIGEST_TOP_CLUSTERS).join(', ');
      const more = partial.length > DIGEST_TOP_CLUSTERS ? ` and ${partial.length - DIGEST_TOP_CLUSTERS} more` : '';
      lines.push(`  read in part (no upgrade until known): ${shown}${more}`);
    }
    sections.push(['Warnings:', ...lines].join('\n'));
  }
  const worst = [...SEVERITIES].reverse().find((severity) => detail.bySeverity[severity] > 0) ?? 'OK';
  const urgentCounts = severityCounts({ ...detail.bySeverity, OK: 0 });
  // "regions" (each is one region of one account) keeps a four-severity subject within the 100 characters.
  const unreadable = failedCount === 0 ? '' : `; ${plural(failedCount, 'region')} unreadable`;
  const subject = `EKS digest ${day}: ${plural(detail.clusters, 'cluster')}${urgentCounts === '' ? '' : `, ${urgentCounts}`}`;
  return {
    subject: clampSubject(`${subject}${unreadable}`),
    attributes: { type: 'DIGEST', severity: worst, accountId: DIGEST_ACCOUNT_ATTRIBUTE },
    event: { schemaVersion: 1, type: 'DIGEST', detail: { ...detail }, text: sections.join('\n\n') },
  };
}

/**
 * Judges one cluster: support status, deadline, severity, cost, skew, add-on readiness, findings and the upgrade
 * plan — the whole row of the audit report, computed from observed state, the region's catalogs and the clock.
 */
import { assessAddon } from './addons.ts';
import { calendarEntry, supportStatusAt } from './calendar.ts';
import { computeDeadline, extendedSupportMonthlyUsd, isBilledExtended, severityOf } from './deadline.ts';
import { lifecycleFindings } from './findings.ts';
import { optInFindings, parseOptInTags } from './opt-in-tags.ts';
import type { ClusterReport } from './report-types.ts';
import { assessSkew } from './skew.ts';
import { InvalidVersionError } from './errors.ts';
import type {
  AddonCatalog,
  Calendar,
  ClusterState,
  NodegroupState,
  Severity,
  SupportStatus,
  Version,
} from './types.ts';
import { compareVersions } from './versions.ts';
import { decideUpgrade, prepareBlockerInput } from './upgrade-decision.ts';
import { clusterStrategy } from './cluster-strategy.ts';
import { strategyFindings } from './strategy.ts';
import type { UpgradeContext } from './upgrade-decision.ts';

/** What a cluster is judged against besides itself. */
export interface AssessmentContext extends UpgradeContext {
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  readonly now: Date;
}

/**
 * Minors the node group lags its control plane, or null when the two versions cannot be compared (malformed or
 * another major version); the node-group finding then says why.
 */
function comparableSkew(controlPlane: Version, nodegroup: NodegroupState): number | null {
  try {
    return assessSkew(controlPlane, nodegroup).skew;
  } catch (error) {
    if (error instanceof InvalidVersionError) return null;
    throw error;
  }
}

function isNewerThanCalendar(calendar: Calendar, version: Version): boolean {
  try {
    return calendar.length > 0 && calendar.every((row) => compareVersions(row.version, version) < 0);
  } catch (error) {
    if (error instanceof InvalidVersionError) return false;
    throw error;
  }
}

/** The audit report row for one cluster (DESIGN §5.2). */
export function assessCluster(cluster: ClusterState, ctx: AssessmentContext): ClusterReport {
  const entry = calendarEntry(ctx.calendar, cluster.version);
  // A version newer than every calendar row means the calendar is stale, not the cluster: newly released
  // versions are in standard support; the VERSION_UNSUPPORTED finding (WARNING) says the calendar lags.
  const newerThanCalendar = entry === undefined && isNewerThanCalendar(ctx.calendar, cluster.version);
  const supportStatus: SupportStatus =
    entry !== undefined ? supportStatusAt(entry, ctx.now) : newerThanCalendar ? 'STANDARD_SUPPORT' : 'UNSUPPORTED';
  const deadline = entry === undefined ? null : computeDeadline(entry, cluster.supportType, ctx.now);
  const billedExtended = isBilledExtended(supportStatus, cluster.supportType);
  const severity: Severity =
    deadline !== null
      ? severityOf({ supportStatus, deadline, billedExtended })
      : newerThanCalendar
        ? 'WARNING'
        : 'EXPIRED';
  const policy = parseOptInTags(cluster.tags, ctx.tagPrefix);
  const strategy = clusterStrategy(prepareBlockerInput(cluster, ctx));
  return {
    accountId: cluster.accountId,
    region: cluster.region,
    name: cluster.name,
    arn: cluster.arn,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    status: cluster.status,
    supportType: cluster.supportType,
    supportStatus,
    endOfStandardSupport: entry?.endOfStandardSupport ?? null,
    endOfExtendedSupport: entry?.endOfExtendedSupport ?? null,
    deadline,
    severity,
    extendedSupportMonthlyUsd: extendedSupportMonthlyUsd(billedExtended),
    nodegroups: cluster.nodegroups.map((ng) => ({
      name: ng.name,
      version: ng.version,
      releaseVersion: ng.releaseVersion,
      status: ng.status,
      skew: comparableSkew(cluster.version, ng),
    })),
    addons: cluster.addons.map((addon) => assessAddon(addon, cluster.version, ctx.catalog)),
    findings: [
      ...lifecycleFindings(cluster, { calendar: ctx.calendar, catalog: ctx.catalog, now: ctx.now }),
      ...optInFindings(policy),
      ...strategyFindings(strategy),
    ],
    upgrade: decideUpgrade(cluster, ctx),
    strategy,
  };
}

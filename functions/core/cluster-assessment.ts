/**
 * Judges one cluster: support status, deadline, severity, cost, skew, add-on readiness, findings and the upgrade
 * plan — the whole row of the audit report, computed from observed state, the region's catalogs and the clock.
 */
import { assessAddon } from './addons.ts';
import { clusterSeverity } from './cluster-severity.ts';
import { calendarEntry } from './calendar.ts';
import { lifecycleAt } from './lifecycle.ts';
import { lifecycleFindings } from './findings.ts';
import { optInFindings, parseOptInTags } from './opt-in-tags.ts';
import { ownerOf } from './owner.ts';
import { partialReadFindings, partialReport } from './partial-facts.ts';
import { subresourceFindings } from './subresource-opt-in.ts';
import type { ClusterReport } from './report-types.ts';
import { clusterRollback, rollbackFinding } from './rollback-readiness.ts';
import { assessSkew } from './skew.ts';
import { InvalidVersionError } from './errors.ts';
import type { AddonCatalog, Calendar, ClusterState, NodegroupState, Version } from './types.ts';
import { compareVersions } from './versions.ts';
import { decideUpgrade, prepareBlockerInput } from './upgrade-decision.ts';
import { clusterStrategy } from './cluster-strategy.ts';
import { strategyFindings } from './strategy.ts';
import type { UpgradeContext } from './upgrade-decision.ts';
import { DEFAULT_TAG_PREFIX } from './defaults.ts';

/** What a cluster is judged against besides itself. */
export interface AssessmentContext extends UpgradeContext {
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  readonly now: Date;
  /** Tag keys naming the owner, first present wins (default `team`, `owner`). */
  readonly ownerTags?: readonly string[];
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
  const { supportStatus, deadline, severity, extendedSupportMonthlyUsd } = lifecycleAt(
    entry,
    cluster.supportType,
    ctx.now,
    newerThanCalendar,
  );
  const policy = parseOptInTags(cluster.tags, ctx.tagPrefix);
  const rollback = clusterRollback(cluster, ctx);
  const rollbackNote = rollback === null ? null : rollbackFinding(rollback, ctx.now);
  const strategy = clusterStrategy(prepareBlockerInput(cluster, ctx));
  const findings = [
    ...lifecycleFindings(cluster, { calendar: ctx.calendar, catalog: ctx.catalog, now: ctx.now }),
    ...optInFindings(policy),
    ...(rollbackNote === null ? [] : [rollbackNote]),
    ...strategyFindings(strategy),
    ...partialReadFindings(cluster),
    ...subresourceFindings(cluster, policy.autoUpgrade, ctx.tagPrefix ?? DEFAULT_TAG_PREFIX),
  ];
  return {
    accountId: cluster.accountId,
    accountName: null,
    region: cluster.region,
    name: cluster.name,
    owner: ownerOf(cluster.tags, ctx.ownerTags),
    arn: cluster.arn,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    status: cluster.status,
    supportType: cluster.supportType,
    supportStatus,
    endOfStandardSupport: entry?.endOfStandardSupport ?? null,
    endOfExtendedSupport: entry?.endOfExtendedSupport ?? null,
    deadline: deadline === null ? null : { ...deadline, severity },
    severity: clusterSeverity(severity, findings),
    extendedSupportMonthlyUsd,
    nodegroups: cluster.nodegroups.map((ng) => ({
      name: ng.name,
      version: ng.version,
      releaseVersion: ng.releaseVersion,
      status: ng.status,
      skew: comparableSkew(cluster.version, ng),
    })),
    addons: cluster.addons.map((addon) =>
      ctx.addonCatalogKnown === false
        ? {
            name: addon.name,
            version: addon.version,
            compatible: null,
            compatibleWithNext: null,
            recommendedForNext: null,
          }
        : assessAddon(addon, cluster.version, ctx.catalog),
    ),
    findings,
    upgrade: decideUpgrade(cluster, ctx),
    ...(rollback === null ? {} : { rollback }),
    strategy,
    partial: partialReport(cluster),
  };
}

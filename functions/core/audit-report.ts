/**
 * Assembles the fleet's audit report from what the inventory read: every cluster judged against its region's
 * catalogs and the whole fleet's waves, sorted by account, region and name, with a summary.
 */
import { assessCluster } from './cluster-assessment.ts';
import { DomainError } from './errors.ts';
import { parseOptInTags } from './opt-in-tags.ts';
import type { AuditError, AuditReport, AuditSummary, AuditWarning, ClusterReport } from './report-types.ts';
import { SEVERITIES } from './types.ts';
import type { AddonCatalog, Calendar, ClusterState, Severity } from './types.ts';
import type { LockLease } from './lock-lease.ts';
import { unreadableAccountRegions } from './waves.ts';
import { isOutOfScope } from './run-scope.ts';
import type { UnreadableAccountRegion, WaveMember } from './waves.ts';
import { DEFAULT_SOAK_DAYS, DEFAULT_TAG_PREFIX } from './defaults.ts';

/** The clusters of one account-region and the catalogs of that region. */
export interface InventoriedRegion {
  readonly clusters: readonly ClusterState[];
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
}

export interface AuditInput {
  readonly regions: readonly InventoriedRegion[];
  /**
   * What could not be read (an account, an account-region, or clusters of one). The wave rule treats each as a
   * part of the fleet scope whose lower-wave clusters cannot be confirmed.
   */
  readonly errors: readonly AuditError[];
  readonly now: Date;
  /** When the report was produced (the real clock, read by the caller); defaults to `now`. */
  readonly generatedAt?: Date;
  readonly tagPrefix?: string;
  readonly soakDays?: number;
  /** Upgrade locks currently held, by cluster ARN. */
  readonly locks?: ReadonlyMap<string, LockLease>;
  /** Tag keys naming a cluster's owner (default `team`, `owner`). */
  readonly ownerTags?: readonly string[];
}

/** The opted-in clusters of the fleet, each with its wave: who gates whom. */
export function waveMembers(clusters: readonly ClusterState[], tagPrefix = DEFAULT_TAG_PREFIX): WaveMember[] {
  return clusters.flatMap((cluster) => {
    const policy = parseOptInTags(cluster.tags, tagPrefix);
    if (!policy.autoUpgrade) return [];
    return [
      {
        arn: cluster.arn,
        name: cluster.name,
        wave: policy.wave,
        version: cluster.version,
        versionSince: cluster.versionSince,
        rolloutGroup: policy.rolloutGroup,
      },
    ];
  });
}

/** Code-point order: the same on every machine, whatever its locale. */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders clusters as the report contract says: by account id, region, name. */
export function compareClusters(
  a: Pick<ClusterReport, 'accountId' | 'region' | 'name'>,
  b: Pick<ClusterReport, 'accountId' | 'region' | 'name'>,
): number {
  return ordinal(a.accountId, b.accountId) || ordinal(a.region, b.region) || ordinal(a.name, b.name);
}

/** What the clusters of one account-region are judged against, besides themselves. */
export interface JudgeContext {
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  /** False when the region's add-on catalog could not be read: compatibility unknown, upgrades FACTS_UNKNOWN. */
  readonly addonCatalogKnown?: boolean;
  readonly now: Date;
  readonly tagPrefix: string;
  /** The opted-in clusters of the fleet: who gates whom. */
  readonly fleet: readonly WaveMember[];
  readonly soakDays: number;
  /** Parts of the fleet scope whose lower-wave clusters cannot be confirmed. */
  readonly unreadable: readonly UnreadableAccountRegion[];
  /** Upgrade locks currently held, by cluster ARN. */
  readonly locks?: ReadonlyMap<string, LockLease>;
  /** Tag keys naming a cluster's owner (default `team`, `owner`). */
  readonly ownerTags?: readonly string[];
}

/** One cluster and the report row it was judged to. */
export interface JudgedCluster {
  readonly cluster: ClusterState;
  readonly report: ClusterReport;
}

/** The clusters that could be judged, in report order, and one `CLUSTER_NOT_ASSESSED` error per cluster that could not. */
interface JudgedClusters {
  readonly judged: readonly JudgedCluster[];
  readonly errors: readonly AuditError[];
}

/** The error code of a cluster whose data the rules cannot judge (a malformed version, say). */
export const CLUSTER_NOT_ASSESSED = 'CLUSTER_NOT_ASSESSED';

/**
 * Judges clusters of one region. A cluster whose data the rules cannot judge becomes a `CLUSTER_NOT_ASSESSED` error
 * naming it, and the others are judged all the same: one bad cluster must not sink its account-region.
 */
export function judgeClusters(clusters: readonly ClusterState[], ctx: JudgeContext): JudgedClusters {
  const judged: JudgedCluster[] = [];
  const errors: AuditError[] = [];
  for (const cluster of clusters) {
    try {
      const report = assessCluster(cluster, {
        calendar: ctx.calendar,
        catalog: ctx.catalog,
        ...(ctx.addonCatalogKnown === undefined ? {} : { addonCatalogKnown: ctx.addonCatalogKnown }),
        now: ctx.now,
        tagPrefix: ctx.tagPrefix,
        fleet: ctx.fleet,
        soakDays: ctx.soakDays,
        unreadable: ctx.unreadable,
        lock: ctx.locks?.get(cluster.arn) ?? null,
        ...(ctx.ownerTags === undefined ? {} : { ownerTags: ctx.ownerTags }),
      });
      judged.push({ cluster, report });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({
        accountId: cluster.accountId,
        region: cluster.region,
        code: CLUSTER_NOT_ASSESSED,
        message: `cluster ${cluster.name}: ${error.message}`,
      });
    }
  }
  judged.sort((a, b) => compareClusters(a.report, b.report));
  return { judged, errors };
}

/**
 * The report's summary: clusters, counts by severity, errors and extended-support dollars per month. A cluster the
 * run did not audit (`OUT_OF_SCOPE`) is counted but leaves the cost total.
 */
export function summarize(
  clusters: readonly (Pick<ClusterReport, 'severity' | 'extendedSupportMonthlyUsd'> & Pick<ClusterReport, 'stale'>)[],
  errors: number,
): AuditSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const cluster of clusters) bySeverity[cluster.severity] += 1;
  return {
    clusters: clusters.length,
    bySeverity,
    errors,
    extendedSupportMonthlyUsd: clusters.reduce(
      (sum, c) => sum + (isOutOfScope(c) ? 0 : c.extendedSupportMonthlyUsd),
      0,
    ),
  };
}

/** The report document (DESIGN §5.2, version 1) around judged clusters and errors, clusters in report order. */
export function assembleReport(input: {
  readonly clusters: readonly ClusterReport[];
  readonly errors: readonly AuditError[];
  readonly warnings?: readonly AuditWarning[];
  readonly now: Date;
  readonly generatedAt?: Date;
}): AuditReport {
  const clusters = [...input.clusters].sort(compareClusters);
  return {
    schemaVersion: 1,
    generatedAt: (input.generatedAt ?? input.now).toISOString(),
    now: input.now.toISOString(),
    summary: summarize(clusters, input.errors.length),
    clusters,
    errors: [...input.errors],
    warnings: [...(input.warnings ?? [])],
  };
}

/**
 * The report (DESIGN §5.2, version 1). Every cluster is judged against the waves of the whole fleet read; when some
 * of the fleet could not be read (`errors`), no cluster above wave 0 is ready, since its lower waves cannot be
 * confirmed.
 */
export function buildAuditReport(input: AuditInput): AuditReport {
  const tagPrefix = input.tagPrefix ?? DEFAULT_TAG_PREFIX;
  const fleet = waveMembers(
    input.regions.flatMap((region) => region.clusters),
    tagPrefix,
  );
  const unreadable = unreadableAccountRegions(input.errors);
  const judged = input.regions.map((region) =>
    judgeClusters(region.clusters, {
      calendar: region.calendar,
      catalog: region.catalog,
      now: input.now,
      tagPrefix,
      fleet,
      soakDays: input.soakDays ?? DEFAULT_SOAK_DAYS,
      unreadable,
      ...(input.locks === undefined ? {} : { locks: input.locks }),
      ...(input.ownerTags === undefined ? {} : { ownerTags: input.ownerTags }),
    }),
  );
  return assembleReport({
    clusters: judged.flatMap((region) => region.judged.map(({ report }) => report)),
    errors: [...input.errors, ...judged.flatMap((region) => region.errors)],
    now: input.now,
    ...(input.generatedAt === undefined ? {} : { generatedAt: input.generatedAt }),
  });
}

/**
 * Fresh facts for the upgrade tasks: the cluster re-read whole through the upgrade role (every gate re-checks right
 * before it acts), its region's catalogs, the lock as stored, and the wave scope as the store knows it.
 *
 * Decision: the parts of the fleet that could not be read are those the latest audit run recorded FAILED. The store
 * has no "latest run" index; the latest run is the one that wrote the most recently audited stored cluster (the run
 * that dispatched the upgrade, or a later one). A later run that could read nothing at all wrote no cluster and is
 * not seen; its failures leave the stored clusters stale, with their last known versions.
 */
import { createLimiter } from '../../shared/limit.ts';
import { readCluster } from '../../adapters/eks-inventory.ts';
import type { RegionCatalog } from '../../adapters/eks-catalog.ts';
import type { ClusterUpdater } from '../ports/cluster-updater.ts';
import { mapLimited } from '../../shared/limit.ts';
import type { ClusterRef } from '../../core/messages.ts';
import {
  storedWaveMember,
  unreadableWithStoredGroups,
  versionSinceFromHistory,
} from '../../core/stored-wave-members.ts';
import type { ClusterState } from '../../core/types.ts';
import type { StoredCluster } from '../ports/fleet-store.ts';
import { unreadableAccountRegions } from '../../core/waves.ts';
import type { UnreadableAccountRegion, WaveMember } from '../../core/waves.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

/** Calls in flight per cluster read. */
const READ_CONCURRENCY = 8;

/** The cluster as EKS reports it now, and its region's catalogs. */
export async function readLiveCluster(
  deps: UpgradeTaskDeps,
  cluster: ClusterRef,
): Promise<{ state: ClusterState; catalog: RegionCatalog }> {
  const eks = deps.eksFor(cluster.accountId, cluster.region);
  const [state, catalog] = await Promise.all([
    readCluster(
      {
        accountId: cluster.accountId,
        region: cluster.region,
        eks,
        limit: createLimiter(READ_CONCURRENCY),
        tagPrefix: deps.tagPrefix,
      },
      cluster.name,
    ),
    deps.catalogFor(cluster.accountId, cluster.region),
  ]);
  return { state, catalog };
}

/** The upgrade calls on `cluster`. */
export function clusterUpdater(deps: UpgradeTaskDeps, cluster: ClusterRef): ClusterUpdater {
  return deps.updaterFor(cluster.accountId, cluster.region, cluster.name);
}

/** The wave scope of a cluster as the store knows it: the lower-wave members and what the latest run could not read. */
interface StoredWaveScope {
  readonly members: readonly WaveMember[];
  readonly unreadable: readonly UnreadableAccountRegion[];
}

/**
 * The account-regions the latest audit run recorded FAILED (accounts whose every account-region failed as whole accounts): the run(s)
 * that wrote the most recently audited of `stored`. Runs of the same instant are all taken.
 */
async function latestRunUnreadable(
  deps: UpgradeTaskDeps,
  stored: readonly StoredCluster[],
): Promise<UnreadableAccountRegion[]> {
  const newest = Math.max(...stored.map((entry) => Date.parse(entry.auditedAt)).filter((t) => !Number.isNaN(t)));
  if (!Number.isFinite(newest)) return [];
  const runIds = [...new Set(stored.filter((e) => Date.parse(e.auditedAt) === newest).map((e) => e.runId))];
  const runs = await mapLimited(runIds, READ_CONCURRENCY, (runId) => deps.store.getRun(runId));
  return unreadableAccountRegions(
    runs.flatMap((run) => (run?.targets ?? []).filter((target) => target.status === 'FAILED')),
    runs.flatMap((run) => run?.targets ?? []),
  );
}

/**
 * The opted-in clusters of waves below `wave` as the store knows them (since when they run their version is the
 * stored `versionSince`, else what their history says), and the parts of the fleet the latest run could not read,
 * each with the rollout groups last known there (the wave gate keeps only the cluster's own group).
 * Wave 0 has no lower wave, so nothing is read for it.
 */
export async function lowerWaveScope(deps: UpgradeTaskDeps, arn: string, wave: number): Promise<StoredWaveScope> {
  if (wave <= 0) return { members: [], unreadable: [] };
  const stored = await deps.store.listClusters();
  const lower = stored.filter(
    (entry) =>
      entry.deletedAt === null &&
      entry.report.arn !== arn &&
      entry.report.upgrade.optedIn &&
      entry.report.upgrade.wave < wave,
  );
  const [members, unreadable] = await Promise.all([
    mapLimited(lower, READ_CONCURRENCY, async (entry) => {
      const since =
        entry.versionSince ??
        versionSinceFromHistory(await deps.store.listClusterHistory(entry.report.arn), entry.report.version);
      return storedWaveMember(entry.report, since);
    }),
    latestRunUnreadable(deps, stored),
  ]);
  return {
    members: members.filter((member): member is WaveMember => member !== null),
    unreadable: unreadableWithStoredGroups(unreadable, stored),
  };
}

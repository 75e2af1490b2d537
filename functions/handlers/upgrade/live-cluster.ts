/**
 * Fresh facts for the upgrade tasks: the cluster re-read whole through the upgrade role (every gate re-checks right
 * before it acts), its region's catalogs, the lock as stored, and the wave members as the store knows them.
 */
import { createLimiter } from '../../adapters/limit.ts';
import { readCluster } from '../../adapters/eks-inventory.ts';
import type { RegionCatalog } from '../../adapters/eks-catalog.ts';
import type { UpgradeTarget } from '../../adapters/eks-upgrader.ts';
import { mapLimited } from '../../adapters/limit.ts';
import type { ClusterRef } from '../../core/messages.ts';
import { storedWaveMember, versionSinceFromHistory } from '../../core/stored-wave-members.ts';
import type { ClusterState } from '../../core/types.ts';
import type { WaveMember } from '../../core/waves.ts';
import type { UpgradeTaskDeps } from './deps.ts';

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

/** Where the EKS write calls for `cluster` go. */
export function upgradeTarget(deps: UpgradeTaskDeps, cluster: ClusterRef): UpgradeTarget {
  return {
    eks: deps.eksFor(cluster.accountId, cluster.region),
    accountId: cluster.accountId,
    region: cluster.region,
    clusterName: cluster.name,
  };
}

/**
 * The opted-in clusters of waves below `wave` as the store knows them: since when they run their version is the
 * stored `versionSince`, else what their history says. Wave 0 has no lower wave, so nothing is read for it.
 */
export async function lowerWaveMembers(deps: UpgradeTaskDeps, arn: string, wave: number): Promise<WaveMember[]> {
  if (wave <= 0) return [];
  const stored = await deps.store.listClusters();
  const lower = stored.filter(
    (entry) =>
      entry.deletedAt === null &&
      entry.report.arn !== arn &&
      entry.report.upgrade.optedIn &&
      entry.report.upgrade.wave < wave,
  );
  const members = await mapLimited(lower, READ_CONCURRENCY, async (entry) => {
    const since =
      entry.versionSince ??
      versionSinceFromHistory(await deps.store.listClusterHistory(entry.report.arn), entry.report.version);
    return storedWaveMember(entry.report, since);
  });
  return members.filter((member): member is WaveMember => member !== null);
}

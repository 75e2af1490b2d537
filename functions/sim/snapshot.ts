/**
 * The simulated fleet written back in fleet-file format (`Simulator.snapshot()`), so `nightly` can save the fleet
 * after its upgrades and a later run can start from it. Versions are those after applied updates; the last
 * successful version update becomes `versionSince`; an update still running becomes `updateInProgress`.
 */
import type { FleetCluster } from './fleet-file.ts';
import type { SimCluster } from './sim-types.ts';
import { nextMinor } from './version-math.ts';
import { snapshotAddonConfig, snapshotClusterConfig, snapshotNodegroupConfig } from './cluster-config.ts';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `rolledBackFrom` when the last version change of the cluster was a successful rollback. */
function rolledBack(cluster: SimCluster): Pick<FleetCluster, 'rolledBackFrom'> {
  const last = cluster.updates
    .filter((u) => (u.type === 'VersionUpdate' || u.type === 'VersionRollback') && u.scope.kind === 'cluster')
    .filter((u) => u.status === 'Successful')
    .at(-1);
  if (last?.type !== 'VersionRollback') return {};
  return { rolledBackFrom: { version: nextMinor(cluster.version), at: iso(last.completesAtMs ?? last.createdAtMs) } };
}

/** One cluster in fleet-file format: every field explicit, so the file says exactly what was served. */
export function snapshotCluster(cluster: SimCluster): FleetCluster {
  const lastVersionUpdate = cluster.updates
    .filter((u) => u.type === 'VersionUpdate' && u.scope.kind === 'cluster' && u.status === 'Successful')
    .at(-1);
  return {
    name: cluster.name,
    version: cluster.version,
    status: cluster.status,
    platformVersion: cluster.platformVersion,
    supportType: cluster.supportType,
    tags: { ...cluster.tags },
    autoMode: cluster.autoMode,
    nodegroups: [...cluster.nodegroups.values()].map((ng) => ({
      name: ng.name,
      version: ng.version,
      releaseVersion: ng.releaseVersion,
      status: ng.status,
      amiType: ng.amiType,
      customAmi: ng.customAmi,
      ...(Object.keys(ng.tags).length === 0 ? {} : { tags: { ...ng.tags } }),
      ...(ng.fault === undefined ? {} : { fault: ng.fault }),
      ...snapshotNodegroupConfig(ng.config),
    })),
    addons: [...cluster.addons.values()].map((addon) => ({
      name: addon.name,
      version: addon.version,
      status: addon.status,
      ...(Object.keys(addon.tags).length === 0 ? {} : { tags: { ...addon.tags } }),
      ...(addon.fault === undefined ? {} : { fault: addon.fault }),
      ...snapshotAddonConfig(addon.config, cluster.config.podIdentityAssociations),
    })),
    ...snapshotClusterConfig(cluster.config),
    ...(cluster.insights === null
      ? {}
      : {
          insights: cluster.insights.map((insight) => ({
            name: insight.name,
            status: insight.status,
            kubernetesVersion: insight.kubernetesVersion,
            ...(insight.reason === null ? {} : { reason: insight.reason }),
            ...(insight.category === 'UPGRADE_READINESS' ? {} : { category: insight.category }),
          })),
        }),
    ...(cluster.updates.some((u) => u.status === 'InProgress') ? { updateInProgress: true } : {}),
    ...(cluster.fault === undefined ? {} : { fault: cluster.fault }),
    createdAt: iso(cluster.createdAtMs),
    ...(lastVersionUpdate === undefined ? {} : { versionSince: iso(lastVersionUpdate.createdAtMs) }),
    ...rolledBack(cluster),
    ...(cluster.upgradedFrom === null
      ? {}
      : { upgradedFrom: { version: cluster.upgradedFrom.version, at: iso(cluster.upgradedFrom.atMs) } }),
  };
}

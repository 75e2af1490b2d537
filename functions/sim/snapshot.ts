/**
 * The simulated fleet written back in fleet-file format (`Simulator.snapshot()`), so `nightly` can save the fleet
 * after its upgrades and a later run can start from it. Versions are those after applied updates; the last
 * successful version update becomes `versionSince`; an update still running becomes `updateInProgress`.
 */
import type { FleetCluster } from './fleet-file.ts';
import type { SimCluster } from './sim-types.ts';

function iso(ms: number): string {
  return new Date(ms).toISOString();
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
    })),
    addons: [...cluster.addons.values()].map((addon) => ({
      name: addon.name,
      version: addon.version,
      status: addon.status,
      ...(Object.keys(addon.tags).length === 0 ? {} : { tags: { ...addon.tags } }),
      ...(addon.fault === undefined ? {} : { fault: addon.fault }),
    })),
    fargateProfiles: [...cluster.fargateProfiles],
    ...(cluster.insights === null
      ? {}
      : {
          insights: cluster.insights.map((insight) => ({
            name: insight.name,
            status: insight.status,
            kubernetesVersion: insight.kubernetesVersion,
            ...(insight.reason === null ? {} : { reason: insight.reason }),
          })),
        }),
    ...(cluster.updates.some((u) => u.status === 'InProgress') ? { updateInProgress: true } : {}),
    ...(cluster.fault === undefined ? {} : { fault: cluster.fault }),
    createdAt: iso(cluster.createdAtMs),
    ...(lastVersionUpdate === undefined ? {} : { versionSince: iso(lastVersionUpdate.createdAtMs) }),
  };
}

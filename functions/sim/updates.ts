/**
 * The simulated update lifecycle: an update starts InProgress and completes (Successful, or Failed for a
 * fleet-file `UPDATE_FAILS` fault) once the simulated clock passes its start plus the configured duration.
 * Completion is applied lazily, when the cluster is next read, so no timer outlives the server. While an update
 * runs, its resource reports UPDATING.
 */
import { resourceNotFound } from './errors.ts';
import type { SimCluster, SimUpdate, UpdateScope } from './state.ts';

/** Completes every update of `cluster` whose time has come. Call before reading the cluster. */
export function advanceUpdates(cluster: SimCluster, nowMs: number): void {
  for (const update of cluster.updates) {
    if (update.status !== 'InProgress' || update.completesAtMs === null || nowMs < update.completesAtMs) continue;
    if (update.failure === null) {
      update.apply();
      update.status = 'Successful';
    } else {
      update.errors = [update.failure];
      update.status = 'Failed';
    }
  }
}

/** Whether two scopes name the same resource. */
export function sameScope(a: UpdateScope, b: UpdateScope): boolean {
  return a.kind === b.kind && (a.kind === 'cluster' || (b.kind !== 'cluster' && a.name === b.name));
}

function inProgress(cluster: SimCluster, scope: UpdateScope): boolean {
  return cluster.updates.some((u) => u.status === 'InProgress' && sameScope(u.scope, scope));
}

/** The status EKS reports for the cluster: UPDATING while a cluster-level update runs. */
export function clusterStatus(cluster: SimCluster): string {
  return inProgress(cluster, { kind: 'cluster' }) ? 'UPDATING' : cluster.status;
}

/** The status EKS reports for a node group: UPDATING while its update runs. */
export function nodegroupStatus(cluster: SimCluster, name: string): string {
  return inProgress(cluster, { kind: 'nodegroup', name }) ? 'UPDATING' : (cluster.nodegroups.get(name)?.status ?? '');
}

/** The status EKS reports for an add-on: UPDATING while its update runs. */
export function addonStatus(cluster: SimCluster, name: string): string {
  return inProgress(cluster, { kind: 'addon', name }) ? 'UPDATING' : (cluster.addons.get(name)?.status ?? '');
}

/** An update in the wire shape of DescribeUpdate / Update*Version responses. */
export function renderUpdate(update: SimUpdate): Record<string, unknown> {
  return {
    id: update.id,
    status: update.status,
    type: update.type,
    params: update.params,
    createdAt: update.createdAtMs / 1000,
    errors: update.errors,
  };
}

/** The ResourceNotFound/InUse members that name a scope's resource. */
export function scopeFields(cluster: SimCluster, scope: UpdateScope): Record<string, string> {
  if (scope.kind === 'nodegroup') return { clusterName: cluster.name, nodegroupName: scope.name };
  if (scope.kind === 'addon') return { clusterName: cluster.name, addonName: scope.name };
  return { clusterName: cluster.name };
}

/** Update ids of one scope (the cluster itself, a node group or an add-on), oldest first. */
export function listUpdateIds(cluster: SimCluster, scope: UpdateScope): string[] {
  if (scope.kind === 'nodegroup' && !cluster.nodegroups.has(scope.name)) {
    throw resourceNotFound(`No node group found for name: ${scope.name}.`, scopeFields(cluster, scope));
  }
  if (scope.kind === 'addon' && !cluster.addons.has(scope.name)) {
    throw resourceNotFound(`No addon: ${scope.name} found in cluster: ${cluster.name}`, scopeFields(cluster, scope));
  }
  return cluster.updates.filter((u) => sameScope(u.scope, scope)).map((u) => u.id);
}

/** One update by id; like EKS, a node-group or add-on update is found only with its nodegroupName/addonName. */
export function findUpdate(cluster: SimCluster, id: string, scope: UpdateScope): SimUpdate {
  const update = cluster.updates.find((u) => u.id === id && sameScope(u.scope, scope));
  if (update === undefined) throw resourceNotFound(`No update found for ID: ${id}`, scopeFields(cluster, scope));
  return update;
}

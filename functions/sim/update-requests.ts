/**
 * The update operations as EKS validates them: UpdateClusterVersion (exactly the next minor, node groups at the
 * control plane's minor, nothing else in progress), UpdateNodegroupVersion (never ahead of the control plane, never
 * a custom AMI by version) and UpdateAddon (a catalog version compatible with the cluster). Each is idempotent on
 * its clientRequestToken and starts an update whose lifecycle `updates.ts` runs.
 */
import type { AddonCatalog, Calendar } from '../core/types.ts';
import { amiReleaseVersion } from './defaults.ts';
import { SimApiError, invalidParameter, invalidRequest, resourceInUse, resourceNotFound } from './errors.ts';
import { newUuid } from './ids.ts';
import type { SimCluster, SimUpdate, UpdateScope } from './state.ts';
import { sameScope, scopeFields } from './updates.ts';
import { compareVersions, isVersion, minorPrefix, nextMinor } from './version-math.ts';
import { isRollbackRequest, nodegroupRollbackAllowed, startVersionRollback } from './version-rollback.ts';
import type { SimInsightSpec } from './state.ts';

/** What an update needs from the simulator: the clock, the update duration, the catalog and calendar. */
export interface UpdateContext {
  readonly nowMs: number;
  readonly durationMs: number;
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
}

type ErrorDetail = SimUpdate['errors'][number];

/** The earlier update for a repeated clientRequestToken (EKS's idempotency), or undefined. */
function replay(cluster: SimCluster, token: string | undefined, scope: UpdateScope): SimUpdate | undefined {
  if (token === undefined) return undefined;
  const earlier = cluster.tokens.get(token);
  if (earlier !== undefined && !sameScope(earlier.scope, scope)) {
    throw invalidParameter('The clientRequestToken was already used for a different request.');
  }
  return earlier;
}

function refuseWhileBusy(cluster: SimCluster, scope: UpdateScope, what: string): void {
  const busy = cluster.updates.find(
    (u) => u.status === 'InProgress' && (u.scope.kind === 'cluster' || sameScope(u.scope, scope)),
  );
  if (busy !== undefined) {
    throw resourceInUse(
      `${what} cannot be updated while update ${busy.id} (${busy.type}) is in progress on cluster ${cluster.name}`,
      scopeFields(cluster, scope),
    );
  }
}

function start(
  cluster: SimCluster,
  ctx: UpdateContext,
  fields: Pick<SimUpdate, 'type' | 'params' | 'scope' | 'failure' | 'apply'> & { token: string | undefined },
): SimUpdate {
  const update: SimUpdate = {
    id: newUuid(),
    type: fields.type,
    status: 'InProgress',
    params: fields.params,
    createdAtMs: ctx.nowMs,
    completesAtMs: ctx.nowMs + ctx.durationMs,
    scope: fields.scope,
    clientRequestToken: fields.token ?? null,
    failure: fields.failure,
    errors: [],
    apply: fields.apply,
  };
  cluster.updates.push(update);
  if (fields.token !== undefined) cluster.tokens.set(fields.token, update);
  return update;
}

function released(calendar: Calendar, version: string, nowMs: number): boolean {
  const row = calendar.find((entry) => entry.version === version);
  return row !== undefined && (row.releaseDate === undefined || Date.parse(`${row.releaseDate}T00:00:00Z`) <= nowMs);
}

/** UpdateClusterVersion: exactly the next minor, every managed node group at the control plane's minor. */
export function startClusterVersionUpdate(
  cluster: SimCluster,
  request: {
    version?: string;
    clientRequestToken?: string;
    force?: boolean;
    rollbackConfig?: unknown;
    insights?: readonly SimInsightSpec[];
  },
  ctx: UpdateContext,
): SimUpdate {
  const scope: UpdateScope = { kind: 'cluster' };
  const earlier = replay(cluster, request.clientRequestToken, scope);
  if (earlier !== undefined) return earlier;
  const target = request.version;
  if (target === undefined || target === '')
    throw invalidParameter('version is required', { clusterName: cluster.name });
  const busy = cluster.updates.find((u) => u.status === 'InProgress');
  if (busy !== undefined) {
    throw resourceInUse(
      `Cluster ${cluster.name} cannot be updated while update ${busy.id} (${busy.type}) is in progress`,
      { clusterName: cluster.name },
    );
  }
  if (isVersion(target) && isRollbackRequest(cluster, target)) {
    return startVersionRollback(cluster, { ...request, version: target, insights: request.insights ?? [] }, ctx);
  }
  if (cluster.status !== 'ACTIVE') {
    throw invalidRequest(`Cluster ${cluster.name} is in status ${cluster.status}, not ACTIVE`, {
      clusterName: cluster.name,
    });
  }
  if (!isVersion(target) || target !== nextMinor(cluster.version) || !released(ctx.calendar, target, ctx.nowMs)) {
    throw invalidParameter(`Unsupported Kubernetes minor version update from ${cluster.version} to ${target}`, {
      clusterName: cluster.name,
    });
  }
  const behind = [...cluster.nodegroups.values()].find((ng) => ng.version !== cluster.version);
  if (behind !== undefined) {
    throw invalidRequest(
      `Nodegroup ${behind.name} must be updated to match cluster version ${cluster.version} before updating cluster version`,
      { clusterName: cluster.name, nodegroupName: behind.name },
    );
  }
  const blocking = (cluster.insights ?? []).filter((i) => i.status === 'ERROR' && i.kubernetesVersion === target);
  if (blocking.length > 0 && request.force !== true) {
    throw new SimApiError(
      'InvalidStateException',
      400,
      `Upgrade readiness checks failed for Kubernetes ${target}: ${blocking.map((i) => i.name).join(', ')}. Resolve them or use force.`,
      { clusterName: cluster.name },
    );
  }
  return start(cluster, ctx, {
    type: 'VersionUpdate',
    params: [
      { type: 'Version', value: target },
      { type: 'PlatformVersion', value: 'eks.1' },
    ],
    scope,
    token: request.clientRequestToken,
    failure:
      cluster.fault === 'UPDATE_FAILS'
        ? failure('Other', `The control plane update of cluster ${cluster.name} to ${target} failed.`, [cluster.name])
        : null,
    apply: () => {
      cluster.upgradedFrom = { version: cluster.version, atMs: ctx.nowMs + ctx.durationMs };
      cluster.version = target;
      cluster.platformVersion = 'eks.1';
    },
  });
}

function failure(errorCode: string, errorMessage: string, resourceIds: string[]): ErrorDetail {
  return { errorCode, errorMessage, resourceIds };
}

/** UpdateNodegroupVersion: to the control plane's version by default, never ahead of it, never a custom AMI. */
export function startNodegroupVersionUpdate(
  cluster: SimCluster,
  name: string,
  request: { version?: string; releaseVersion?: string; launchTemplateVersion?: string; clientRequestToken?: string },
  ctx: UpdateContext,
): SimUpdate {
  const scope: UpdateScope = { kind: 'nodegroup', name };
  const ng = cluster.nodegroups.get(name);
  if (ng === undefined) throw resourceNotFound(`No node group found for name: ${name}.`, scopeFields(cluster, scope));
  const earlier = replay(cluster, request.clientRequestToken, scope);
  if (earlier !== undefined) return earlier;
  refuseWhileBusy(cluster, scope, `Nodegroup ${name}`);
  if (ng.status !== 'ACTIVE' && ng.status !== 'DEGRADED') {
    throw invalidRequest(`Nodegroup ${name} is in status ${ng.status}`, scopeFields(cluster, scope));
  }
  if (ng.customAmi) {
    if (
      request.version !== undefined ||
      request.releaseVersion !== undefined ||
      request.launchTemplateVersion === undefined
    ) {
      throw invalidParameter(
        `Nodegroup ${name} uses a launch template with a custom AMI: update its launch template version instead of specifying a Kubernetes version or release version`,
        scopeFields(cluster, scope),
      );
    }
    const ltVersion = Number(request.launchTemplateVersion);
    return start(cluster, ctx, {
      type: 'VersionUpdate',
      params: [{ type: 'LaunchTemplateVersion', value: request.launchTemplateVersion }],
      scope,
      token: request.clientRequestToken,
      failure: nodegroupFailure(ng.fault, name),
      apply: () => {
        if (Number.isInteger(ltVersion)) ng.launchTemplateVersion = ltVersion;
        ng.modifiedAtMs = ctx.nowMs;
      },
    });
  }
  const target =
    request.version ??
    (request.releaseVersion === undefined ? null : minorPrefix(request.releaseVersion)) ??
    cluster.version;
  if (!isVersion(target)) {
    throw invalidParameter(`Requested Kubernetes version ${target} is not valid`, scopeFields(cluster, scope));
  }
  if (compareVersions(target, cluster.version) > 0) {
    throw invalidParameter(
      `Requested Kubernetes version ${target} is newer than the cluster's Kubernetes version ${cluster.version}`,
      scopeFields(cluster, scope),
    );
  }
  if (compareVersions(target, ng.version) < 0 && !nodegroupRollbackAllowed(cluster, ng.version, target, ctx.nowMs)) {
    throw invalidParameter(
      `Requested Kubernetes version ${target} is older than the node group's version ${ng.version}: downgrades are not supported`,
      scopeFields(cluster, scope),
    );
  }
  const releaseVersion = request.releaseVersion ?? amiReleaseVersion(ctx.calendar, target, new Date(ctx.nowMs));
  return start(cluster, ctx, {
    type: 'VersionUpdate',
    params: [
      { type: 'Version', value: target },
      { type: 'ReleaseVersion', value: releaseVersion },
    ],
    scope,
    token: request.clientRequestToken,
    failure: nodegroupFailure(ng.fault, name),
    apply: () => {
      ng.version = target;
      ng.releaseVersion = releaseVersion;
      ng.modifiedAtMs = ctx.nowMs;
    },
  });
}

function nodegroupFailure(fault: 'UPDATE_FAILS' | undefined, name: string): ErrorDetail | null {
  return fault === 'UPDATE_FAILS'
    ? failure('PodEvictionFailure', `Reached max retries while trying to evict pods from nodes in node group ${name}`, [
        name,
      ])
    : null;
}

/** UpdateAddon: the version must be in the catalog and compatible with the cluster's version. */
export function startAddonUpdate(
  cluster: SimCluster,
  name: string,
  request: { addonVersion?: string; resolveConflicts?: string; clientRequestToken?: string },
  ctx: UpdateContext,
): SimUpdate {
  const scope: UpdateScope = { kind: 'addon', name };
  const addon = cluster.addons.get(name);
  if (addon === undefined) {
    throw resourceNotFound(`No addon: ${name} found in cluster: ${cluster.name}`, scopeFields(cluster, scope));
  }
  const earlier = replay(cluster, request.clientRequestToken, scope);
  if (earlier !== undefined) return earlier;
  refuseWhileBusy(cluster, scope, `Addon ${name}`);
  const target = request.addonVersion ?? addon.version;
  if (request.addonVersion !== undefined) {
    const info = ctx.catalog[name]?.find((v) => v.version === target);
    if (info === undefined) {
      throw invalidParameter(`Addon version ${target} is not available for addon ${name}`, scopeFields(cluster, scope));
    }
    if (!info.compatibleWith.includes(cluster.version)) {
      throw invalidParameter(
        `Addon version ${target} of ${name} is not compatible with Kubernetes version ${cluster.version}`,
        scopeFields(cluster, scope),
      );
    }
  }
  const params = [{ type: 'AddonVersion', value: target }];
  if (request.resolveConflicts !== undefined)
    params.push({ type: 'ResolveConflicts', value: request.resolveConflicts });
  return start(cluster, ctx, {
    type: 'AddonUpdate',
    params,
    scope,
    token: request.clientRequestToken,
    failure:
      addon.fault === 'UPDATE_FAILS'
        ? failure(
            'ConfigurationConflict',
            `Conflicts found when trying to apply ${name} ${target}. Will not continue due to resolve conflicts mode.`,
            [name],
          )
        : null,
    apply: () => {
      addon.version = target;
      addon.modifiedAtMs = ctx.nowMs;
    },
  });
}

/**
 * EKS version rollback as AWS serves it: `UpdateClusterVersion` to the previous minor (N-1) starts an Update of
 * type `VersionRollback`. EKS refuses it outside the 7-day window after an in-place upgrade, for a cluster created
 * at its version (or already rolled back), for more than one minor, while a managed node group is newer than N-1,
 * and, unless `force`, while a ROLLBACK_READINESS insight is ERROR or UNKNOWN. `rollbackConfig.timeoutMinutes`
 * must lie in 120–10080. Managed node groups and add-ons are not rolled back. The fleet-file fault
 * `ROLLBACK_FAILS` makes the update end Failed.
 */
import { defaultPlatformVersion } from './defaults.ts';
import { SimApiError, invalidParameter, invalidRequest } from './errors.ts';
import { newUuid } from './ids.ts';
import type { SimCluster, SimInsightSpec, SimUpdate } from './state.ts';
import type { UpdateContext } from './update-requests.ts';
import { compareVersions, nextMinor } from './version-math.ts';

/** How long after an in-place upgrade finished a rollback may start (7 days). */
const ROLLBACK_WINDOW_MS = 7 * 86_400_000;

/** The bounds of `rollbackConfig.timeoutMinutes` and its default. */
const ROLLBACK_TIMEOUT_MINUTES = { min: 120, max: 10_080, default: 720 } as const;

/** The names of the ROLLBACK_READINESS checks EKS runs. */
const ROLLBACK_INSIGHT_NAMES = [
  'Kubelet version skew for rollback',
  'Amazon EKS add-on version compatibility for rollback',
  'Kubernetes API usage introduced after the previous version',
] as const;

/** Whether `target` names a version below the control plane's: EKS treats that as a rollback request. */
export function isRollbackRequest(cluster: SimCluster, target: string): boolean {
  return compareVersions(target, cluster.version) < 0;
}

/**
 * The ROLLBACK_READINESS insights of a cluster upgraded in place: the fleet file's, else (inside the window) a
 * PASSING set for the version it would roll back to. None for a cluster created at its version.
 */
export function rollbackReadinessInsights(
  cluster: SimCluster,
  explicit: readonly SimInsightSpec[],
  nowMs: number,
): SimInsightSpec[] {
  const listed = explicit.filter((insight) => insight.category === 'ROLLBACK_READINESS');
  if (listed.length > 0 || cluster.upgradedFrom === null) return listed;
  if (nowMs > cluster.upgradedFrom.atMs + ROLLBACK_WINDOW_MS) return [];
  const kubernetesVersion = cluster.upgradedFrom.version;
  return ROLLBACK_INSIGHT_NAMES.map((name) => ({
    name,
    status: 'PASSING',
    kubernetesVersion,
    reason: null,
    category: 'ROLLBACK_READINESS',
  }));
}

/**
 * Whether a managed node group at `from` may go back to `to` (UpdateNodegroupVersion): the step a version rollback
 * needs first, allowed while the cluster's rollback window is open and only to the version it was upgraded from.
 */
export function nodegroupRollbackAllowed(cluster: SimCluster, from: string, to: string, nowMs: number): boolean {
  const upgraded = cluster.upgradedFrom;
  return (
    upgraded !== null &&
    to === upgraded.version &&
    nextMinor(to) === from &&
    nowMs <= upgraded.atMs + ROLLBACK_WINDOW_MS
  );
}

function timeoutMinutes(rollbackConfig: unknown): number {
  if (rollbackConfig === undefined || rollbackConfig === null) return ROLLBACK_TIMEOUT_MINUTES.default;
  const value = typeof rollbackConfig === 'object' ? (rollbackConfig as Record<string, unknown>).timeoutMinutes : null;
  if (value === undefined) return ROLLBACK_TIMEOUT_MINUTES.default;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < ROLLBACK_TIMEOUT_MINUTES.min ||
    value > ROLLBACK_TIMEOUT_MINUTES.max
  ) {
    throw invalidParameter(
      `rollbackConfig.timeoutMinutes must be an integer between ${ROLLBACK_TIMEOUT_MINUTES.min} and ${ROLLBACK_TIMEOUT_MINUTES.max}`,
    );
  }
  return value;
}

/**
 * Starts a VersionRollback of `cluster` to `target` (the caller has checked the token, the version and that no
 * other update runs), or throws the exception EKS answers with.
 */
export function startVersionRollback(
  cluster: SimCluster,
  request: {
    version: string;
    clientRequestToken?: string;
    force?: boolean;
    rollbackConfig?: unknown;
    /** The cluster's insights as ListInsights serves them now. */
    insights: readonly SimInsightSpec[];
  },
  ctx: UpdateContext,
): SimUpdate {
  const fields = { clusterName: cluster.name };
  const target = request.version;
  const timeout = timeoutMinutes(request.rollbackConfig);
  if (cluster.status !== 'ACTIVE') {
    throw invalidRequest(`Cluster ${cluster.name} is in status ${cluster.status}, not ACTIVE`, fields);
  }
  if (nextMinor(target) !== cluster.version) {
    throw invalidParameter(
      `Version rollback of cluster ${cluster.name} from ${cluster.version} to ${target} is not supported: a rollback goes back exactly one minor version`,
      fields,
    );
  }
  const from = cluster.upgradedFrom;
  if (from === null) {
    throw invalidRequest(
      `Cluster ${cluster.name} was not upgraded in place to ${cluster.version} (created at this version, or already rolled back): version rollback is not available`,
      fields,
    );
  }
  if (from.version !== target) {
    throw invalidParameter(
      `Cluster ${cluster.name} was upgraded from ${from.version}, not ${target}: it can only be rolled back to ${from.version}`,
      fields,
    );
  }
  if (ctx.nowMs > from.atMs + ROLLBACK_WINDOW_MS) {
    throw invalidRequest(
      `The version rollback window of cluster ${cluster.name} closed at ${new Date(from.atMs + ROLLBACK_WINDOW_MS).toISOString()} (7 days after the upgrade to ${cluster.version} completed)`,
      fields,
    );
  }
  const newer = [...cluster.nodegroups.values()].find((ng) => compareVersions(ng.version, target) > 0);
  if (newer !== undefined) {
    throw invalidRequest(
      `Nodegroup ${newer.name} runs Kubernetes ${newer.version}: roll it back to ${target} with UpdateNodegroupVersion before rolling back the cluster`,
      { ...fields, nodegroupName: newer.name },
    );
  }
  const blocking = request.insights.filter(
    (insight) =>
      insight.category === 'ROLLBACK_READINESS' && (insight.status === 'ERROR' || insight.status === 'UNKNOWN'),
  );
  if (blocking.length > 0 && request.force !== true) {
    throw new SimApiError(
      'InvalidStateException',
      400,
      `Rollback readiness checks failed for Kubernetes ${target}: ${blocking.map((i) => `${i.name} (${i.status})`).join(', ')}. Resolve them or use force.`,
      fields,
    );
  }
  const platformVersion = defaultPlatformVersion(ctx.calendar, target, new Date(ctx.nowMs));
  const update: SimUpdate = {
    id: newUuid(),
    type: 'VersionRollback',
    status: 'InProgress',
    params: [
      { type: 'Version', value: target },
      { type: 'PlatformVersion', value: platformVersion },
    ],
    createdAtMs: ctx.nowMs,
    completesAtMs: ctx.nowMs + Math.min(ctx.durationMs, timeout * 60_000),
    scope: { kind: 'cluster' },
    clientRequestToken: request.clientRequestToken ?? null,
    failure:
      cluster.fault === 'ROLLBACK_FAILS'
        ? {
            errorCode: 'Other',
            errorMessage: `The version rollback of cluster ${cluster.name} to ${target} failed; the control plane stays at ${cluster.version}.`,
            resourceIds: [cluster.name],
          }
        : null,
    errors: [],
    apply: () => {
      cluster.version = target;
      cluster.platformVersion = platformVersion;
      cluster.upgradedFrom = null;
    },
  };
  cluster.updates.push(update);
  if (request.clientRequestToken !== undefined) cluster.tokens.set(request.clientRequestToken, update);
  return update;
}

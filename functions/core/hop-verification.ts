/**
 * Post-flight of one hop (DESIGN §7): after the control plane, add-ons and node groups moved, the cluster must be
 * ACTIVE at the new minor with no update running, every managed node group the hop moved ACTIVE at the new minor,
 * and every add-on ACTIVE at a version the catalog lists as compatible with it. Upgrade-readiness insights are read
 * again: they do not fail the hop that just finished, they are reported, and the next hop's gate acts on them.
 */
import type { AddonCatalog, ClusterState, Version } from './types.ts';
import { nextMinor } from './versions.ts';

/** Why a hop does not verify. */
type HopProblemCode =
  | 'CLUSTER_NOT_ACTIVE'
  | 'CONTROL_PLANE_VERSION'
  | 'UPDATE_IN_PROGRESS'
  | 'NODEGROUP_NOT_ACTIVE'
  | 'NODEGROUP_VERSION'
  | 'ADDON_NOT_ACTIVE'
  | 'ADDON_INCOMPATIBLE'
  | 'FACTS_UNKNOWN';

/** One problem found by {@link verifyHop}. */
interface HopProblem {
  readonly code: HopProblemCode;
  readonly message: string;
}

/** The outcome of {@link verifyHop}. */
export interface HopVerification {
  readonly code: 'HOP_VERIFIED' | 'HOP_UNHEALTHY';
  readonly reason: string;
  readonly problems: readonly HopProblem[];
  /** Upgrade-readiness insights in ERROR for the next minor (the next hop's gate blocks on them). */
  readonly insightErrors: readonly string[];
  /** Upgrade-readiness insights in WARNING. */
  readonly insightWarnings: readonly string[];
}

/**
 * Verifies the cluster after a hop to `toVersion`. Custom-AMI node groups (never touched) and the node groups of an
 * Auto Mode cluster (AWS replaces them) are checked for health but not for version; add-ons the catalog does not
 * list are checked for health only.
 */
export function verifyHop(cluster: ClusterState, toVersion: Version, catalog: AddonCatalog): HopVerification {
  const problems: HopProblem[] = [];
  if (cluster.status !== 'ACTIVE') {
    problems.push({ code: 'CLUSTER_NOT_ACTIVE', message: `cluster status is ${cluster.status}, not ACTIVE` });
  }
  if (cluster.version !== toVersion) {
    problems.push({
      code: 'CONTROL_PLANE_VERSION',
      message: `the control plane runs ${cluster.version}, not ${toVersion}`,
    });
  }
  if (cluster.updateInProgress) {
    problems.push({ code: 'UPDATE_IN_PROGRESS', message: 'an update is still in progress' });
  }
  // A part that could not be read cannot be verified: an empty list there is unknown, not healthy.
  for (const read of cluster.partial ?? []) {
    problems.push({ code: 'FACTS_UNKNOWN', message: `${read.operation} could not be read: ${read.message}` });
  }
  for (const ng of cluster.nodegroups) {
    if (ng.status !== 'ACTIVE') {
      problems.push({
        code: 'NODEGROUP_NOT_ACTIVE',
        message: `node group ${ng.name} is ${ng.status}, not ACTIVE`,
      });
    }
    if (!cluster.autoMode && !ng.customAmi && ng.version !== toVersion) {
      problems.push({
        code: 'NODEGROUP_VERSION',
        message: `node group ${ng.name} runs ${ng.version}, not ${toVersion}`,
      });
    }
  }
  for (const addon of cluster.addons) {
    if (addon.status !== 'ACTIVE') {
      problems.push({ code: 'ADDON_NOT_ACTIVE', message: `add-on ${addon.name} is ${addon.status}, not ACTIVE` });
    }
    const versions = catalog[addon.name];
    const listed = versions?.find((info) => info.version === addon.version);
    if (versions !== undefined && !(listed?.compatibleWith.includes(toVersion) ?? false)) {
      problems.push({
        code: 'ADDON_INCOMPATIBLE',
        message: `add-on ${addon.name} ${addon.version} is not listed as compatible with ${toVersion}`,
      });
    }
  }
  const next = nextMinor(toVersion);
  const describe = (name: string, reason: string | null): string => (reason === null ? name : `${name} (${reason})`);
  const insightErrors = cluster.insights
    .filter((i) => i.status === 'ERROR' && (i.kubernetesVersion === null || i.kubernetesVersion === next))
    .map((i) => describe(i.name, i.reason));
  const insightWarnings = cluster.insights.filter((i) => i.status === 'WARNING').map((i) => describe(i.name, i.reason));
  const reason =
    problems.length === 0
      ? `cluster ${cluster.name} is ACTIVE at ${toVersion} with its node groups and add-ons healthy`
      : `cluster ${cluster.name} after the hop to ${toVersion}: ${problems.map((p) => p.message).join('; ')}`;
  return {
    code: problems.length === 0 ? 'HOP_VERIFIED' : 'HOP_UNHEALTHY',
    reason,
    problems,
    insightErrors,
    insightWarnings,
  };
}

/**
 * The EKS write calls of an in-place upgrade (DESIGN §7), planned purely from a cluster's observed state: per hop,
 * node groups up to the control plane if behind → control plane +1 minor → add-ons to the recommended version for
 * the new minor (vpc-cni one minor at a time) → managed node groups to the new minor. The upgrade workflow asks
 * for the next action of a phase from the live state (so a retried or resumed task never repeats a finished call);
 * `fleet-auditor upgrade --dry-run` plans every hop up front from the state it read.
 *
 * Decisions where the design is silent:
 * - Node groups are moved straight to the control plane's minor, even when several minors behind: EKS accepts any
 *   version up to the control plane's for a managed node group, and a kubelet may skip minors.
 * - Add-ons go in the order AWS's upgrade guide lists them (vpc-cni, kube-proxy, coredns), then the others by name.
 * - Skipped resources are reported with a code, never silently dropped: custom-AMI node groups (never touched by
 *   version), every node group of an Auto Mode cluster, add-ons the catalog does not list (self-managed), and an
 *   add-on with no version compatible with the new minor (the pre-flight blocks that; post-flight catches a catalog
 *   that changed mid-hop).
 */
import { addonUpdateSteps } from './addons.ts';
import { DomainError, type DomainErrorOptions } from './errors.ts';
import type { AddonCatalog, ClusterState, Version } from './types.ts';
import { compareVersions, nextMinor } from './versions.ts';

/** The phases of one hop, in the order they run. */
export type UpgradePhase = 'ALIGN_NODEGROUPS' | 'CONTROL_PLANE' | 'ADDONS' | 'NODEGROUPS';

/** Every phase of a hop, in order. */
export const UPGRADE_PHASES: readonly UpgradePhase[] = Object.freeze([
  'ALIGN_NODEGROUPS',
  'CONTROL_PLANE',
  'ADDONS',
  'NODEGROUPS',
]);

/** `UpdateNodegroupVersion` of one managed node group to `version`. */
interface NodegroupAction {
  readonly phase: 'ALIGN_NODEGROUPS' | 'NODEGROUPS';
  readonly kind: 'UpdateNodegroupVersion';
  readonly nodegroup: string;
  readonly fromVersion: Version;
  readonly version: Version;
  readonly reason: string;
}

/** `UpdateClusterVersion` of the control plane to the next minor. */
interface ControlPlaneAction {
  readonly phase: 'CONTROL_PLANE';
  readonly kind: 'UpdateClusterVersion';
  readonly fromVersion: Version;
  readonly version: Version;
  readonly reason: string;
}

/** `UpdateAddon` of one add-on to `version` (always with `resolveConflicts: PRESERVE`). */
interface AddonAction {
  readonly phase: 'ADDONS';
  readonly kind: 'UpdateAddon';
  readonly addon: string;
  readonly fromVersion: string;
  readonly version: string;
  readonly reason: string;
}

/** One EKS write call of an upgrade. */
export type UpgradeAction = NodegroupAction | ControlPlaneAction | AddonAction;

/** Why a resource is left alone by a hop. */
type SkipCode = 'CUSTOM_AMI_NODEGROUP' | 'AUTO_MODE' | 'ADDON_NOT_IN_CATALOG' | 'ADDON_NO_COMPATIBLE_VERSION';

/** A node group or add-on a hop does not touch, and why. */
export interface SkippedResource {
  readonly kind: 'nodegroup' | 'addon';
  readonly name: string;
  readonly code: SkipCode;
  readonly reason: string;
}

/** One minor-version hop. */
interface Hop {
  readonly fromVersion: Version;
  readonly toVersion: Version;
}

/** The actions of one hop, in order, and what it leaves alone. */
interface HopPlan extends Hop {
  readonly actions: readonly UpgradeAction[];
  readonly skipped: readonly SkippedResource[];
}

/** What planning reads of a cluster. */
export type PlannedCluster = Pick<ClusterState, 'name' | 'version' | 'autoMode' | 'nodegroups' | 'addons'>;

/** A hop that cannot be planned from the state given (not one minor, or the cluster is at neither end of it). */
export class UpgradePlanError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super('UPGRADE_PLAN', message, options);
    this.name = 'UpgradePlanError';
  }
}

/** AWS's recommended add-on order after a control-plane upgrade; the others follow by name. */
const ADDON_ORDER: readonly string[] = ['vpc-cni', 'kube-proxy', 'coredns'];

function addonRank(name: string): number {
  const index = ADDON_ORDER.indexOf(name);
  return index === -1 ? ADDON_ORDER.length : index;
}

function checkHop(cluster: PlannedCluster, hop: Hop): void {
  if (nextMinor(hop.fromVersion) !== hop.toVersion) {
    throw new UpgradePlanError(`a hop goes one minor at a time: ${hop.fromVersion} → ${hop.toVersion} is not one`);
  }
  if (cluster.version !== hop.fromVersion && cluster.version !== hop.toVersion) {
    throw new UpgradePlanError(
      `cluster ${cluster.name} runs ${cluster.version}, neither end of the hop ${hop.fromVersion} → ${hop.toVersion}`,
    );
  }
}

function nodegroupPlan(cluster: PlannedCluster, hop: Hop): { actions: NodegroupAction[]; skipped: SkippedResource[] } {
  const actions: NodegroupAction[] = [];
  const skipped: SkippedResource[] = [];
  const align: NodegroupAction[] = [];
  for (const ng of cluster.nodegroups) {
    if (cluster.autoMode) {
      skipped.push({
        kind: 'nodegroup',
        name: ng.name,
        code: 'AUTO_MODE',
        reason: `cluster ${cluster.name} runs EKS Auto Mode: AWS replaces its nodes after the control-plane upgrade`,
      });
      continue;
    }
    if (ng.customAmi) {
      skipped.push({
        kind: 'nodegroup',
        name: ng.name,
        code: 'CUSTOM_AMI_NODEGROUP',
        reason: `node group ${ng.name} uses a custom AMI, which EKS cannot move by version; it is never touched`,
      });
      continue;
    }
    if (cluster.version === hop.fromVersion && compareVersions(ng.version, hop.fromVersion) < 0) {
      align.push({
        phase: 'ALIGN_NODEGROUPS',
        kind: 'UpdateNodegroupVersion',
        nodegroup: ng.name,
        fromVersion: ng.version,
        version: hop.fromVersion,
        reason: `node group ${ng.name} runs ${ng.version}; EKS requires it at the control plane's ${hop.fromVersion} before the control plane moves`,
      });
    }
    if (compareVersions(ng.version, hop.toVersion) < 0) {
      actions.push({
        phase: 'NODEGROUPS',
        kind: 'UpdateNodegroupVersion',
        nodegroup: ng.name,
        fromVersion: cluster.version === hop.fromVersion ? hop.fromVersion : ng.version,
        version: hop.toVersion,
        reason: `node group ${ng.name} follows the control plane to ${hop.toVersion}`,
      });
    }
  }
  return { actions: [...align, ...actions], skipped };
}

function addonPlan(
  cluster: PlannedCluster,
  hop: Hop,
  catalog: AddonCatalog,
): { actions: AddonAction[]; skipped: SkippedResource[] } {
  const actions: AddonAction[] = [];
  const skipped: SkippedResource[] = [];
  const ordered = [...cluster.addons].sort(
    (a, b) => addonRank(a.name) - addonRank(b.name) || a.name.localeCompare(b.name),
  );
  for (const addon of ordered) {
    if (catalog[addon.name] === undefined) {
      skipped.push({
        kind: 'addon',
        name: addon.name,
        code: 'ADDON_NOT_IN_CATALOG',
        reason: `add-on ${addon.name} is not in the EKS add-on catalog (self-managed); it is not ours to move`,
      });
      continue;
    }
    const steps = addonUpdateSteps(addon.name, addon.version, hop.toVersion, catalog);
    if (steps === null) {
      skipped.push({
        kind: 'addon',
        name: addon.name,
        code: 'ADDON_NO_COMPATIBLE_VERSION',
        reason: `no version of add-on ${addon.name} is compatible with ${hop.toVersion}`,
      });
      continue;
    }
    let from = addon.version;
    for (const [index, version] of steps.entries()) {
      const last = index === steps.length - 1;
      actions.push({
        phase: 'ADDONS',
        kind: 'UpdateAddon',
        addon: addon.name,
        fromVersion: from,
        version,
        reason: last
          ? `${version} is the recommended ${addon.name} for ${hop.toVersion}`
          : `${addon.name} moves one minor version at a time: ${version} is a stepping stone`,
      });
      from = version;
    }
  }
  return { actions, skipped };
}

/**
 * The actions of one hop from the cluster's observed state, in order: node groups aligned to the control plane
 * (only while the control plane is still at `fromVersion`), the control-plane update (only if not done yet), the
 * add-on updates for `toVersion`, and the node groups to `toVersion`. A finished action no longer appears, so
 * planning again after each call yields what remains.
 *
 * @throws UpgradePlanError when the hop is not one minor, or the cluster runs neither of its versions.
 */
export function planHop(cluster: PlannedCluster, hop: Hop, catalog: AddonCatalog): HopPlan {
  checkHop(cluster, hop);
  const nodegroups = nodegroupPlan(cluster, hop);
  const addons = addonPlan(cluster, hop, catalog);
  const controlPlane: ControlPlaneAction[] =
    cluster.version === hop.fromVersion
      ? [
          {
            phase: 'CONTROL_PLANE',
            kind: 'UpdateClusterVersion',
            fromVersion: hop.fromVersion,
            version: hop.toVersion,
            reason: `the control plane moves one minor version: ${hop.fromVersion} → ${hop.toVersion}`,
          },
        ]
      : [];
  const align = nodegroups.actions.filter((action) => action.phase === 'ALIGN_NODEGROUPS');
  const follow = nodegroups.actions.filter((action) => action.phase === 'NODEGROUPS');
  return {
    fromVersion: hop.fromVersion,
    toVersion: hop.toVersion,
    actions: [...align, ...controlPlane, ...addons.actions, ...follow],
    skipped: [...nodegroups.skipped, ...addons.skipped],
  };
}

/**
 * The next action of `phase` from the cluster's observed state, or null when the phase has nothing left to do.
 *
 * @throws UpgradePlanError as {@link planHop}.
 */
export function nextPhaseAction(
  phase: UpgradePhase,
  cluster: PlannedCluster,
  hop: Hop,
  catalog: AddonCatalog,
): UpgradeAction | null {
  return planHop(cluster, hop, catalog).actions.find((action) => action.phase === phase) ?? null;
}

/** The cluster as it will be once every action of `plan` succeeded (what the next hop is planned from). */
function afterHop(cluster: PlannedCluster, plan: HopPlan): PlannedCluster {
  const addonVersions = new Map<string, string>();
  for (const action of plan.actions) if (action.kind === 'UpdateAddon') addonVersions.set(action.addon, action.version);
  const movedNodegroups = new Set(
    plan.actions.flatMap((action) => (action.phase === 'NODEGROUPS' ? [action.nodegroup] : [])),
  );
  return {
    name: cluster.name,
    version: plan.toVersion,
    autoMode: cluster.autoMode,
    nodegroups: cluster.nodegroups.map((ng) =>
      movedNodegroups.has(ng.name) ? { ...ng, version: plan.toVersion } : ng,
    ),
    addons: cluster.addons.map((addon) => ({ ...addon, version: addonVersions.get(addon.name) ?? addon.version })),
  };
}

/**
 * Every hop of `path` planned up front, each from the state the previous hop leaves (for `upgrade --dry-run`).
 *
 * @example planUpgradeHops(cluster133, ['1.34', '1.35'], catalog) // [hop 1.33→1.34, hop 1.34→1.35]
 * @throws UpgradePlanError when `path` does not go one minor at a time from the cluster's version.
 */
export function planUpgradeHops(cluster: PlannedCluster, path: readonly Version[], catalog: AddonCatalog): HopPlan[] {
  const plans: HopPlan[] = [];
  let state = cluster;
  for (const toVersion of path) {
    const plan = planHop(state, { fromVersion: state.version, toVersion }, catalog);
    plans.push(plan);
    state = afterHop(state, plan);
  }
  return plans;
}

/**
 * The EKS call of an action as people read it (logs, the upgrade record, `upgrade --dry-run`).
 *
 * @example describeUpgradeAction('dev', addonAction) // 'UpdateAddon cluster=dev addon=vpc-cni version=v1.20.1-eksbuild.1 resolveConflicts=PRESERVE'
 */
export function describeUpgradeAction(clusterName: string, action: UpgradeAction): string {
  switch (action.kind) {
    case 'UpdateClusterVersion':
      return `UpdateClusterVersion name=${clusterName} version=${action.version}`;
    case 'UpdateNodegroupVersion':
      return `UpdateNodegroupVersion cluster=${clusterName} nodegroup=${action.nodegroup} version=${action.version}`;
    case 'UpdateAddon':
      return `UpdateAddon cluster=${clusterName} addon=${action.addon} version=${action.version} resolveConflicts=PRESERVE`;
  }
}

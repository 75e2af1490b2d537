/**
 * The upgrade decision (DESIGN §4): for one cluster, what it should be upgraded to, along which path, and every
 * reason it may not start now. Blockers are small predicates, each with a code; any one vetoes the start. They are
 * exported one by one (and as {@link BLOCKER_CHECKS}) so the upgrade workflow can re-check them right before acting.
 *
 * Decisions where the design is silent:
 * - A `target-version` older than the running version, or not in the support calendar, is an `INVALID_OPT_IN_TAG`
 *   blocker; the plan then reports the requested target with an empty path (and no `AT_TARGET`).
 * - With `latest` (or no tag) and no version in standard support, the target is null and `AT_TARGET` says why.
 * - `LOCKED` ignores a lease held by `ctx.lockHolder`: the upgrade workflow holds the lock while it re-checks.
 * - The cluster itself is never a member of its own wave gate (matched by ARN).
 */
import { addonUpdateSteps } from './addons.ts';
import { calendarEntry, newestStandardVersion, utcDateOf } from './calendar.ts';
import { InvalidVersionError } from './errors.ts';
import { isLeaseActive, type LockLease } from './lock-lease.ts';
import { windowAt } from './maintenance-window.ts';
import { factsUnknownBlocker } from './partial-facts.ts';
import { describeInvalidTag, parseOptInTags, type OptInPolicy } from './opt-in-tags.ts';
import { subresourceBlockerMessage } from './subresource-opt-in.ts';
import type { AddonCatalog, Blocker, Calendar, ClusterState, IsoInstant, Version } from './types.ts';
import { compareVersions, nextMinor, upgradePath } from './versions.ts';
import { baking, heldAfterRollback, upgradePhaseFields, type BakeState, type RollbackHold } from './upgrade-phase.ts';
import { waveGate, type UnreadableAccountRegion, type WaveMember } from './waves.ts';
import { DEFAULT_SOAK_DAYS, DEFAULT_TAG_PREFIX } from './defaults.ts';

/** The upgrade plan of one cluster: exactly the JSON report's `upgrade` object (DESIGN §5.2). */
export interface UpgradePlan {
  readonly optedIn: boolean;
  readonly target: Version | null;
  readonly path: readonly Version[];
  readonly eligible: boolean;
  readonly blockers: readonly Blocker[];
  readonly nextWindowStart: IsoInstant | null;
  readonly wave: number;
  /** `BAKING` while a hop's control plane bakes (absent otherwise), with the bake's end. */
  readonly phase?: 'BAKING' | 'ROLLING_BACK' | 'HELD_AFTER_ROLLBACK';
  readonly bakeUntil?: IsoInstant;
  /** With `phase` in the stored fleet report: what the phase is, e.g. the signal a cluster is held after. */
  readonly phaseReason?: string;
  /** The rollout group its waves are ordered within (`rollout-group` tag, default `default`). */
  readonly rolloutGroup: string;
}

/** The facts an upgrade decision needs besides the cluster itself. */
export interface UpgradeContext {
  /** The support calendar of the cluster's region. */
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  /** False when the region's add-on catalog could not be read (`catalog` is then empty): FACTS_UNKNOWN. */
  readonly addonCatalogKnown?: boolean;
  readonly now: Date;
  /** Tag-key prefix; default {@link DEFAULT_TAG_PREFIX}. */
  readonly tagPrefix?: string;
  /** Opted-in clusters of the same fleet scope (the cluster itself may be included; it is skipped). */
  readonly fleet: readonly WaveMember[];
  /** Default {@link DEFAULT_SOAK_DAYS}. */
  readonly soakDays?: number;
  /**
   * Accounts or account-regions of the fleet scope that could not be read (default none): `fleet` may lack their
   * clusters, so a wave above 0 is WAVE_NOT_READY while any is listed.
   */
  readonly unreadable?: readonly UnreadableAccountRegion[];
  /** The cluster's upgrade lock as stored, if any. */
  readonly lock?: LockLease | null;
  /** The caller's own lock-holder name: a lease it holds itself does not block (pre-flight re-check). */
  readonly lockHolder?: string;
  /** A hop of this cluster that is baking (DESIGN §7.1), if any. */
  readonly bake?: BakeState | null;
  /** The hold after an automatic rollback, if any. */
  readonly hold?: RollbackHold | null;
}

/** The resolved upgrade target: what the tags ask for (or the default), the path there, and a tag problem if any. */
interface TargetResolution {
  readonly target: Version | null;
  readonly path: readonly Version[];
  /** Why a requested `target-version` cannot be honoured (an `INVALID_OPT_IN_TAG` reason), else null. */
  readonly problem: string | null;
}

/** Everything a blocker predicate looks at, computed once by {@link prepareBlockerInput}. */
export interface BlockerInput {
  readonly cluster: ClusterState;
  readonly ctx: UpgradeContext;
  readonly prefix: string;
  readonly policy: OptInPolicy;
  readonly resolution: TargetResolution;
}

/** A blocker predicate: a blocker with a specific message when it vetoes the start, else null. */
type BlockerCheck = (input: BlockerInput) => Blocker | null;

/**
 * Resolves the upgrade target: the `target-version` tag, or for `latest`/no tag the newest version in standard
 * support at `now` (null if none). A requested target older than the running version, outside the calendar or
 * otherwise unreachable yields a `problem` and an empty path.
 *
 * @throws InvalidVersionError when `cluster.version` is not a `MAJOR.MINOR` version.
 */
export function resolveTarget(
  cluster: ClusterState,
  policy: OptInPolicy,
  calendar: Calendar,
  now: Date,
): TargetResolution {
  const requested = policy.target;
  if (requested === null || requested === 'latest') {
    const newest = newestStandardVersion(calendar, now);
    if (newest === null || compareVersions(newest, cluster.version) <= 0)
      return { target: newest, path: [], problem: null };
    return { target: newest, path: upgradePath(cluster.version, newest), problem: null };
  }
  if (compareVersions(requested, cluster.version) < 0) {
    const problem = `target ${requested} is older than the running ${cluster.version}; EKS cannot downgrade`;
    return { target: requested, path: [], problem };
  }
  if (calendarEntry(calendar, requested) === undefined) {
    return {
      target: requested,
      path: [],
      problem: `target ${requested} is not in the EKS support calendar of ${cluster.region}`,
    };
  }
  try {
    return { target: requested, path: upgradePath(cluster.version, requested), problem: null };
  } catch (error) {
    if (error instanceof InvalidVersionError) return { target: requested, path: [], problem: error.message };
    throw error;
  }
}

/** Parses the cluster's tags and resolves its target once, for {@link BLOCKER_CHECKS} and {@link decideUpgrade}. */
export function prepareBlockerInput(cluster: ClusterState, ctx: UpgradeContext): BlockerInput {
  const prefix = ctx.tagPrefix ?? DEFAULT_TAG_PREFIX;
  const policy = parseOptInTags(cluster.tags, prefix);
  const resolution = resolveTarget(cluster, policy, ctx.calendar, ctx.now);
  return { cluster, ctx, prefix, policy, resolution };
}

/** NOT_OPTED_IN: the `auto-upgrade` tag is absent or not `true`. */
const notOptedIn: BlockerCheck = ({ cluster, prefix, policy }) => {
  if (policy.autoUpgrade) return null;
  const key = `${prefix}auto-upgrade`;
  const value = cluster.tags[key];
  const message =
    value === undefined
      ? `tag ${key} is not set; set it to "true" to opt in to automatic upgrades`
      : `tag ${key} is ${JSON.stringify(value)}, not "true"; automatic upgrades are off`;
  return { code: 'NOT_OPTED_IN', message };
};

/** INVALID_OPT_IN_TAG: any tag under the prefix is invalid, or the requested target cannot be honoured. */
const invalidOptInTag: BlockerCheck = ({ policy, resolution }) => {
  const problems = policy.invalid.map(describeInvalidTag);
  if (resolution.problem !== null) problems.push(resolution.problem);
  if (problems.length === 0) return null;
  return { code: 'INVALID_OPT_IN_TAG', message: problems.join('; ') };
};

/**
 * SUBRESOURCE_NOT_OPTED_IN: an opted-in cluster has a node group or add-on without its own `auto-upgrade` = `true`
 * tag, which the upgrade role's IAM requires for UpdateNodegroupVersion / UpdateAddon.
 */
const subresourceNotOptedIn: BlockerCheck = ({ cluster, prefix, policy }) => {
  if (!policy.autoUpgrade) return null;
  const message = subresourceBlockerMessage(cluster, prefix);
  return message === null ? null : { code: 'SUBRESOURCE_NOT_OPTED_IN', message };
};

/** CLUSTER_NOT_ACTIVE: EKS accepts a version update only on an ACTIVE cluster. */
const clusterNotActive: BlockerCheck = ({ cluster }) =>
  cluster.status === 'ACTIVE'
    ? null
    : { code: 'CLUSTER_NOT_ACTIVE', message: `cluster status is ${cluster.status}, not ACTIVE` };

/** UPDATE_IN_PROGRESS: a cluster, node-group or add-on update is running; a version update cannot be cancelled. */
const updateInProgress: BlockerCheck = ({ cluster }) =>
  cluster.updateInProgress
    ? {
        code: 'UPDATE_IN_PROGRESS',
        message: 'a cluster, node-group or add-on update is in progress; wait for it to finish',
      }
    : null;

/** INSIGHT_ERROR: an upgrade-readiness insight in ERROR for the next minor (or for no particular version). */
const insightError: BlockerCheck = ({ cluster }) => {
  const next = nextMinor(cluster.version);
  const errors = cluster.insights.filter(
    (insight) =>
      insight.status === 'ERROR' && (insight.kubernetesVersion === null || insight.kubernetesVersion === next),
  );
  if (errors.length === 0) return null;
  const named = errors
    .map((insight) => (insight.reason === null ? insight.name : `${insight.name} (${insight.reason})`))
    .join('; ');
  return { code: 'INSIGHT_ERROR', message: `upgrade-readiness insight(s) in ERROR for ${next}: ${named}` };
};

/** ADDON_NO_COMPATIBLE_VERSION: an installed add-on has no catalog version compatible with the first hop. */
const addonNoCompatibleVersion: BlockerCheck = ({ cluster, ctx, resolution }) => {
  const hop = resolution.path[0];
  if (hop === undefined) return null;
  const stuck = cluster.addons.filter(
    (addon) => addonUpdateSteps(addon.name, addon.version, hop, ctx.catalog) === null,
  );
  if (stuck.length === 0) return null;
  const named = stuck.map((addon) => `${addon.name} (installed ${addon.version})`).join(', ');
  return { code: 'ADDON_NO_COMPATIBLE_VERSION', message: `no version of ${named} is compatible with ${hop}` };
};

/** CUSTOM_AMI_NODEGROUP: a node group with its own image cannot be moved by version (not checked for Auto Mode). */
const customAmiNodegroup: BlockerCheck = ({ cluster }) => {
  if (cluster.autoMode) return null;
  const custom = cluster.nodegroups.filter((nodegroup) => nodegroup.customAmi);
  if (custom.length === 0) return null;
  const named = custom.map((nodegroup) => nodegroup.name).join(', ');
  return {
    code: 'CUSTOM_AMI_NODEGROUP',
    message: `node group(s) ${named} use a custom AMI, which EKS cannot move by version; upgrade them yourself`,
  };
};

/** FROZEN: `freeze-until` is a later UTC day than today. */
const frozen: BlockerCheck = ({ ctx, policy }) => {
  if (policy.freezeUntil === null || policy.freezeUntil <= utcDateOf(ctx.now)) return null;
  return { code: 'FROZEN', message: `frozen until ${policy.freezeUntil} (UTC); upgrades may start from that day` };
};

/** OUTSIDE_WINDOW: a maintenance window is set and `now` is not inside it. */
export const outsideWindow: BlockerCheck = ({ ctx, policy }) => {
  if (policy.window === null) return null;
  const occurrence = windowAt(policy.window, ctx.now);
  if (occurrence.inside) return null;
  return {
    code: 'OUTSIDE_WINDOW',
    message: `outside the maintenance window "${policy.window.text}"; it next opens at ${occurrence.start.toISOString()}`,
  };
};

/** WAVE_NOT_READY: lower waves do not all run the first hop's version, soaked. */
const waveNotReady: BlockerCheck = ({ cluster, ctx, policy, resolution }) => {
  const hop = resolution.path[0];
  if (hop === undefined) return null;
  const gate = waveGate({
    wave: policy.wave,
    rolloutGroup: policy.rolloutGroup,
    hopVersion: hop,
    members: ctx.fleet.filter((member) => member.arn !== cluster.arn),
    now: ctx.now,
    soakDays: ctx.soakDays ?? DEFAULT_SOAK_DAYS,
    unreadable: ctx.unreadable ?? [],
  });
  return gate.ready ? null : { code: 'WAVE_NOT_READY', message: gate.reason };
};

/** AT_TARGET: there is nothing to upgrade to (a requested target that cannot be honoured is INVALID_OPT_IN_TAG instead). */
const atTarget: BlockerCheck = ({ cluster, resolution }) => {
  if (resolution.problem !== null || resolution.path.length > 0) return null;
  const { target } = resolution;
  let message: string;
  if (target === null) message = 'no upgrade target: no version is in standard support in the calendar';
  else if (target === cluster.version) message = `already at the target version ${target}`;
  else message = `runs ${cluster.version}, newer than the target ${target}`;
  return { code: 'AT_TARGET', message };
};

/** LOCKED: an unexpired lease on the cluster's upgrade lock, held by someone other than `ctx.lockHolder`. */
export const locked: BlockerCheck = ({ ctx }) => {
  const lease = ctx.lock;
  if (lease === undefined || lease === null || !isLeaseActive(lease, ctx.now) || lease.holder === ctx.lockHolder) {
    return null;
  }
  return {
    code: 'LOCKED',
    message: `another upgrade holds the lock: ${lease.holder}, since ${lease.acquiredAt}, until ${lease.expiresAt}`,
  };
};

/** STRATEGY_BLUE_GREEN: the owner tagged `strategy=blue-green`, so the cluster is never upgraded in place (§7.2). */
export const strategyBlueGreen: BlockerCheck = ({ cluster, policy, prefix, resolution }) => {
  if (policy.strategy !== 'blue-green' || resolution.path.length === 0) return null;
  return {
    code: 'STRATEGY_BLUE_GREEN',
    message:
      `tag ${prefix}strategy is "blue-green": never upgraded in place; ` +
      `fleet-auditor blue-green ${cluster.name} writes the replacement cluster`,
  };
};
/** FACTS_UNKNOWN: a part of the cluster (or the region's add-on catalog) a gate needs could not be read. */
const factsUnknown: BlockerCheck = ({ cluster, ctx }) => factsUnknownBlocker(cluster, ctx.addonCatalogKnown ?? true);

/** Every blocker predicate, in the order blockers are reported. */
export const BLOCKER_CHECKS: readonly BlockerCheck[] = Object.freeze([
  notOptedIn,
  invalidOptInTag,
  subresourceNotOptedIn,
  clusterNotActive,
  updateInProgress,
  insightError,
  addonNoCompatibleVersion,
  customAmiNodegroup,
  frozen,
  outsideWindow,
  waveNotReady,
  atTarget,
  locked,
  baking,
  heldAfterRollback,
  strategyBlueGreen,
  factsUnknown,
]);

/** Runs every blocker predicate and returns all that veto, in {@link BLOCKER_CHECKS} order. */
export function collectBlockers(input: BlockerInput): Blocker[] {
  return BLOCKER_CHECKS.map((check) => check(input)).filter((blocker): blocker is Blocker => blocker !== null);
}

/**
 * The upgrade plan of one cluster at `ctx.now`: target, path, every blocker that applies (in a fixed order), and the
 * next maintenance-window start. `eligible` means no blocker: the upgrade may start now.
 *
 * @throws InvalidVersionError when `cluster.version` is not a `MAJOR.MINOR` version.
 */
export function decideUpgrade(cluster: ClusterState, ctx: UpgradeContext): UpgradePlan {
  const input = prepareBlockerInput(cluster, ctx);
  const blockers = collectBlockers(input);
  const { policy, resolution } = input;
  return {
    optedIn: policy.autoUpgrade,
    target: resolution.target,
    path: resolution.path,
    eligible: blockers.length === 0,
    blockers,
    nextWindowStart: policy.window === null ? null : windowAt(policy.window, ctx.now).start.toISOString(),
    wave: policy.wave,
    ...upgradePhaseFields(ctx.bake),
    rolloutGroup: policy.rolloutGroup,
  };
}

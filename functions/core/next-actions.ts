/**
 * "What to do next" for one audited cluster, derived from its report row (findings, node groups, add-ons, upgrade
 * plan): the ordered steps its owner takes, or what the auditor (or AWS) will do by itself. Every action carries a
 * `code` and a `reason`; any output format (HTML, table, digest) can show them.
 *
 * Order follows what EKS requires: fix what blocks the next hop first (cluster status, tags, node groups behind the
 * control plane, incompatible add-ons, readiness insights, custom AMIs), then move the control plane one minor at a
 * time; waits (window, wave, freeze, bake) come last. Fields some reports lack (`strategy`, `rollback`,
 * `upgrade.phase`) are optional here, so older and newer reports both work.
 */
import type { AddonReport } from './report-types.ts';
import type { Deadline, Severity, Version } from './types.ts';
import { DEFAULT_TAG_PREFIX } from './defaults.ts';

type NextActionCode =
  | 'UP_TO_DATE'
  | 'WAIT_FOR_UPDATE'
  | 'RESTORE_CLUSTER'
  | 'FIX_OPT_IN_TAG'
  | 'UPGRADE_NODEGROUPS'
  | 'ROLL_CUSTOM_AMI'
  | 'UPDATE_ADDON'
  | 'FIX_ADDON'
  | 'RESOLVE_INSIGHT'
  | 'FIX_READ_ACCESS'
  | 'TAG_SUBRESOURCES'
  | 'PLAN_BLUE_GREEN'
  | 'UPGRADE_CONTROL_PLANE'
  | 'OPT_IN'
  | 'RAISE_TARGET'
  | 'AUTOMATIC_UPGRADE'
  | 'WAIT_FOR_WINDOW'
  | 'WAIT_FOR_WAVE'
  | 'FROZEN'
  | 'BAKING'
  | 'RELEASE_HOLD'
  | 'RESOLVE_BLOCKER';

/** Who acts: the cluster's owner, or nobody (the auditor or AWS proceeds on its own; the owner only watches). */
type NextActionActor = 'OWNER' | 'AUTOMATIC';

/** One step of "what to do next": a short imperative `action`, and why. */
interface NextAction {
  readonly code: NextActionCode;
  readonly actor: NextActionActor;
  readonly action: string;
  readonly reason: string;
}

/** The parts of a report row (DESIGN §5.2) the next actions are derived from; newer optional fields included. */
export interface NextActionsInput {
  readonly name: string;
  readonly version: Version;
  readonly status: string;
  readonly deadline: Deadline | null;
  readonly extendedSupportMonthlyUsd: number;
  readonly nodegroups: readonly { readonly name: string; readonly version: Version; readonly skew: number | null }[];
  readonly addons: readonly AddonReport[];
  readonly findings: readonly { readonly code: string; readonly severity: Severity; readonly message: string }[];
  readonly upgrade: {
    readonly optedIn: boolean;
    readonly target: Version | null;
    readonly path: readonly Version[];
    readonly eligible: boolean;
    readonly blockers: readonly { readonly code: string; readonly message: string }[];
    readonly nextWindowStart: string | null;
    readonly phase?: string | null;
    readonly bakeUntil?: string | null;
  };
  readonly strategy?: { readonly recommended: string } | null;
  readonly rollback?: {
    readonly available: boolean;
    readonly toVersion: string | null;
    readonly until: string | null;
  } | null;
}

export interface NextActionsOptions {
  /** Opt-in tag prefix; default {@link DEFAULT_TAG_PREFIX}. */
  readonly tagPrefix?: string;
}

const TRANSIENT_STATUSES: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'DELETING', 'PENDING']);

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/;

/** `2026-11-28T02:00:00.000Z` → `2026-11-28 02:00 UTC`; anything else unchanged. */
function when(instant: string): string {
  const match = ISO_INSTANT.exec(instant);
  return match === null ? instant : `${match[1]} ${match[2]} UTC`;
}

function owner(code: NextActionCode, action: string, reason: string): NextAction {
  return { code, actor: 'OWNER', action, reason };
}

function automatic(code: NextActionCode, action: string, reason: string): NextAction {
  return { code, actor: 'AUTOMATIC', action, reason };
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Why the next hop matters now, from the deadline and the bill. */
function urgency(cluster: NextActionsInput): string {
  const { deadline } = cluster;
  const bill =
    cluster.extendedSupportMonthlyUsd > 0
      ? `; it stops $${cluster.extendedSupportMonthlyUsd}/month of extended support`
      : '';
  if (deadline === null) return `${cluster.version} is not in the EKS support calendar${bill}`;
  const what =
    deadline.consequence === 'AUTO_UPGRADE' ? 'AWS may upgrade the control plane' : 'extended-support billing starts';
  if (deadline.daysRemaining < 0) return `${what} since ${deadline.date}${bill}`;
  return `${what} on ${deadline.date}, in ${deadline.daysRemaining} days${bill}`;
}

function statusActions(cluster: NextActionsInput): NextAction[] {
  if (cluster.status === 'ACTIVE') return [];
  if (TRANSIENT_STATUSES.has(cluster.status)) {
    return [
      automatic(
        'WAIT_FOR_UPDATE',
        `Wait for the cluster to leave ${cluster.status}`,
        'no upgrade starts until it is ACTIVE',
      ),
    ];
  }
  return [
    owner(
      'RESTORE_CLUSTER',
      `Investigate cluster status ${cluster.status}`,
      'no upgrade starts until the cluster is ACTIVE again',
    ),
  ];
}

function nodegroupActions(cluster: NextActionsInput): NextAction[] {
  const behind = cluster.nodegroups.filter((ng) => ng.skew !== null && ng.skew > 0);
  const actions: NextAction[] = [];
  if (behind.length > 0) {
    const names = list(behind.map((ng) => `${ng.name} (${ng.version})`));
    actions.push(
      owner(
        'UPGRADE_NODEGROUPS',
        `Upgrade node group${behind.length > 1 ? 's' : ''} ${names} to ${cluster.version}`,
        "EKS requires every node group at the control plane's version before the control plane moves",
      ),
    );
  }
  for (const finding of cluster.findings.filter((f) => f.code === 'CUSTOM_AMI_NODEGROUP')) {
    actions.push(owner('ROLL_CUSTOM_AMI', 'Roll the custom-AMI node group with each hop yourself', finding.message));
  }
  return actions;
}

function addonActions(cluster: NextActionsInput): NextAction[] {
  const next = cluster.upgrade.path[0] ?? null;
  const actions: NextAction[] = [];
  for (const addon of cluster.addons) {
    if (!addon.compatible) {
      actions.push(
        owner(
          'UPDATE_ADDON',
          `Update add-on ${addon.name} (${addon.version}) to a version for ${cluster.version}`,
          `${addon.version} is not listed as compatible with the running ${cluster.version}`,
        ),
      );
    } else if (next !== null && !addon.compatibleWithNext && addon.recommendedForNext === null) {
      actions.push(
        owner(
          'FIX_ADDON',
          `Fix add-on ${addon.name}: remove or replace it before ${next}`,
          `no published version of ${addon.name} runs on ${next}, so the upgrade cannot start`,
        ),
      );
    }
  }
  return actions;
}

/** Blocker codes handled elsewhere (or not the owner's problem), so they get no generic action. */
const HANDLED_BLOCKERS: ReadonlySet<string> = new Set([
  'NOT_OPTED_IN',
  'CLUSTER_NOT_ACTIVE',
  'UPDATE_IN_PROGRESS',
  'ADDON_NO_COMPATIBLE_VERSION',
  'CUSTOM_AMI_NODEGROUP',
  'AT_TARGET',
  'OUTSIDE_WINDOW',
  'WAVE_NOT_READY',
  'BAKING',
]);

function blockerAction(code: string, message: string): NextAction | null {
  switch (code) {
    case 'INVALID_OPT_IN_TAG':
      return owner('FIX_OPT_IN_TAG', 'Fix the opt-in tag', message);
    case 'INSIGHT_ERROR':
      return owner('RESOLVE_INSIGHT', 'Resolve the upgrade-readiness insight', message);
    case 'FACTS_UNKNOWN':
      return owner('FIX_READ_ACCESS', 'Restore read access to what the audit could not read', message);
    case 'SUBRESOURCE_NOT_OPTED_IN':
      return owner('TAG_SUBRESOURCES', 'Tag the node groups and add-ons with the opt-in tag', message);
    case 'HELD_AFTER_ROLLBACK':
      return owner('RELEASE_HOLD', 'Review the rollback, then change the target tag or release the hold', message);
    case 'FROZEN':
      return automatic('FROZEN', 'Frozen: no upgrade starts yet', message);
    case 'LOCKED':
      return automatic('RESOLVE_BLOCKER', 'Another upgrade run holds the lock', message);
    case 'STRATEGY_BLUE_GREEN':
      return null;
    default:
      return HANDLED_BLOCKERS.has(code) ? null : owner('RESOLVE_BLOCKER', `Resolve blocker ${code}`, message);
  }
}

/** `1.34, then 1.35, 1.36 (one minor per hop)`; only called with a non-empty path. */
function hopText(cluster: NextActionsInput): string {
  const { path } = cluster.upgrade;
  const rest = path.slice(1);
  return `${path[0]}${rest.length === 0 ? '' : `, then ${rest.join(', ')} (one minor per hop)`}`;
}

function upgradeActions(cluster: NextActionsInput, prefix: string): NextAction[] {
  const { upgrade } = cluster;
  const codes = new Set(upgrade.blockers.map((b) => b.code));
  const actions: NextAction[] = [];
  const blueGreen = cluster.strategy?.recommended === 'BLUE_GREEN' || codes.has('STRATEGY_BLUE_GREEN');
  if (upgrade.phase === 'BAKING') {
    const until =
      upgrade.bakeUntil === null || upgrade.bakeUntil === undefined ? 'the end of its bake' : when(upgrade.bakeUntil);
    const back =
      cluster.rollback?.available === true && cluster.rollback.toVersion !== null
        ? `; \`fleet-auditor rollback ${cluster.name}\` returns it to ${cluster.rollback.toVersion}${cluster.rollback.until === null ? '' : ` until ${when(cluster.rollback.until)}`}`
        : '';
    actions.push(
      automatic(
        'BAKING',
        `Baking ${cluster.version} until ${until}; node groups follow`,
        `a bad health signal rolls it back automatically${back}`,
      ),
    );
    return actions;
  }
  if (upgrade.path.length === 0) {
    const pinned = upgrade.target !== null && upgrade.target === cluster.version;
    const pressing =
      cluster.extendedSupportMonthlyUsd > 0 || (cluster.deadline !== null && cluster.deadline.daysRemaining <= 180);
    if (pinned && pressing && upgrade.optedIn) {
      actions.push(
        owner(
          'RAISE_TARGET',
          `Raise tag ${prefix}target-version above ${cluster.version}`,
          `the cluster sits at its target, but ${urgency(cluster)}`,
        ),
      );
    }
    return actions;
  }
  if (blueGreen) {
    actions.push(
      owner(
        'PLAN_BLUE_GREEN',
        `Replace it with a new cluster at ${upgrade.path[upgrade.path.length - 1]}: \`fleet-auditor blue-green ${cluster.name}\``,
        `an in-place upgrade is not recommended for this cluster; ${urgency(cluster)}`,
      ),
    );
    return actions;
  }
  if (upgrade.eligible) {
    actions.push(
      automatic(
        'AUTOMATIC_UPGRADE',
        `The auditor upgrades it to ${hopText(cluster)} at its next run`,
        urgency(cluster),
      ),
    );
    return actions;
  }
  if (!upgrade.optedIn) {
    actions.push(owner('UPGRADE_CONTROL_PLANE', `Upgrade the control plane to ${hopText(cluster)}`, urgency(cluster)));
    actions.push(
      owner(
        'OPT_IN',
        `Or opt in with tag ${prefix}auto-upgrade=true`,
        'the auditor then upgrades it hop by hop inside its maintenance window (tag maintenance-window)',
      ),
    );
    return actions;
  }
  const window = upgrade.blockers.find((b) => b.code === 'OUTSIDE_WINDOW');
  if (window !== undefined) {
    const at =
      upgrade.nextWindowStart === null
        ? 'in its next maintenance window'
        : `when its window opens at ${when(upgrade.nextWindowStart)}`;
    const late =
      upgrade.nextWindowStart !== null &&
      cluster.deadline !== null &&
      upgrade.nextWindowStart.slice(0, 10) > cluster.deadline.date
        ? ` The window opens after the deadline ${cluster.deadline.date}: widen it or upgrade by hand.`
        : '';
    actions.push(
      automatic('WAIT_FOR_WINDOW', `Upgrade to ${upgrade.path[0]} starts ${at}`, `${window.message}.${late}`),
    );
  }
  const wave = upgrade.blockers.find((b) => b.code === 'WAVE_NOT_READY');
  if (wave !== undefined) actions.push(automatic('WAIT_FOR_WAVE', 'Waits for its lower waves', wave.message));
  return actions;
}

/**
 * The next actions for one cluster, most pressing first; `UP_TO_DATE` alone when nothing is to be done.
 *
 * @example
 * nextActions(clusterReport)[0]
 * // { code: 'UPGRADE_NODEGROUPS', actor: 'OWNER', action: 'Upgrade node group ng-1 (1.32) to 1.33', reason: '…' }
 */
export function nextActions(cluster: NextActionsInput, options: NextActionsOptions = {}): NextAction[] {
  const prefix = options.tagPrefix ?? DEFAULT_TAG_PREFIX;
  const blockers = cluster.upgrade.blockers.flatMap((b) => {
    const action = blockerAction(b.code, b.message);
    return action === null ? [] : [action];
  });
  const actions = [
    ...statusActions(cluster),
    ...blockers.filter((a) => a.actor === 'OWNER'),
    ...nodegroupActions(cluster),
    ...addonActions(cluster),
    ...upgradeActions(cluster, prefix),
    ...blockers.filter((a) => a.actor === 'AUTOMATIC'),
  ];
  if (actions.length > 0) return actions;
  const target = cluster.upgrade.target;
  const reason =
    target === null
      ? 'no newer version is in standard support'
      : target === cluster.version
        ? `${cluster.version} is its target version`
        : `no upgrade is planned (target ${target})`;
  return [automatic('UP_TO_DATE', 'Nothing to do', reason)];
}

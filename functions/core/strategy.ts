/**
 * Upgrade strategy (DESIGN §4 tag `strategy`, §5.2 `strategy`, §7.2): whether a cluster should move to its target
 * in place (hop by hop, with EKS version rollback as the way back) or blue/green (a replacement cluster at the
 * target, the old one kept as the way back) — with a code and a reason for every fact that decided it.
 *
 * Decisions where the design is silent:
 * - The owner's tag wins: `in-place` recommends IN_PLACE and `blue-green` BLUE_GREEN whatever the facts; the facts
 *   that argue for blue/green are still listed, so an owner who chose in-place sees what they accepted.
 * - "Several minors behind" means more than two minors between the running version and the target: three or more
 *   in-place hops, each one a control-plane upgrade, a bake and a node roll.
 * - Self-managed nodes are invisible to the EKS API; they are *suspected* when an upgrade-readiness insight says so
 *   (its name or reason mentions self-managed nodes), or when a kubelet-skew insight is not PASSING although every
 *   managed node group already runs the control plane's version (so the lagging kubelets are elsewhere).
 * - The rollback window cannot be kept when the node phase may have to start more than {@link SAFE_ROLLBACK_DAYS}
 *   days after the control plane moved: the bake plus the wait for the maintenance window to reopen. That is the
 *   design's cap on a bake "so the rollback stays available" (EKS allows a rollback for 7 days).
 * - The bake is the `bake` tag as the tag parser read it (`parseBake` of `core/bake.ts`: `0`, `12h`, `3d`, at most
 *   `6d`), else 24 hours; an invalid `bake` tag is reported by that parser, not here.
 */
import { nextWindowStart, windowAt, type MaintenanceWindow } from './maintenance-window.ts';
import type { ClusterState, Finding, Version } from './types.ts';
import { compareVersions, minorsBetween } from './versions.ts';

/** What the owner may write in the `strategy` tag. */
const STRATEGY_TAG_VALUES = ['in-place', 'blue-green', 'auto'] as const;

/** The `strategy` tag's value; `auto` when absent. */
export type StrategyChoice = (typeof STRATEGY_TAG_VALUES)[number];

/** How a cluster should reach its target. */
type Strategy = 'IN_PLACE' | 'BLUE_GREEN';

/** Machine-readable causes of a strategy recommendation. */
export type StrategyReasonCode =
  | 'OWNER_CHOSE_BLUE_GREEN'
  | 'OWNER_CHOSE_IN_PLACE'
  | 'MANY_MINORS_BEHIND'
  | 'CUSTOM_AMI_NODES'
  | 'SELF_MANAGED_NODES_SUSPECTED'
  | 'ROLLBACK_WINDOW_UNKEEPABLE'
  | 'IN_PLACE_COVERED';

/** One reason of a recommendation. */
interface StrategyReason {
  readonly code: StrategyReasonCode;
  readonly message: string;
}

/** The report's `strategy` object (DESIGN §5.2). */
export interface StrategyRecommendation {
  readonly recommended: Strategy;
  readonly reasons: readonly StrategyReason[];
}

/** More minors than this between the running version and the target recommend blue/green. */
const MAX_IN_PLACE_MINORS = 2;

/** The node phase must be able to start within this many days of the control-plane move (the bake cap). */
const SAFE_ROLLBACK_DAYS = 6;

const HOUR_MS = 3_600_000;

const DAY_MS = 24 * HOUR_MS;

/**
 * Parses the `strategy` tag strictly: exactly `in-place`, `blue-green` or `auto` (no trimming, no other case).
 *
 * @returns the choice, or a reason the value is invalid.
 */
export function parseStrategyTag(
  value: string,
): { readonly ok: true; readonly value: StrategyChoice } | { readonly ok: false; readonly reason: string } {
  if ((STRATEGY_TAG_VALUES as readonly string[]).includes(value)) return { ok: true, value: value as StrategyChoice };
  return { ok: false, reason: 'must be exactly "in-place", "blue-green" or "auto"' };
}

/** What the strategy rule looks at besides the cluster. */
export interface StrategyInput {
  readonly cluster: ClusterState;
  /** The owner's `strategy` tag (`auto` when absent or invalid). */
  readonly choice: StrategyChoice;
  /** The resolved upgrade target, or null when there is none. */
  readonly target: Version | null;
  /** The maintenance window, or null when upgrades may start at any time. */
  readonly window: MaintenanceWindow | null;
  /** Hours the control plane bakes before the node phase. */
  readonly bakeHours: number;
  /** The clock: the window's next occurrences are counted from it. */
  readonly now: Date;
}

function hours(ms: number): string {
  const h = Math.round(ms / HOUR_MS);
  return h % 24 === 0 ? `${h / 24}d` : h > 24 ? `${Math.floor(h / 24)}d${h % 24}h` : `${h}h`;
}

function manyMinorsBehind({ cluster, target }: StrategyInput): StrategyReason | null {
  if (target === null || compareVersions(target, cluster.version) <= 0) return null;
  const minors = minorsBetween(cluster.version, target);
  if (minors <= MAX_IN_PLACE_MINORS) return null;
  return {
    code: 'MANY_MINORS_BEHIND',
    message:
      `${cluster.version} is ${minors} minors behind the target ${target}: ${minors} in-place hops, each a ` +
      `control-plane upgrade, a bake and a node roll; one new cluster at ${target} is shorter and keeps the old as the way back`,
  };
}

function customAmiNodes({ cluster }: StrategyInput): StrategyReason | null {
  if (cluster.autoMode) return null;
  const custom = cluster.nodegroups.filter((nodegroup) => nodegroup.customAmi).map((nodegroup) => nodegroup.name);
  if (custom.length === 0) return null;
  return {
    code: 'CUSTOM_AMI_NODES',
    message:
      `node group(s) ${custom.join(', ')} run a custom AMI: EKS cannot move them by version and a version rollback ` +
      'does not cover them; build them at the target in a new cluster instead',
  };
}

const SELF_MANAGED = /self[- ]managed/i;

function selfManagedSuspected({ cluster }: StrategyInput): StrategyReason | null {
  if (cluster.autoMode) return null;
  const said = cluster.insights.filter(
    (insight) =>
      insight.status !== 'PASSING' && (SELF_MANAGED.test(insight.name) || SELF_MANAGED.test(insight.reason ?? '')),
  );
  const managedCurrent = cluster.nodegroups.every((nodegroup) => nodegroup.version === cluster.version);
  const skew = managedCurrent
    ? cluster.insights.filter(
        (insight) =>
          /^kubelet version skew/i.test(insight.name) && (insight.status === 'WARNING' || insight.status === 'ERROR'),
      )
    : [];
  const evidence = [...new Set([...said, ...skew])];
  if (evidence.length === 0) return null;
  const named = evidence.map((insight) => `"${insight.name}" (${insight.status})`).join(', ');
  const fargate = cluster.fargateProfiles.length > 0 ? ', or Fargate pods not restarted since the last upgrade' : '';
  return {
    code: 'SELF_MANAGED_NODES_SUSPECTED',
    message:
      `insight ${named} points at kubelets outside the managed node groups (self-managed nodes suspected${fargate}); ` +
      'EKS neither upgrades nor rolls them back',
  };
}

/**
 * Waits already worked out, by window, bake and UTC day: a fleet shares a few windows, and the answer changes only
 * with the calendar (daylight-saving shifts), so each is computed once a day instead of once per cluster.
 */
const WAIT_MEMO = new Map<string, number>();

/** The longest wait, over the window's next week of openings, from a control-plane start to the node phase. */
function longestNodePhaseWait(window: MaintenanceWindow | null, bakeMs: number, now: Date): number {
  if (window === null) return bakeMs;
  const key = `${window.text}|${window.timeZone}|${bakeMs}|${now.toISOString().slice(0, 10)}`;
  const known = WAIT_MEMO.get(key);
  if (known !== undefined) return known;
  if (WAIT_MEMO.size >= 1000) WAIT_MEMO.clear();
  const worst = computeLongestWait(window, bakeMs, now);
  WAIT_MEMO.set(key, worst);
  return worst;
}

function computeLongestWait(window: MaintenanceWindow, bakeMs: number, now: Date): number {
  let worst = 0;
  let opening = windowAt(window, now).start;
  const horizon = now.getTime() + 8 * DAY_MS;
  while (opening.getTime() < horizon) {
    const baked = new Date(opening.getTime() + bakeMs);
    const occurrence = windowAt(window, baked);
    const nodeStart = occurrence.inside ? baked : occurrence.start;
    worst = Math.max(worst, nodeStart.getTime() - opening.getTime());
    opening = nextWindowStart(window, opening);
  }
  return worst;
}

function rollbackWindowUnkeepable(input: StrategyInput): StrategyReason | null {
  const { window, bakeHours, now } = input;
  const wait = longestNodePhaseWait(window, bakeHours * HOUR_MS, now);
  if (wait <= SAFE_ROLLBACK_DAYS * DAY_MS) return null;
  const where = window === null ? '' : ` and the maintenance window "${window.text}"`;
  return {
    code: 'ROLLBACK_WINDOW_UNKEEPABLE',
    message:
      `with a ${hours(bakeHours * HOUR_MS)} bake${where}, node groups could follow the control plane only ` +
      `${hours(wait)} after it moved, past the ${SAFE_ROLLBACK_DAYS} days in which an EKS version rollback is still safe`,
  };
}

const FACT_RULES: readonly ((input: StrategyInput) => StrategyReason | null)[] = [
  manyMinorsBehind,
  customAmiNodes,
  selfManagedSuspected,
  rollbackWindowUnkeepable,
];

/**
 * Recommends IN_PLACE or BLUE_GREEN for one cluster, with every reason. The owner's `in-place`/`blue-green` tag
 * decides; with `auto` any fact listed recommends BLUE_GREEN, none recommends IN_PLACE.
 *
 * @example recommendStrategy({ cluster, choice: 'auto', target: '1.35', window: null, bakeHours: 24, now })
 *   // a 1.31 cluster: { recommended: 'BLUE_GREEN', reasons: [{ code: 'MANY_MINORS_BEHIND', … }] }
 */
export function recommendStrategy(input: StrategyInput): StrategyRecommendation {
  const facts = FACT_RULES.map((rule) => rule(input)).filter((reason): reason is StrategyReason => reason !== null);
  if (input.choice === 'blue-green') {
    return {
      recommended: 'BLUE_GREEN',
      reasons: [
        { code: 'OWNER_CHOSE_BLUE_GREEN', message: 'the owner tagged strategy=blue-green: never upgraded in place' },
        ...facts,
      ],
    };
  }
  if (input.choice === 'in-place') {
    const accepted = facts.length === 0 ? '' : '; the facts below argue for blue/green and were accepted';
    return {
      recommended: 'IN_PLACE',
      reasons: [{ code: 'OWNER_CHOSE_IN_PLACE', message: `the owner tagged strategy=in-place${accepted}` }, ...facts],
    };
  }
  if (facts.length > 0) return { recommended: 'BLUE_GREEN', reasons: facts };
  return {
    recommended: 'IN_PLACE',
    reasons: [
      {
        code: 'IN_PLACE_COVERED',
        message:
          `at most ${MAX_IN_PLACE_MINORS} minors to go, every node group managed by EKS, and the node phase can ` +
          'start while an EKS version rollback is still available',
      },
    ],
  };
}

/** The `BLUE_GREEN_RECOMMENDED` finding (NOTICE) when blue/green is recommended, with its reasons. */
export function strategyFindings(recommendation: StrategyRecommendation): Finding[] {
  if (recommendation.recommended !== 'BLUE_GREEN') return [];
  return [
    {
      code: 'BLUE_GREEN_RECOMMENDED',
      severity: 'NOTICE',
      message: `blue/green recommended (fleet-auditor blue-green CLUSTER writes the replacement): ${recommendation.reasons
        .map((reason) => reason.message)
        .join('; ')}`,
    },
  ];
}

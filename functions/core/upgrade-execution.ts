/**
 * The identity and rhythm of one upgrade execution (DESIGN §7): its deterministic name (cluster + target + date, so
 * Step Functions itself refuses a duplicate start), the idempotency token of each EKS write call (derived from the
 * execution name and the hop, so a retried task gets the same update back instead of a second one), the growing
 * waits between `DescribeUpdate` polls, and the names of the steps a failure is reported at.
 */
import { createHash } from 'node:crypto';
import { utcDateOf } from './calendar.ts';
import type { ClusterRef } from './messages.ts';
import type { IsoInstant, Version } from './types.ts';
import type { UpgradeAction } from './upgrade-plan-steps.ts';

/** What the dispatcher hands each execution: the input of `statemachines/upgrade-cluster.asl.json`. */
export interface UpgradeExecutionInput {
  /** Also the Step Functions execution name and the lock holder. */
  readonly executionName: string;
  /** The cluster as the audit saw it when dispatching (its `version` is the upgrade's `fromVersion`). */
  readonly cluster: ClusterRef;
  /** The version the upgrade stops at (never beyond, even if the tags ask for more meanwhile). */
  readonly targetVersion: Version;
  /** When it was dispatched: the key of its upgrade record. */
  readonly startedAt: IsoInstant;
}

/** The steps an upgrade failure is reported at (`UPGRADE_FAILED` detail `error.step`, the record's `step`). */
export type UpgradeStep =
  | 'ACQUIRE_LOCK'
  | 'PRE_FLIGHT'
  | 'ALIGN_NODEGROUPS'
  | 'CONTROL_PLANE'
  | 'ADDONS'
  | 'NODEGROUPS'
  | 'POST_FLIGHT'
  | 'RECORD_HOP'
  | 'HOP_GATE'
  | 'FINISH'
  | 'BAKE'
  | 'ROLLBACK';

/** Every step, in the order an execution passes them. */
export const UPGRADE_STEPS: readonly UpgradeStep[] = Object.freeze([
  'ACQUIRE_LOCK',
  'PRE_FLIGHT',
  'ALIGN_NODEGROUPS',
  'CONTROL_PLANE',
  'ADDONS',
  'NODEGROUPS',
  'POST_FLIGHT',
  'RECORD_HOP',
  'HOP_GATE',
  'FINISH',
  'BAKE',
  'ROLLBACK',
]);

/** Step Functions execution names: at most 80 characters of letters, digits, `-` and `_`. */
const MAX_EXECUTION_NAME = 80;
const CLUSTER_PART = 40;

/** FNV-1a over UTF-16 code units, 32 bits, from `seed`: a stable, dependency-free fingerprint (not a secret). */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A stable hexadecimal fingerprint of `text`, `chars` long (a multiple of 8, at most 32). */
export function fingerprint(text: string, chars = 8): string {
  const seeds = [0x811c9dc5, 0x050c5d1f, 0x2f0b3c4d, 0x6b8b4567];
  return seeds
    .slice(0, Math.max(1, Math.min(4, Math.ceil(chars / 8))))
    .map((seed) => hex8(fnv1a(text, seed)))
    .join('')
    .slice(0, chars);
}

/** Hex characters of the execution name's hash: 16 = 64 bits of SHA-256. */
const EXECUTION_HASH_CHARS = 16;

/**
 * The hexadecimal SHA-256 of the cluster ARN and the target, `EXECUTION_HASH_CHARS` long: a collision-resistant
 * identity (not a secret). A cheap non-cryptographic hash would let a member account pick a cluster whose name
 * collides with another account's cluster and so make that cluster's upgrade look "already started".
 */
export function executionHash(clusterArn: string, targetVersion: Version): string {
  return createHash('sha256').update(`${clusterArn}\n${targetVersion}`).digest('hex').slice(0, EXECUTION_HASH_CHARS);
}

/**
 * The deterministic execution name of upgrading `cluster` to `targetVersion` on the UTC day of `now`:
 * `<cluster name>-<target>-<yyyymmdd>-<hash>`, e.g. `dev-sandbox-1-35-20261122-3fa2b1c94d0e77a1`. The same
 * cluster, target and day always give the same name, so a second start that day is refused as a duplicate; the
 * hash (64 bits of SHA-256 of the cluster ARN and the target) keeps clusters of the same name in other accounts or
 * regions apart. The name is shortened, never the hash, so it always fits Step Functions' 80 characters.
 *
 * @example upgradeExecutionName({ name: 'dev', arn }, '1.35', new Date('2026-11-22T02:00:00Z')) // 'dev-1-35-20261122-…'
 */
export function upgradeExecutionName(
  cluster: { readonly name: string; readonly arn: string },
  targetVersion: Version,
  now: Date,
): string {
  const target = targetVersion.replace(/[^A-Za-z0-9]/g, '-').slice(0, 16);
  const day = utcDateOf(now).replaceAll('-', '');
  const suffix = `-${target}-${day}-${executionHash(cluster.arn, targetVersion)}`;
  const room = Math.min(CLUSTER_PART, MAX_EXECUTION_NAME - suffix.length);
  const safeName = cluster.name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, room);
  return `${safeName}${suffix}`;
}

/** The resource an action changes, as a token component. */
function actionResource(action: UpgradeAction): string {
  switch (action.kind) {
    case 'UpdateClusterVersion':
      return 'control-plane';
    case 'UpdateNodegroupVersion':
      return `nodegroup/${action.nodegroup}`;
    case 'UpdateAddon':
      return `addon/${action.addon}`;
  }
}

/**
 * The `clientRequestToken` of one EKS write call: derived from the execution name, the hop and the action, so a
 * retried task (or a re-driven execution) gets the update it already started back from EKS instead of a second one.
 */
export function upgradeRequestToken(executionName: string, hopVersion: Version, action: UpgradeAction): string {
  const key = [executionName, hopVersion, action.phase, actionResource(action), action.version].join('|');
  return `fleet-auditor-${fingerprint(key, 32)}`;
}

/** First wait after an update starts, and the cap of the growing waits. */
export const FIRST_POLL_WAIT_SECONDS = 30;
const MAX_POLL_WAIT_SECONDS = 300;

/**
 * Seconds to wait before the next `DescribeUpdate` after `polls` polls: 30 → 60 → 120 → 240 → 300 → 300 …,
 * quick for add-ons (seconds to minutes), patient for control planes and node groups (tens of minutes).
 */
export function pollWaitSeconds(polls: number): number {
  const doublings = Math.max(0, Math.floor(polls));
  return Math.min(FIRST_POLL_WAIT_SECONDS * 2 ** Math.min(doublings, 16), MAX_POLL_WAIT_SECONDS);
}

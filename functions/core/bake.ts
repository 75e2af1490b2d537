/**
 * The bake of an in-place hop (DESIGN §4 tags `bake` and `health-alarms`, §7.1): how long a new control-plane minor
 * must run healthy before the node groups follow it, which alarms watch it, and when the node phase may start.
 *
 * Both tags are parsed strictly (no trimming, no case folding), like every tag value: the product and IAM agree on
 * what a value means.
 * - `bake`: `0`, or a whole number of hours (`12h`) or days (`3d`), at most 6 days so the 7-day rollback window
 *   still covers the whole bake and a day to act; no leading zeros. Default 24h (configurable).
 * - `health-alarms`: comma-separated CloudWatch alarm names, or `prefix*` (a non-empty prefix), each without
 *   surrounding spaces, at most 100 entries.
 */
import { windowAt, type MaintenanceWindow } from './maintenance-window.ts';
import type { IsoInstant } from './types.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The longest bake a tag may ask for: 6 days (the rollback window is 7). */
export const MAX_BAKE_MS = 6 * DAY_MS;

/** At most this many entries in a `health-alarms` tag (DescribeAlarms takes 100 names per call). */
const MAX_HEALTH_ALARMS = 100;

/** A parsed tag value, or why it cannot be honoured. */
type TagParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Parses a `bake` tag value into milliseconds.
 *
 * @example parseBake('12h') // { ok: true, value: 43_200_000 }
 * @example parseBake('7d')  // { ok: false, reason: 'must be at most 6d …' }
 */
export function parseBake(value: string): TagParse<number> {
  if (value === '0') return { ok: true, value: 0 };
  const match = /^([1-9]\d{0,3})([hd])$/.exec(value);
  if (match === null) {
    return { ok: false, reason: 'must be 0, a number of hours such as 12h, or of days such as 3d (at most 6d)' };
  }
  const ms = Number(match[1]) * (match[2] === 'd' ? DAY_MS : HOUR_MS);
  if (ms > MAX_BAKE_MS) {
    return { ok: false, reason: 'must be at most 6d (144h), so the 7-day rollback window covers the whole bake' };
  }
  return { ok: true, value: ms };
}

/**
 * Parses a `health-alarms` tag value into alarm names and `prefix*` patterns.
 *
 * @example parseHealthAlarms('web-5xx,web-latency*') // { ok: true, value: ['web-5xx', 'web-latency*'] }
 */
export function parseHealthAlarms(value: string): TagParse<readonly string[]> {
  const entries = value.split(',');
  if (entries.length > MAX_HEALTH_ALARMS) {
    return { ok: false, reason: `must name at most ${MAX_HEALTH_ALARMS} alarms` };
  }
  for (const entry of entries) {
    if (entry === '') return { ok: false, reason: 'must be comma-separated alarm names with no empty entry' };
    if (entry !== entry.trim()) return { ok: false, reason: `entry "${entry}" has surrounding spaces` };
    if (entry === '*')
      return { ok: false, reason: 'a pattern needs a prefix before *; "*" alone would watch every alarm' };
    if (entry.slice(0, -1).includes('*')) return { ok: false, reason: `entry "${entry}" may have * only at its end` };
    if (entry.length > 255)
      return { ok: false, reason: `entry "${entry.slice(0, 20)}…" is longer than 255 characters` };
  }
  return { ok: true, value: entries };
}

/** Whether an alarm name is watched by one `health-alarms` entry (`name` exactly, or `prefix*`). */
export function alarmWatched(pattern: string, alarmName: string): boolean {
  return pattern.endsWith('*') ? alarmName.startsWith(pattern.slice(0, -1)) : alarmName === pattern;
}

/** When a bake that started at `startedAt` ends. */
export function bakeUntil(startedAt: IsoInstant, bakeMs: number): IsoInstant {
  return new Date(Date.parse(startedAt) + bakeMs).toISOString();
}

/** What to do with a baking hop now. */
type BakeAction = 'KEEP_BAKING' | 'ROLL_NODES' | 'ROLL_BACK';

/** A bake decision: the action, its code and a reason to record and show. */
export interface BakeDecision {
  readonly action: BakeAction;
  readonly code: 'BAD_SIGNAL' | 'HEALTH_UNKNOWN' | 'BAKING' | 'OUTSIDE_WINDOW' | 'BAKE_COMPLETE';
  readonly reason: string;
}

/** The facts one bake check judges. */
interface BakeCheck {
  readonly bakeUntil: IsoInstant;
  readonly now: Date;
  /** The health verdict of this check (see `judgeHealth`). */
  readonly health: { readonly verdict: 'HEALTHY' | 'BAD' | 'UNKNOWN'; readonly code: string; readonly reason: string };
  /** The cluster's maintenance window: the node phase starts only inside it. Null: any time. */
  readonly window: MaintenanceWindow | null;
}

/**
 * Decides a bake check: a bad signal rolls back at once (window or not: a rollback is remedial); unknown health or
 * an unfinished bake keeps baking; a finished, healthy bake moves the node groups, but only inside the window.
 */
export function decideBake(check: BakeCheck): BakeDecision {
  const { health, now } = check;
  if (health.verdict === 'BAD') {
    return { action: 'ROLL_BACK', code: 'BAD_SIGNAL', reason: `${health.code}: ${health.reason}` };
  }
  if (health.verdict === 'UNKNOWN') {
    return {
      action: 'KEEP_BAKING',
      code: 'HEALTH_UNKNOWN',
      reason: `health could not be judged (${health.reason}); the node groups wait, never moved on a guess`,
    };
  }
  if (now.getTime() < Date.parse(check.bakeUntil)) {
    return { action: 'KEEP_BAKING', code: 'BAKING', reason: `healthy so far; baking until ${check.bakeUntil}` };
  }
  if (check.window !== null) {
    const occurrence = windowAt(check.window, now);
    if (!occurrence.inside) {
      return {
        action: 'KEEP_BAKING',
        code: 'OUTSIDE_WINDOW',
        reason: `baked healthy until ${check.bakeUntil}; the node groups move in the window "${check.window.text}", next at ${occurrence.start.toISOString()}`,
      };
    }
  }
  return { action: 'ROLL_NODES', code: 'BAKE_COMPLETE', reason: `baked healthy until ${check.bakeUntil}` };
}

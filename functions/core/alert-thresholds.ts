/**
 * Deadline alert thresholds (DESIGN §4): one message per cluster, per deadline, per threshold, ever. The caller keeps
 * the ledger of what was sent (a conditional put per key and threshold); this module decides what is new.
 */
import type { Deadline, Version } from './types.ts';

/**
 * Days before the effective deadline at which an alert goes out, farthest first. `0` means the deadline has passed
 * (`daysRemaining ≤ 0`: support ends at the start of that UTC day).
 */
export const ALERT_THRESHOLDS: readonly number[] = Object.freeze([180, 90, 60, 30, 14, 7, 1, 0]);

/** Decision of {@link decideAlert}. */
export interface AlertDecision {
  readonly code: 'SEND' | 'NONE';
  /** The threshold the one message names (the nearest newly crossed), or null when nothing is sent. */
  readonly threshold: number | null;
  /** Thresholds to record as sent: every newly crossed one, farthest first. */
  readonly record: number[];
  readonly reason: string;
}

/**
 * Every threshold `daysRemaining` has reached, farthest first: a threshold T is crossed when `daysRemaining ≤ T`.
 *
 * @example crossedThresholds(25) // [180, 90, 60, 30]
 */
export function crossedThresholds(daysRemaining: number): number[] {
  if (!Number.isFinite(daysRemaining)) return [];
  return ALERT_THRESHOLDS.filter((threshold) => daysRemaining <= threshold);
}

/**
 * The ledger key of a deadline: the running version, the consequence and the date. An upgrade (or a change of
 * support policy that changes the deadline) yields a new key, which resets the thresholds.
 */
export function deadlineKey(version: Version, deadline: Deadline): string {
  return `${version}|${deadline.consequence}|${deadline.date}`;
}

function describeThreshold(threshold: number, daysRemaining: number): string {
  if (threshold === 0) {
    return daysRemaining === 0
      ? 'the deadline is today: support ended at 00:00 UTC'
      : `the deadline passed ${-daysRemaining} day(s) ago`;
  }
  return `${daysRemaining} day(s) remain, within the ${threshold}-day threshold`;
}

/**
 * Which alert to send now: the newly crossed thresholds (not in `alreadySent`) are all recorded, and one message
 * names the nearest of them; nothing new means no message. A cluster seen for the first time at 25 days gets one
 * message for 30 and records 180, 90, 60 and 30.
 */
export function decideAlert(input: { daysRemaining: number; alreadySent: readonly number[] }): AlertDecision {
  const { daysRemaining, alreadySent } = input;
  if (!Number.isFinite(daysRemaining)) {
    return {
      code: 'NONE',
      threshold: null,
      record: [],
      reason: `daysRemaining ${daysRemaining} is not a number of days`,
    };
  }
  const fresh = crossedThresholds(daysRemaining).filter((threshold) => !alreadySent.includes(threshold));
  const nearest = fresh.at(-1);
  if (nearest === undefined) {
    const crossed = crossedThresholds(daysRemaining);
    const reason =
      crossed.length === 0
        ? `${daysRemaining} days remain, more than the farthest threshold (${ALERT_THRESHOLDS[0]} days)`
        : `every threshold crossed at ${daysRemaining} days remaining (${crossed.join(', ')}) was already sent`;
    return { code: 'NONE', threshold: null, record: [], reason };
  }
  const earlier = fresh.slice(0, -1);
  const alsoRecorded = earlier.length === 0 ? '' : `; also recorded as sent: ${earlier.join(', ')}`;
  return {
    code: 'SEND',
    threshold: nearest,
    record: fresh,
    reason: `${describeThreshold(nearest, daysRemaining)}${alsoRecorded}`,
  };
}

/**
 * Deadline alert thresholds (DESIGN §4): one message per cluster, per deadline, per threshold, ever. The caller keeps
 * the ledger of what was sent (a conditional put per key and threshold); this module decides which deadlines a
 * cluster is alerted on and what is new for each.
 */
import { daysBetween, utcDateOf } from './calendar.ts';
import { isBilledExtended } from './deadline.ts';
import type { Deadline, IsoDate, SupportStatus, SupportType, Version } from './types.ts';

/**
 * Days before the effective deadline at which an alert goes out, farthest first. `0` means the deadline has passed
 * (`daysRemaining ≤ 0`: support ends at the start of that UTC day).
 */
export const ALERT_THRESHOLDS: readonly number[] = Object.freeze([180, 90, 60, 30, 14, 7, 1, 0]);

/** Decision of {@link decideAlert}. */
interface AlertDecision {
  readonly code: 'SEND' | 'NONE';
  /** The threshold the one message names (the nearest newly crossed), or null when nothing is sent. */
  readonly threshold: number | null;
  /**
   * Thresholds to record as sent: every newly crossed one, farthest first. With NONE these are crossed thresholds
   * farther than one already sent, recorded without a message.
   */
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

/**
 * The ledger key of a version the support calendar does not list (treated as unsupported): `1.22|UNSUPPORTED`.
 * It has no date, so it is alerted once per cluster and version, ever.
 */
export function unsupportedKey(version: Version): string {
  return `${version}|UNSUPPORTED`;
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
 * message for 30 and records 180, 90, 60 and 30. A threshold farther than the nearest one already sent is never
 * sent (its news is older than what the cluster was told): it is recorded silently, with code NONE.
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
  const crossed = crossedThresholds(daysRemaining);
  const fresh = crossed.filter((threshold) => !alreadySent.includes(threshold));
  const nearestSent = Math.min(...alreadySent);
  const sendable = fresh.filter((threshold) => threshold < nearestSent);
  const nearest = sendable.at(-1);
  if (nearest === undefined) {
    if (fresh.length > 0) {
      return {
        code: 'NONE',
        threshold: null,
        record: fresh,
        reason:
          `the nearer ${nearestSent}-day alert was already sent; ${fresh.join(', ')} recorded as sent ` +
          'without a message',
      };
    }
    const reason =
      crossed.length === 0
        ? `${daysRemaining} days remain, more than the farthest threshold (${ALERT_THRESHOLDS[0]} days)`
        : `every threshold crossed at ${daysRemaining} days remaining (${crossed.join(', ')}) was already sent`;
    return { code: 'NONE', threshold: null, record: [], reason };
  }
  const earlier = fresh.filter((threshold) => threshold !== nearest);
  const alsoRecorded = earlier.length === 0 ? '' : `; also recorded as sent: ${earlier.join(', ')}`;
  return {
    code: 'SEND',
    threshold: nearest,
    record: fresh,
    reason: `${describeThreshold(nearest, daysRemaining)}${alsoRecorded}`,
  };
}

/** Why a deadline is evaluated for alerts. */
type AlertDeadlineCode = 'EFFECTIVE_DEADLINE' | 'EXTENDED_BILLING_STARTED' | 'VERSION_UNSUPPORTED';

/** One deadline of a cluster to evaluate against its own ledger key. */
export interface AlertDeadline {
  readonly code: AlertDeadlineCode;
  /** The alert-ledger key its thresholds are recorded under. */
  readonly key: string;
  /** The deadline the message names; null for a version the support calendar does not list. */
  readonly deadline: Deadline | null;
  readonly reason: string;
}

/** The parts of an audit-report row (`ClusterReport`) that decide which deadlines are alerted on. */
export interface AlertDeadlineInput {
  readonly version: Version;
  readonly supportType: SupportType;
  readonly supportStatus: SupportStatus;
  readonly endOfStandardSupport: IsoDate | null;
  readonly deadline: Deadline | null;
}

/**
 * Every deadline to evaluate for a cluster at `now`, each with its own ledger key:
 * - the effective deadline of the report;
 * - for an EXTENDED-policy cluster billed for extended support (past end of standard support, before end of
 *   extended support), also the passed EXTENDED_BILLING deadline (end of standard support, `daysRemaining ≤ 0`), so
 *   the "billing starts" alert goes out once: on the day billing starts, or when a billed cluster is first seen.
 *   Its key is the one the cluster's pre-billing alerts (180 … 1 days) were recorded under;
 * - for a version not in the calendar and treated as unsupported, one key `version|UNSUPPORTED` with no date.
 * A version newer than every calendar row (no deadline known yet, not unsupported) has none.
 *
 * @example alertDeadlines(payments134, new Date('2026-12-02T12:00:00Z'))
 *   // [{ code: 'EFFECTIVE_DEADLINE', key: '1.34|AUTO_UPGRADE|2027-12-02', … },
 *   //  { code: 'EXTENDED_BILLING_STARTED', key: '1.34|EXTENDED_BILLING|2026-12-02',
 *   //    deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 0 }, … }]
 */
export function alertDeadlines(input: AlertDeadlineInput, now: Date): AlertDeadline[] {
  const { version, deadline } = input;
  if (deadline === null) {
    return input.supportStatus === 'UNSUPPORTED'
      ? [
          {
            code: 'VERSION_UNSUPPORTED',
            key: unsupportedKey(version),
            deadline: null,
            reason: `version ${version} is not in the support calendar and is treated as unsupported`,
          },
        ]
      : [];
  }
  const deadlines: AlertDeadline[] = [
    {
      code: 'EFFECTIVE_DEADLINE',
      key: deadlineKey(version, deadline),
      deadline,
      reason: `the effective deadline (${deadline.consequence} on ${deadline.date})`,
    },
  ];
  const eos = input.endOfStandardSupport;
  if (eos !== null && isBilledExtended(input.supportStatus, input.supportType)) {
    const billing: Deadline = {
      date: eos,
      consequence: 'EXTENDED_BILLING',
      daysRemaining: daysBetween(utcDateOf(now), eos),
    };
    const key = deadlineKey(version, billing);
    if (billing.daysRemaining <= 0 && deadlines.every((d) => d.key !== key)) {
      deadlines.push({
        code: 'EXTENDED_BILLING_STARTED',
        key,
        deadline: billing,
        reason: `extended-support billing started on ${eos} (end of standard support)`,
      });
    }
  }
  return deadlines;
}

/**
 * {@link decideAlert} for one of {@link alertDeadlines}: a dated deadline by its thresholds; a version not in the
 * calendar by threshold 0 alone, once. The reason names the deadline first.
 */
export function decideDeadlineAlert(target: AlertDeadline, alreadySent: readonly number[]): AlertDecision {
  if (target.deadline !== null) {
    const decision = decideAlert({ daysRemaining: target.deadline.daysRemaining, alreadySent });
    return { ...decision, reason: `${target.reason}: ${decision.reason}` };
  }
  return alreadySent.includes(0)
    ? { code: 'NONE', threshold: null, record: [], reason: `${target.reason}: that alert was already sent` }
    : { code: 'SEND', threshold: 0, record: [0], reason: `${target.reason}: alerted once, at threshold 0` };
}

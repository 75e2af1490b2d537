/**
 * A cluster's effective deadline, its severity and its extended-support cost (DESIGN §4).
 *
 * A support phase ends at the start of its end date (UTC), as `supportStatusAt` says. So on the deadline date itself
 * `daysRemaining` is 0 and the deadline has already passed: an AUTO_UPGRADE deadline counts as passed when
 * `daysRemaining <= 0`.
 */
import { daysBetween, utcDateOf } from './calendar.ts';
import { SEVERITIES } from './types.ts';
import type { CalendarEntry, Deadline, Severity, SupportStatus, SupportType } from './types.ts';

/** Extra cost of extended support over standard support, per cluster-hour ($0.60 instead of $0.10). */
export const EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR = 0.5;

/** Hours in a billing month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;

/** Severity thresholds on `daysRemaining`, most urgent first: at or under `days` → `severity`. */
const SEVERITY_THRESHOLDS: readonly {
  readonly days: number;
  readonly severity: Severity;
  readonly code: SeverityCode;
}[] = [
  { days: 30, severity: 'CRITICAL', code: 'DEADLINE_WITHIN_30_DAYS' },
  { days: 90, severity: 'WARNING', code: 'DEADLINE_WITHIN_90_DAYS' },
  { days: 180, severity: 'NOTICE', code: 'DEADLINE_WITHIN_180_DAYS' },
];

/**
 * The deadline that matters for a cluster now. STANDARD policy: end of standard support, when AWS auto-upgrades
 * (AUTO_UPGRADE). EXTENDED policy: end of standard support while today is before it (EXTENDED_BILLING starts), from
 * that day on end of extended support (AUTO_UPGRADE). `daysRemaining` = deadline date − UTC date of `now`.
 *
 * @example computeDeadline(entry131, 'EXTENDED', new Date('2026-11-22T12:00:00Z'))
 *   // { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 }
 */
export function computeDeadline(entry: CalendarEntry, supportType: SupportType, now: Date): Deadline {
  const today = utcDateOf(now);
  if (supportType === 'EXTENDED' && today < entry.endOfStandardSupport) {
    return {
      date: entry.endOfStandardSupport,
      consequence: 'EXTENDED_BILLING',
      daysRemaining: daysBetween(today, entry.endOfStandardSupport),
    };
  }
  const date = supportType === 'EXTENDED' ? entry.endOfExtendedSupport : entry.endOfStandardSupport;
  return { date, consequence: 'AUTO_UPGRADE', daysRemaining: daysBetween(today, date) };
}

/** Machine-readable reason for a severity. */
type SeverityCode =
  | 'VERSION_UNSUPPORTED'
  | 'AUTO_UPGRADE_DEADLINE_PASSED'
  | 'DEADLINE_WITHIN_30_DAYS'
  | 'DEADLINE_WITHIN_90_DAYS'
  | 'DEADLINE_WITHIN_180_DAYS'
  | 'EXTENDED_SUPPORT_BILLED'
  | 'DEADLINE_DISTANT';

/** A severity with the rule that produced it. */
interface SeverityDecision {
  readonly severity: Severity;
  readonly code: SeverityCode;
  readonly reason: string;
}

/** Input of the severity rule. */
interface SeverityInput {
  readonly supportStatus: SupportStatus;
  readonly deadline: Deadline;
  readonly billedExtended: boolean;
}

/** `1 day`, `4 days`. */
export function formatDays(count: number): string {
  return Math.abs(count) === 1 ? `${count} day` : `${count} days`;
}

/**
 * The most urgent of two severities, in SEVERITIES order (OK < NOTICE < WARNING < CRITICAL < EXPIRED).
 */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a;
}

/**
 * The severity rule of DESIGN §4 with its reason: EXPIRED when the version is UNSUPPORTED or an AUTO_UPGRADE
 * deadline has passed (`daysRemaining <= 0`); otherwise CRITICAL ≤ 30 days, WARNING ≤ 90, NOTICE ≤ 180, else OK;
 * a cluster billed for extended support is at least WARNING.
 */
export function decideSeverity(input: SeverityInput): SeverityDecision {
  const { supportStatus, deadline, billedExtended } = input;
  if (supportStatus === 'UNSUPPORTED') {
    return { severity: 'EXPIRED', code: 'VERSION_UNSUPPORTED', reason: 'the version is past end of extended support' };
  }
  if (deadline.consequence === 'AUTO_UPGRADE' && deadline.daysRemaining <= 0) {
    return {
      severity: 'EXPIRED',
      code: 'AUTO_UPGRADE_DEADLINE_PASSED',
      reason: `the automatic-upgrade deadline ${deadline.date} has passed; AWS may upgrade the control plane at any time`,
    };
  }
  const threshold = SEVERITY_THRESHOLDS.find((t) => deadline.daysRemaining <= t.days);
  const byDays: SeverityDecision =
    threshold === undefined
      ? { severity: 'OK', code: 'DEADLINE_DISTANT', reason: `the deadline ${deadline.date} is more than 180 days away` }
      : {
          severity: threshold.severity,
          code: threshold.code,
          reason: `the deadline ${deadline.date} is ${formatDays(deadline.daysRemaining)} away (at most ${threshold.days})`,
        };
  if (billedExtended && maxSeverity(byDays.severity, 'WARNING') !== byDays.severity) {
    return {
      severity: 'WARNING',
      code: 'EXTENDED_SUPPORT_BILLED',
      reason: 'the cluster is billed for extended support, which is at least a warning',
    };
  }
  return byDays;
}

/** The severity of a cluster's deadline (DESIGN §4); `decideSeverity` gives the reason too. */
export function severityOf(input: {
  supportStatus: SupportStatus;
  deadline: Deadline;
  billedExtended: boolean;
}): Severity {
  return decideSeverity(input).severity;
}

/**
 * Whether the cluster pays for extended support now: its version is in EXTENDED_SUPPORT and its upgrade policy is
 * EXTENDED. A STANDARD-policy cluster past end of standard support is awaiting AWS's automatic upgrade, not billed.
 */
export function isBilledExtended(supportStatus: SupportStatus, supportType: SupportType): boolean {
  return supportStatus === 'EXTENDED_SUPPORT' && supportType === 'EXTENDED';
}

/**
 * The extra USD per month over standard support while billed for extended support: $0.50 × 730 h = 365; else 0.
 */
export function extendedSupportMonthlyUsd(billedExtended: boolean): number {
  return billedExtended ? EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR * HOURS_PER_MONTH : 0;
}

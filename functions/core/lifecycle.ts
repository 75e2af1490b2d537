/**
 * Where a cluster stands in its version's lifecycle at an instant: support status, the deadline that matters under
 * its upgrade policy, severity and extended-support cost. One rule shared by the audit (`assessCluster`) and by the
 * re-judging of a stored report on a later night (`reassessAt`).
 */
import { supportStatusAt } from './calendar.ts';
import { computeDeadline, extendedSupportMonthlyUsd, isBilledExtended, severityOf } from './deadline.ts';
import type { CalendarEntry, Deadline, Severity, SupportStatus, SupportType } from './types.ts';

/** The time-dependent part of a cluster's report. */
interface Lifecycle {
  readonly supportStatus: SupportStatus;
  /** Null when the version is not in the calendar. */
  readonly deadline: Deadline | null;
  readonly severity: Severity;
  readonly extendedSupportMonthlyUsd: number;
}

/**
 * The lifecycle of a version at `now`. For a version the calendar does not list (`entry` undefined), a version newer
 * than every row (`newerThanCalendar`) is taken as newly released — standard support, WARNING because the calendar
 * lags — and any other as unsupported, EXPIRED.
 *
 * @example lifecycleAt(undefined, 'EXTENDED', now, false) // { supportStatus: 'UNSUPPORTED', deadline: null, severity: 'EXPIRED', … }
 */
export function lifecycleAt(
  entry: CalendarEntry | undefined,
  supportType: SupportType,
  now: Date,
  newerThanCalendar = false,
): Lifecycle {
  if (entry === undefined) {
    return {
      supportStatus: newerThanCalendar ? 'STANDARD_SUPPORT' : 'UNSUPPORTED',
      deadline: null,
      severity: newerThanCalendar ? 'WARNING' : 'EXPIRED',
      extendedSupportMonthlyUsd: extendedSupportMonthlyUsd(false),
    };
  }
  const supportStatus = supportStatusAt(entry, now);
  const deadline = computeDeadline(entry, supportType, now);
  const billedExtended = isBilledExtended(supportStatus, supportType);
  return {
    supportStatus,
    deadline,
    severity: severityOf({ supportStatus, deadline, billedExtended }),
    extendedSupportMonthlyUsd: extendedSupportMonthlyUsd(billedExtended),
  };
}

/**
 * The EKS support calendar: when each Kubernetes version leaves standard and extended support. Live data comes from
 * `DescribeClusterVersions`; the bundled copy below is the fallback and the simulator's default. Dates are UTC
 * calendar days, and a support phase ends at the *start* of its end date (AWS: "Billing for extended support starts
 * at the beginning of the day that the version reaches end of standard support, in UTC").
 */
import { InvalidCalendarError, InvalidDateError } from './errors.ts';
import { compareVersions, isVersion } from './versions.ts';
import type { Calendar, CalendarEntry, IsoDate, SupportStatus, Version } from './types.ts';

export { InvalidCalendarError } from './errors.ts';

const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function row(
  version: Version,
  releaseDate: IsoDate,
  endOfStandardSupport: IsoDate,
  endOfExtendedSupport: IsoDate,
): CalendarEntry {
  return Object.freeze({ version, releaseDate, endOfStandardSupport, endOfExtendedSupport });
}

/**
 * AWS's published EKS dates (UTC) for 1.23–1.36, oldest first. Used when `DescribeClusterVersions` cannot be read
 * and by the simulator. Never derive such dates from the release date ("+14 months"): AWS publishes them.
 */
export const BUNDLED_CALENDAR: Calendar = Object.freeze([
  row('1.23', '2022-08-11', '2023-10-11', '2024-10-11'),
  row('1.24', '2022-11-15', '2024-01-31', '2025-01-31'),
  row('1.25', '2023-02-22', '2024-05-01', '2025-05-01'),
  row('1.26', '2023-04-11', '2024-06-11', '2025-06-11'),
  row('1.27', '2023-05-24', '2024-07-24', '2025-07-24'),
  row('1.28', '2023-09-26', '2024-11-26', '2025-11-26'),
  row('1.29', '2024-01-23', '2025-03-23', '2026-03-23'),
  row('1.30', '2024-05-23', '2025-07-23', '2026-07-23'),
  row('1.31', '2024-09-26', '2025-11-26', '2026-11-26'),
  row('1.32', '2025-01-23', '2026-03-23', '2027-03-23'),
  row('1.33', '2025-05-29', '2026-07-29', '2027-07-29'),
  row('1.34', '2025-10-02', '2026-12-02', '2027-12-02'),
  row('1.35', '2026-01-27', '2027-03-27', '2028-03-27'),
  row('1.36', '2026-06-02', '2027-08-02', '2028-08-02'),
]);

/** Milliseconds of 00:00 UTC of a real `YYYY-MM-DD` date, or null when the text is not one (2026-02-30 is not). */
function epochDayMs(text: string): number | null {
  const match = ISO_DATE_PATTERN.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(0);
  // setUTCFullYear (unlike Date.UTC) keeps years 0–99 as written; an overflowing day (02-30 → 03-02) fails the check.
  const ms = date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return ms;
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (`2026-02-30` and `2026-2-3` are not). */
export function isIsoDate(text: string): boolean {
  return epochDayMs(text) !== null;
}

function requireDayMs(text: IsoDate): number {
  const ms = epochDayMs(text);
  if (ms === null) throw new InvalidDateError(`${JSON.stringify(text)} is not a real date written YYYY-MM-DD`);
  return ms;
}

/**
 * The UTC calendar day of an instant, `YYYY-MM-DD`. Deadlines are whole UTC days, so every comparison with "now"
 * goes through this.
 *
 * @throws InvalidDateError when `now` is an invalid Date, or outside years 0000–9999.
 */
export function utcDateOf(now: Date): IsoDate {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new InvalidDateError('the clock value is an invalid Date');
  const year = now.getUTCFullYear();
  if (year < 0 || year > 9999) throw new InvalidDateError(`the year ${year} cannot be written as YYYY-MM-DD`);
  return now.toISOString().slice(0, 10);
}

/**
 * Whole calendar days from `from` to `to` (negative when `to` is earlier). Days are UTC days, so there are no
 * daylight-saving surprises.
 *
 * @example daysBetween('2026-11-22', '2026-11-26') // 4
 * @throws InvalidDateError when either is not a real `YYYY-MM-DD` date.
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((requireDayMs(to) - requireDayMs(from)) / MS_PER_DAY);
}

/** The calendar row of `version`, or undefined when the calendar does not know it (too old, too new, or invalid). */
export function calendarEntry(calendar: Calendar, version: Version): CalendarEntry | undefined {
  return calendar.find((entry) => entry.version === version);
}

/**
 * The support phase of a version at `now`. A phase ends at the start of its end date (UTC): on the end-of-standard
 * date the version is already EXTENDED_SUPPORT, and on the end-of-extended date it is UNSUPPORTED.
 */
export function supportStatusAt(entry: CalendarEntry, now: Date): SupportStatus {
  const today = utcDateOf(now);
  if (today < entry.endOfStandardSupport) return 'STANDARD_SUPPORT';
  if (today < entry.endOfExtendedSupport) return 'EXTENDED_SUPPORT';
  return 'UNSUPPORTED';
}

/**
 * The newest version that is released (releaseDate ≤ today, when the row has one) and in standard support at `now`:
 * the default upgrade target (`fleet-auditor/target-version` absent or `latest`). Null when there is none.
 */
export function newestStandardVersion(calendar: Calendar, now: Date): Version | null {
  const today = utcDateOf(now);
  let newest: Version | null = null;
  for (const entry of calendar) {
    if (entry.releaseDate !== undefined && entry.releaseDate > today) continue;
    if (supportStatusAt(entry, now) !== 'STANDARD_SUPPORT') continue;
    if (newest === null || compareVersions(entry.version, newest) > 0) newest = entry.version;
  }
  return newest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalDate(record: Record<string, unknown>, path: string, field: string): IsoDate | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new InvalidCalendarError(
      `${path}.${field}`,
      `${JSON.stringify(value)} is not a real date written YYYY-MM-DD`,
    );
  }
  return value;
}

function requiredDate(record: Record<string, unknown>, path: string, field: string): IsoDate {
  const value = optionalDate(record, path, field);
  if (value === undefined) throw new InvalidCalendarError(`${path}.${field}`, 'is missing');
  return value;
}

/**
 * Checks untrusted calendar data (a fleet file's `calendar`, or rows mapped from `DescribeClusterVersions`) and
 * returns a clean copy, oldest version first. Decisions: unknown extra fields are ignored (API data carries more);
 * `releaseDate` may be absent or null; an empty calendar is rejected (it would declare every cluster unsupported);
 * dates must be ordered release ≤ end of standard < end of extended; a version may appear only once.
 *
 * @throws InvalidCalendarError naming the row and field, e.g. `calendar[3].endOfStandardSupport: "2024-13-01" is
 *   not a real date written YYYY-MM-DD`.
 */
export function validateCalendar(entries: unknown): Calendar {
  if (!Array.isArray(entries)) throw new InvalidCalendarError('calendar', 'must be a list of versions');
  if (entries.length === 0) throw new InvalidCalendarError('calendar', 'lists no versions');
  const seen = new Map<Version, number>();
  const rows: CalendarEntry[] = [];
  entries.forEach((raw: unknown, index) => {
    const path = `calendar[${index}]`;
    if (!isRecord(raw)) throw new InvalidCalendarError(path, 'must be an object');
    const version = raw['version'];
    if (version === undefined || version === null) throw new InvalidCalendarError(`${path}.version`, 'is missing');
    if (typeof version !== 'string' || !isVersion(version)) {
      throw new InvalidCalendarError(`${path}.version`, `${JSON.stringify(version)} is not a version like "1.31"`);
    }
    const duplicate = seen.get(version);
    if (duplicate !== undefined) {
      throw new InvalidCalendarError(`${path}.version`, `${version} is listed twice (also calendar[${duplicate}])`);
    }
    seen.set(version, index);
    const releaseDate = optionalDate(raw, path, 'releaseDate');
    const endOfStandardSupport = requiredDate(raw, path, 'endOfStandardSupport');
    const endOfExtendedSupport = requiredDate(raw, path, 'endOfExtendedSupport');
    if (releaseDate !== undefined && releaseDate > endOfStandardSupport) {
      throw new InvalidCalendarError(
        `${path}.releaseDate`,
        `${releaseDate} is after endOfStandardSupport ${endOfStandardSupport}`,
      );
    }
    if (endOfExtendedSupport <= endOfStandardSupport) {
      throw new InvalidCalendarError(
        `${path}.endOfExtendedSupport`,
        `${endOfExtendedSupport} must be after endOfStandardSupport ${endOfStandardSupport}`,
      );
    }
    rows.push(
      Object.freeze(
        releaseDate === undefined
          ? { version, endOfStandardSupport, endOfExtendedSupport }
          : { version, releaseDate, endOfStandardSupport, endOfExtendedSupport },
      ),
    );
  });
  rows.sort((a, b) => compareVersions(a.version, b.version));
  return Object.freeze(rows);
}

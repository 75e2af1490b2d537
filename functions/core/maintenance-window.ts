/**
 * Maintenance windows: the `fleet-auditor/maintenance-window` tag, parsed and evaluated against a clock that the
 * caller passes in. A window gates only the *start* of a hop (DESIGN §4); work in flight is never interrupted.
 *
 * Grammar: `DAYS HH:MM-HH:MM ZONE`
 * - DAYS: a day (`Mon`…`Sun`, case-insensitive), a range (`Mon-Fri`, wrapping allowed: `Fri-Mon`), or a comma
 *   list of days and ranges (`Sat,Sun`, `Mon-Wed,Fri`). The days name the day the window *opens*.
 * - HH:MM: 24-hour local wall-clock time, two digits each, `00:00`…`23:59` (`24:00` is rejected).
 * - End ≤ start means the window crosses midnight and closes the next day; start = end is rejected.
 * - ZONE: an IANA time zone (`UTC`, `Europe/Berlin`), stored in its canonical spelling.
 *
 * Daylight-saving changes: a wall-clock time that does not exist (spring-forward gap) resolves to the first valid
 * instant after it (the end of the gap); a wall-clock time that happens twice (fall-back) resolves to its first
 * occurrence. Both rules apply to the start and to the end, so an occurrence whose start and end both fall in
 * the same gap is empty, and is skipped.
 */
import { IANAZone } from 'luxon';
import { DomainError, type DomainErrorOptions } from './errors.ts';

/** A parsed maintenance window. */
export interface MaintenanceWindow {
  /** ISO weekdays the window opens on, ascending and unique: 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Local minute of the day the window opens, 0…1439. */
  readonly startMinute: number;
  /** Local minute of the day the window closes, 0…1439; ≤ startMinute means the next day. */
  readonly endMinute: number;
  /** Canonical IANA zone name. */
  readonly timeZone: string;
  /** The tag value as written (trimmed). */
  readonly text: string;
}

/** One occurrence of a window: `start` ≤ instant < `end` is inside. */
interface WindowOccurrence {
  readonly inside: boolean;
  readonly start: Date;
  readonly end: Date;
}

/** A maintenance-window text that does not follow the grammar; the message says what is wrong. */
export class InvalidMaintenanceWindowError extends DomainError {
  /** The offending text. */
  readonly text: string;
  /** What is wrong with it, without the text itself. */
  readonly problem: string;

  constructor(text: string, problem: string, options: DomainErrorOptions = {}) {
    super('INVALID_MAINTENANCE_WINDOW', `invalid maintenance window "${text}": ${problem}`, options);
    this.name = 'InvalidMaintenanceWindowError';
    this.text = text;
    this.problem = problem;
  }
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const EXPECTED = 'expected "DAYS HH:MM-HH:MM ZONE", e.g. "Sat 02:00-06:00 UTC" or "Mon-Fri 22:00-02:00 Europe/Berlin"';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Parses a `fleet-auditor/maintenance-window` tag value.
 *
 * @throws InvalidMaintenanceWindowError naming what is wrong: missing parts, unknown day, bad time, 24:00,
 *   start equal to end, unknown zone.
 * @example parseMaintenanceWindow('Mon-Fri 22:00-02:00 Europe/Berlin') // opens Mon–Fri 22:00, closes 02:00 next day
 */
export function parseMaintenanceWindow(text: string): MaintenanceWindow {
  const trimmed = text.trim();
  const parts = trimmed.split(/\s+/).filter((part) => part !== '');
  if (parts.length !== 3) {
    const found = parts.length === 0 ? 'it is empty' : `found ${parts.length} part(s)`;
    throw new InvalidMaintenanceWindowError(trimmed, `${found}; ${EXPECTED}`);
  }
  const [daysText, timesText, zoneText] = parts as [string, string, string];
  const days = parseDays(trimmed, daysText);
  const [startMinute, endMinute] = parseTimes(trimmed, timesText);
  const timeZone = parseZone(trimmed, zoneText);
  return { days, startMinute, endMinute, timeZone, text: trimmed };
}

function parseDay(text: string, token: string): number {
  const index = DAY_NAMES.indexOf(token.toLowerCase() as (typeof DAY_NAMES)[number]);
  if (index < 0) {
    const shown = token === '' ? 'an empty day' : `unknown day "${token}"`;
    throw new InvalidMaintenanceWindowError(text, `${shown}; days are Mon, Tue, Wed, Thu, Fri, Sat, Sun`);
  }
  return index + 1;
}

function parseDays(text: string, daysText: string): number[] {
  const days = new Set<number>();
  for (const item of daysText.split(',')) {
    const bounds = item.split('-') as [string, ...string[]];
    if (bounds.length > 2) {
      throw new InvalidMaintenanceWindowError(text, `bad day range "${item}"; a range is two days, e.g. Mon-Fri`);
    }
    const first = parseDay(text, bounds[0]);
    const last = bounds.length === 2 ? parseDay(text, bounds[1] as string) : first;
    // A range wraps past Sunday when it ends before it starts (Fri-Mon = Fri, Sat, Sun, Mon).
    const length = ((last - first + 7) % 7) + 1;
    for (let offset = 0; offset < length; offset += 1) {
      days.add(((first - 1 + offset) % 7) + 1);
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseTime(text: string, token: string, which: 'start' | 'end'): number {
  if (/^24:00$/.test(token)) {
    throw new InvalidMaintenanceWindowError(text, `${which} time 24:00 is not allowed; write 00:00`);
  }
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(token);
  if (match === null) {
    const shown = token === '' ? 'missing' : `"${token}" is not a time`;
    throw new InvalidMaintenanceWindowError(text, `${which} time ${shown}; use HH:MM from 00:00 to 23:59`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

function parseTimes(text: string, timesText: string): [number, number] {
  const bounds = timesText.split('-');
  if (bounds.length !== 2) {
    throw new InvalidMaintenanceWindowError(text, `bad time range "${timesText}"; expected HH:MM-HH:MM`);
  }
  const [startText, endText] = bounds as [string, string];
  const start = parseTime(text, startText, 'start');
  const end = parseTime(text, endText, 'end');
  if (start === end) {
    throw new InvalidMaintenanceWindowError(text, `start and end are both ${startText}; a window cannot be empty`);
  }
  return [start, end];
}

function parseZone(text: string, zoneText: string): string {
  if (!IANAZone.isValidZone(zoneText)) {
    throw new InvalidMaintenanceWindowError(
      text,
      `unknown time zone "${zoneText}"; use an IANA zone such as UTC or Europe/Berlin`,
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: zoneText }).resolvedOptions().timeZone;
}

/** A civil (calendar) date, handled as UTC midnight so that date arithmetic never meets a DST change. */
interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: number;
}

function civilDate(year: number, month: number, day: number): CivilDate {
  const utc = new Date(Date.UTC(year, month - 1, day));
  return {
    year: utc.getUTCFullYear(),
    month: utc.getUTCMonth() + 1,
    day: utc.getUTCDate(),
    weekday: ((utc.getUTCDay() + 6) % 7) + 1,
  };
}

function addDays(date: CivilDate, days: number): CivilDate {
  return civilDate(date.year, date.month, date.day + days);
}

function localDateOf(zone: IANAZone, instant: number): CivilDate {
  const local = new Date(instant + zone.offset(instant) * MINUTE_MS);
  return civilDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/**
 * The instant at which the wall clock in `zone` shows `minute` on `date`: the first occurrence when the time
 * repeats (fall-back), the end of the gap when it does not exist (spring-forward).
 */
function resolveLocal(zone: IANAZone, date: CivilDate, minute: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE_MS;
  const offsets = new Set([zone.offset(wall - DAY_MS), zone.offset(wall), zone.offset(wall + DAY_MS)]);
  const valid = [...offsets]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((t) => wall - zone.offset(t) * MINUTE_MS === t);
  if (valid.length > 0) {
    return Math.min(...valid);
  }
  // In a gap: the offset grows across the transition, so wall - after is before it and wall - before after it.
  const before = Math.min(...offsets);
  const after = Math.max(...offsets);
  let low = wall - after * MINUTE_MS;
  let high = wall - before * MINUTE_MS;
  const afterOffset = zone.offset(high);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (zone.offset(middle) === afterOffset) {
      high = middle;
    } else {
      low = middle;
    }
  }
  return high;
}

/** Occurrences opening on local days `from`…`to` days around `now`'s local date, in start order, empty ones dropped. */
function occurrences(window: MaintenanceWindow, now: Date, from: number, to: number): { start: number; end: number }[] {
  const zone = IANAZone.create(window.timeZone);
  const today = localDateOf(zone, now.getTime());
  const crossesMidnight = window.endMinute <= window.startMinute;
  const found: { start: number; end: number }[] = [];
  for (let offset = from; offset <= to; offset += 1) {
    const opening = addDays(today, offset);
    if (!window.days.includes(opening.weekday)) {
      continue;
    }
    const start = resolveLocal(zone, opening, window.startMinute);
    const end = resolveLocal(zone, crossesMidnight ? addDays(opening, 1) : opening, window.endMinute);
    if (end > start) {
      found.push({ start, end });
    }
  }
  return found;
}

/**
 * The occurrence of `window` that matters at `now`: the one containing `now` if any (`inside: true`), else the
 * next one to open (`start > now`).
 */
export function windowAt(window: MaintenanceWindow, now: Date): WindowOccurrence {
  const instant = now.getTime();
  // One day back catches a window that opened yesterday and crosses midnight; two weeks ahead outlasts any
  // weekly day whose occurrence is lost in a DST gap.
  const candidates = occurrences(window, now, -1, 15);
  const containing = candidates.find((o) => o.start <= instant && instant < o.end);
  if (containing !== undefined) {
    return { inside: true, start: new Date(containing.start), end: new Date(containing.end) };
  }
  const next = candidates.find((o) => o.start > instant);
  if (next === undefined) {
    // Unreachable for a parsed window (it names at least one day), kept as a named failure rather than a crash.
    throw new InvalidMaintenanceWindowError(window.text, 'it never opens');
  }
  return { inside: false, start: new Date(next.start), end: new Date(next.end) };
}

/** True when `now` falls inside an occurrence of `window` (start inclusive, end exclusive). */
export function isInsideWindow(window: MaintenanceWindow, now: Date): boolean {
  return windowAt(window, now).inside;
}

/** The start of the next occurrence of `window` that begins strictly after `now` (even when `now` is inside one). */
export function nextWindowStart(window: MaintenanceWindow, now: Date): Date {
  const instant = now.getTime();
  const next = occurrences(window, now, -1, 15).find((o) => o.start > instant);
  if (next === undefined) {
    throw new InvalidMaintenanceWindowError(window.text, 'it never opens');
  }
  return new Date(next.start);
}

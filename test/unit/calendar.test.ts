import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DomainError, InvalidDateError } from '../../functions/core/errors.ts';
import {
  BUNDLED_CALENDAR,
  InvalidCalendarError,
  calendarEntry,
  daysBetween,
  isIsoDate,
  newestStandardVersion,
  supportStatusAt,
  utcDateOf,
  validateCalendar,
} from '../../functions/core/calendar.ts';
import type { CalendarEntry } from '../../functions/core/types.ts';

function entry(version: string): CalendarEntry {
  const found = calendarEntry(BUNDLED_CALENDAR, version);
  if (found === undefined) throw new Error(`test setup: ${version} missing from the bundled calendar`);
  return found;
}

describe('BUNDLED_CALENDAR', () => {
  it.each([
    ['1.31', '2024-09-26', '2025-11-26', '2026-11-26'],
    ['1.34', '2025-10-02', '2026-12-02', '2027-12-02'],
    ['1.23', '2022-08-11', '2023-10-11', '2024-10-11'],
    ['1.36', '2026-06-02', '2027-08-02', '2028-08-02'],
  ])('lists %s as released %s, end of standard %s, end of extended %s', (version, release, standard, extended) => {
    expect(entry(version)).toEqual({
      version,
      releaseDate: release,
      endOfStandardSupport: standard,
      endOfExtendedSupport: extended,
    });
  });

  it('covers 1.23 to 1.36, oldest first, and passes its own validation', () => {
    expect(BUNDLED_CALENDAR.map((e) => e.version)).toEqual(Array.from({ length: 14 }, (_, i) => `1.${23 + i}`));
    expect(validateCalendar(BUNDLED_CALENDAR)).toEqual(BUNDLED_CALENDAR);
  });
});

describe('utcDateOf', () => {
  it.each([
    ['2026-11-22T12:00:00.000Z', '2026-11-22'],
    ['2026-11-22T23:59:59.999Z', '2026-11-22'],
    ['2026-11-23T00:00:00.000Z', '2026-11-23'],
    ['2026-11-23T00:30:00+01:00', '2026-11-22'],
    ['0050-03-01T00:00:00.000Z', '0050-03-01'],
  ])('gives the UTC day of %s as %s', (instant, day) => {
    expect(utcDateOf(new Date(instant))).toBe(day);
  });

  it('throws InvalidDateError on an invalid Date', () => {
    expect(() => utcDateOf(new Date('not a date'))).toThrow(InvalidDateError);
  });

  it('throws InvalidDateError for a year that YYYY-MM-DD cannot hold', () => {
    expect(() => utcDateOf(new Date('+010000-01-01T00:00:00Z'))).toThrow(/cannot be written as YYYY-MM-DD/);
    expect(() => utcDateOf(new Date('-000001-01-01T00:00:00Z'))).toThrow(InvalidDateError);
  });
});

describe('isIsoDate', () => {
  it.each(['2026-02-28', '2024-02-29', '2026-12-31', '0050-01-01'])('accepts %s', (text) => {
    expect(isIsoDate(text)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-2-3',
    '2026-01-01T00:00:00Z',
    '',
  ])('rejects %j', (text) => {
    expect(isIsoDate(text)).toBe(false);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-11-22', '2026-11-26', 4],
    ['2026-11-26', '2026-11-26', 0],
    ['2026-11-27', '2026-11-26', -1],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-12-31', '2026-01-01', 1],
    ['2025-01-01', '2026-01-01', 365],
  ])('counts %s to %s as %i days', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('throws InvalidDateError naming a date that does not exist', () => {
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow('"2026-02-30" is not a real date written YYYY-MM-DD');
  });

  it('counts each further UTC day as one more day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 2000 }),
        (start, offset) => {
          const later = new Date(start.getTime() + offset * 86_400_000);
          expect(daysBetween(utcDateOf(start), utcDateOf(later))).toBe(offset);
        },
      ),
    );
  });
});

describe('calendarEntry', () => {
  it('finds a listed version', () => {
    expect(calendarEntry(BUNDLED_CALENDAR, '1.31')?.endOfStandardSupport).toBe('2025-11-26');
  });

  it.each(['1.22', '1.37', 'latest'])('returns undefined for %j', (version) => {
    expect(calendarEntry(BUNDLED_CALENDAR, version)).toBeUndefined();
  });
});

describe('supportStatusAt', () => {
  it.each([
    ['1.31', '2025-11-25T23:59:59.999Z', 'STANDARD_SUPPORT'],
    ['1.31', '2025-11-26T00:00:00.000Z', 'EXTENDED_SUPPORT'],
    ['1.31', '2025-11-27T00:00:00.000Z', 'EXTENDED_SUPPORT'],
    ['1.31', '2026-11-25T23:59:59.999Z', 'EXTENDED_SUPPORT'],
    ['1.31', '2026-11-26T00:00:00.000Z', 'UNSUPPORTED'],
    ['1.31', '2026-11-27T00:00:00.000Z', 'UNSUPPORTED'],
    ['1.34', '2026-12-01T12:00:00.000Z', 'STANDARD_SUPPORT'],
    ['1.34', '2026-12-02T12:00:00.000Z', 'EXTENDED_SUPPORT'],
    ['1.34', '2027-12-02T00:00:00.000Z', 'UNSUPPORTED'],
  ])('puts %s at %s in %s', (version, instant, status) => {
    expect(supportStatusAt(entry(version), new Date(instant))).toBe(status);
  });
});

describe('newestStandardVersion', () => {
  it.each([
    ['2025-11-22T00:00:00Z', '1.34'],
    ['2026-01-26T23:59:59Z', '1.34'],
    ['2026-01-27T00:00:00Z', '1.35'],
    ['2026-06-02T00:00:00Z', '1.36'],
    ['2028-08-01T00:00:00Z', null],
  ])('at %s is %s', (instant, expected) => {
    expect(newestStandardVersion(BUNDLED_CALENDAR, new Date(instant))).toBe(expected);
  });

  it('accepts a row without a release date as released', () => {
    const calendar = [{ version: '1.40', endOfStandardSupport: '2030-01-01', endOfExtendedSupport: '2031-01-01' }];
    expect(newestStandardVersion(calendar, new Date('2029-01-01T00:00:00Z'))).toBe('1.40');
  });

  it('does not depend on the calendar order', () => {
    const reversed = [...BUNDLED_CALENDAR].reverse();
    expect(newestStandardVersion(reversed, new Date('2026-02-01T00:00:00Z'))).toBe('1.35');
  });

  it('is null for an empty calendar', () => {
    expect(newestStandardVersion([], new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('validateCalendar', () => {
  const good = {
    version: '1.31',
    releaseDate: '2024-09-26',
    endOfStandardSupport: '2025-11-26',
    endOfExtendedSupport: '2026-11-26',
  };

  it('returns clean rows sorted by version, dropping unknown fields and a null release date', () => {
    const result = validateCalendar([
      {
        version: '1.10',
        releaseDate: null,
        endOfStandardSupport: '2020-01-01',
        endOfExtendedSupport: '2021-01-01',
        status: 'x',
      },
      good,
      { version: '1.9', endOfStandardSupport: '2019-01-01', endOfExtendedSupport: '2020-01-01' },
    ]);
    expect(result).toEqual([
      { version: '1.9', endOfStandardSupport: '2019-01-01', endOfExtendedSupport: '2020-01-01' },
      { version: '1.10', endOfStandardSupport: '2020-01-01', endOfExtendedSupport: '2021-01-01' },
      good,
    ]);
  });

  it.each<[string, unknown, string]>([
    ['not a list', { version: '1.31' }, 'calendar: must be a list of versions'],
    ['an empty list', [], 'calendar: lists no versions'],
    ['a row that is not an object', [good, 'x'], 'calendar[1]: must be an object'],
    ['a row that is an array', [[]], 'calendar[0]: must be an object'],
    ['a missing version', [{ ...good, version: undefined }], 'calendar[0].version: is missing'],
    ['a malformed version', [{ ...good, version: '1.3x' }], 'calendar[0].version: "1.3x" is not a version like "1.31"'],
    ['a numeric version', [{ ...good, version: 1.31 }], 'calendar[0].version: 1.31 is not a version like "1.31"'],
    ['a duplicate version', [good, good], 'calendar[1].version: 1.31 is listed twice (also calendar[0])'],
    [
      'a missing end of standard support',
      [{ ...good, endOfStandardSupport: undefined }],
      'calendar[0].endOfStandardSupport: is missing',
    ],
    [
      'a missing end of extended support',
      [{ ...good, endOfExtendedSupport: null }],
      'calendar[0].endOfExtendedSupport: is missing',
    ],
    [
      'an impossible date',
      [{ ...good, endOfStandardSupport: '2024-13-01' }],
      'calendar[0].endOfStandardSupport: "2024-13-01" is not a real date written YYYY-MM-DD',
    ],
    [
      'a non-string date',
      [{ ...good, releaseDate: 20240926 }],
      'calendar[0].releaseDate: 20240926 is not a real date written YYYY-MM-DD',
    ],
    [
      'a release after end of standard support',
      [{ ...good, releaseDate: '2025-12-01' }],
      'calendar[0].releaseDate: 2025-12-01 is after endOfStandardSupport 2025-11-26',
    ],
    [
      'extended support ending with standard support',
      [{ ...good, endOfExtendedSupport: '2025-11-26' }],
      'calendar[0].endOfExtendedSupport: 2025-11-26 must be after endOfStandardSupport 2025-11-26',
    ],
  ])('rejects %s, naming the row and field', (_label, input, message) => {
    const act = (): unknown => validateCalendar(input);
    expect(act).toThrow(InvalidCalendarError);
    expect(act).toThrow(message);
  });

  it('throws a DomainError with code INVALID_CALENDAR and the path', () => {
    let caught: unknown;
    try {
      validateCalendar([{ ...good, endOfStandardSupport: 'soon' }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({
      name: 'InvalidCalendarError',
      code: 'INVALID_CALENDAR',
      path: 'calendar[0].endOfStandardSupport',
    });
  });
});

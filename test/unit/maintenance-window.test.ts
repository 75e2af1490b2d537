import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import {
  InvalidMaintenanceWindowError,
  isInsideWindow,
  nextWindowStart,
  parseMaintenanceWindow,
  windowAt,
  type MaintenanceWindow,
} from '../../functions/core/maintenance-window.ts';

const at = (iso: string): Date => new Date(iso);

describe('parseMaintenanceWindow', () => {
  it.each([
    ['Sat 02:00-06:00 UTC', [6], 120, 360, 'UTC'],
    ['Mon-Fri 22:00-02:00 Europe/Berlin', [1, 2, 3, 4, 5], 1320, 120, 'Europe/Berlin'],
    ['Fri-Mon 10:00-12:00 UTC', [1, 5, 6, 7], 600, 720, 'UTC'],
    ['Sat,Sun 00:00-23:59 UTC', [6, 7], 0, 1439, 'UTC'],
    ['Mon-Wed,Fri 01:15-03:45 America/New_York', [1, 2, 3, 5], 75, 225, 'America/New_York'],
    ['sun 23:00-01:00 utc', [7], 1380, 60, 'UTC'],
    ['MON-mon 09:00-10:00 europe/berlin', [1], 540, 600, 'Europe/Berlin'],
    ['Mon,Mon-Tue 09:00-10:00 UTC', [1, 2], 540, 600, 'UTC'],
    ['Sun-Sat 09:00-10:00 UTC', [1, 2, 3, 4, 5, 6, 7], 540, 600, 'UTC'],
  ])('parses %j', (text, days, startMinute, endMinute, timeZone) => {
    expect(parseMaintenanceWindow(text)).toEqual({ days, startMinute, endMinute, timeZone, text });
  });

  it('trims the text and tolerates repeated spaces between parts', () => {
    const window = parseMaintenanceWindow('  Sat   02:00-06:00  UTC ');
    expect(window.text).toBe('Sat   02:00-06:00  UTC');
    expect(window.days).toEqual([6]);
  });

  it.each([
    ['', /it is empty/],
    ['Sat 02:00-06:00', /found 2 part\(s\).*DAYS HH:MM-HH:MM ZONE/],
    ['Sat 02:00-06:00 UTC extra', /found 4 part\(s\)/],
    ['Sax 02:00-06:00 UTC', /unknown day "Sax"/],
    ['Saturday 02:00-06:00 UTC', /unknown day "Saturday"/],
    ['Mon,,Tue 02:00-06:00 UTC', /an empty day/],
    ['Mon- 02:00-06:00 UTC', /an empty day/],
    ['Mon-Tue-Wed 02:00-06:00 UTC', /bad day range "Mon-Tue-Wed"/],
    ['Sat 02:00 UTC', /bad time range "02:00"/],
    ['Sat 02:00-06:00-07:00 UTC', /bad time range/],
    ['Sat 2:00-06:00 UTC', /start time "2:00" is not a time/],
    ['Sat 02:60-06:00 UTC', /start time "02:60" is not a time/],
    ['Sat 02:00-25:00 UTC', /end time "25:00" is not a time/],
    ['Sat 02:00- UTC', /end time missing/],
    ['Sat 24:00-02:00 UTC', /start time 24:00 is not allowed; write 00:00/],
    ['Sat 22:00-24:00 UTC', /end time 24:00 is not allowed/],
    ['Sat 02:00-02:00 UTC', /start and end are both 02:00; a window cannot be empty/],
    ['Sat 02:00-06:00 Mars/Olympus', /unknown time zone "Mars\/Olympus"/],
    ['Sat 02:00-06:00 UTC+2', /unknown time zone "UTC\+2"/],
  ])('rejects %j naming the problem', (text, message) => {
    expect(() => parseMaintenanceWindow(text)).toThrow(message);
  });

  it('throws an InvalidMaintenanceWindowError that is a DomainError with a code, the text and the problem', () => {
    let caught: unknown;
    try {
      parseMaintenanceWindow('Sax 02:00-06:00 UTC');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidMaintenanceWindowError);
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as InvalidMaintenanceWindowError;
    expect(error.name).toBe('InvalidMaintenanceWindowError');
    expect(error.code).toBe('INVALID_MAINTENANCE_WINDOW');
    expect(error.text).toBe('Sax 02:00-06:00 UTC');
    expect(error.problem).toMatch(/^unknown day "Sax"/);
    expect(error.message).toBe(`invalid maintenance window "Sax 02:00-06:00 UTC": ${error.problem}`);
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('root');
    expect(new InvalidMaintenanceWindowError('x', 'bad', { cause }).cause).toBe(cause);
  });
});

describe('windowAt', () => {
  // January 2026: Berlin is on CET (UTC+1). 2026-01-05 is a Monday.
  const weeknights = parseMaintenanceWindow('Mon-Fri 22:00-02:00 Europe/Berlin');

  it.each([
    [
      'Mon 21:59 local, just before it opens',
      '2026-01-05T20:59:00Z',
      false,
      '2026-01-05T21:00:00.000Z',
      '2026-01-06T01:00:00.000Z',
    ],
    [
      'Mon 22:00 local, as it opens',
      '2026-01-05T21:00:00Z',
      true,
      '2026-01-05T21:00:00.000Z',
      '2026-01-06T01:00:00.000Z',
    ],
    ['Mon 23:00 local', '2026-01-05T22:00:00Z', true, '2026-01-05T21:00:00.000Z', '2026-01-06T01:00:00.000Z'],
    [
      'Tue 01:30 local, after midnight',
      '2026-01-06T00:30:00Z',
      true,
      '2026-01-05T21:00:00.000Z',
      '2026-01-06T01:00:00.000Z',
    ],
    [
      'Tue 02:00 local, as it closes',
      '2026-01-06T01:00:00Z',
      false,
      '2026-01-06T21:00:00.000Z',
      '2026-01-07T01:00:00.000Z',
    ],
    [
      'Sat 01:00 local, the Friday window',
      '2026-01-10T00:00:00Z',
      true,
      '2026-01-09T21:00:00.000Z',
      '2026-01-10T01:00:00.000Z',
    ],
    [
      'Sat 02:00 local, closed for the weekend',
      '2026-01-10T01:00:00Z',
      false,
      '2026-01-12T21:00:00.000Z',
      '2026-01-13T01:00:00.000Z',
    ],
    [
      'Sun 23:00 local, no Sunday window',
      '2026-01-11T22:00:00Z',
      false,
      '2026-01-12T21:00:00.000Z',
      '2026-01-13T01:00:00.000Z',
    ],
    [
      'Mon 01:00 local, no Sunday window to spill over',
      '2026-01-12T00:00:00Z',
      false,
      '2026-01-12T21:00:00.000Z',
      '2026-01-13T01:00:00.000Z',
    ],
  ])('Mon-Fri 22:00-02:00 Europe/Berlin at %s', (_label, now, inside, start, end) => {
    const occurrence = windowAt(weeknights, at(now));
    expect(occurrence).toEqual({ inside, start: at(start), end: at(end) });
  });

  it.each([
    ['Tue 11:00', '2026-01-06T11:00:00Z', false, '2026-01-09T10:00:00.000Z'],
    ['Fri 11:00', '2026-01-09T11:00:00Z', true, '2026-01-09T10:00:00.000Z'],
    ['Sun 11:00', '2026-01-11T11:00:00Z', true, '2026-01-11T10:00:00.000Z'],
    ['Mon 11:59', '2026-01-12T11:59:00Z', true, '2026-01-12T10:00:00.000Z'],
    ['Mon 12:00', '2026-01-12T12:00:00Z', false, '2026-01-16T10:00:00.000Z'],
  ])('a wrapping range Fri-Mon 10:00-12:00 UTC at %s', (_label, now, inside, start) => {
    const occurrence = windowAt(parseMaintenanceWindow('Fri-Mon 10:00-12:00 UTC'), at(now));
    expect(occurrence.inside).toBe(inside);
    expect(occurrence.start).toEqual(at(start));
  });

  it.each([
    ['Sun 22:59', '2026-01-11T22:59:00Z', false, '2026-01-11T23:00:00.000Z'],
    ['Sun 23:30', '2026-01-11T23:30:00Z', true, '2026-01-11T23:00:00.000Z'],
    ['Mon 00:30, opened on Sunday', '2026-01-12T00:30:00Z', true, '2026-01-11T23:00:00.000Z'],
    ['Mon 01:00, closed', '2026-01-12T01:00:00Z', false, '2026-01-18T23:00:00.000Z'],
  ])('Sun 23:00-01:00 UTC crossing into Monday at %s', (_label, now, inside, start) => {
    const occurrence = windowAt(parseMaintenanceWindow('Sun 23:00-01:00 UTC'), at(now));
    expect(occurrence.inside).toBe(inside);
    expect(occurrence.start).toEqual(at(start));
    expect(occurrence.end.getTime() - occurrence.start.getTime()).toBe(2 * 3_600_000);
  });

  it('fails with a named error for a hand-built window with no days', () => {
    const never: MaintenanceWindow = { days: [], startMinute: 60, endMinute: 120, timeZone: 'UTC', text: 'never' };
    expect(() => windowAt(never, at('2026-01-01T00:00:00Z'))).toThrow(/it never opens/);
    expect(() => nextWindowStart(never, at('2026-01-01T00:00:00Z'))).toThrow(InvalidMaintenanceWindowError);
  });
});

describe('windowAt across daylight-saving changes', () => {
  it('opens a start that falls in the spring-forward gap at the first valid instant after it (Berlin, 2026-03-29)', () => {
    // 02:00 CET jumps to 03:00 CEST at 01:00Z; 02:30 does not exist that day.
    const window = parseMaintenanceWindow('Sun 02:30-04:00 Europe/Berlin');
    expect(windowAt(window, at('2026-03-29T00:45:00Z'))).toEqual({
      inside: false,
      start: at('2026-03-29T01:00:00Z'),
      end: at('2026-03-29T02:00:00Z'),
    });
    expect(isInsideWindow(window, at('2026-03-29T00:59:59.999Z'))).toBe(false);
    expect(isInsideWindow(window, at('2026-03-29T01:00:00Z'))).toBe(true);
    // A week later, summer time: 02:30 CEST = 00:30Z.
    expect(nextWindowStart(window, at('2026-03-29T01:00:00Z'))).toEqual(at('2026-04-05T00:30:00Z'));
  });

  it('keeps a window crossing the spring-forward night 1 h shorter in real time (Berlin)', () => {
    const occurrence = windowAt(parseMaintenanceWindow('Sat 23:00-03:30 Europe/Berlin'), at('2026-03-28T23:00:00Z'));
    expect(occurrence).toEqual({ inside: true, start: at('2026-03-28T22:00:00Z'), end: at('2026-03-29T01:30:00Z') });
  });

  it('uses the first occurrence of a repeated fall-back hour (Berlin, 2026-10-25)', () => {
    // 03:00 CEST falls back to 02:00 CET at 01:00Z; 02:30 happens at 00:30Z and again at 01:30Z.
    const window = parseMaintenanceWindow('Sun 02:30-05:00 Europe/Berlin');
    expect(windowAt(window, at('2026-10-25T00:00:00Z'))).toEqual({
      inside: false,
      start: at('2026-10-25T00:30:00Z'),
      end: at('2026-10-25T04:00:00Z'),
    });
    expect(isInsideWindow(window, at('2026-10-25T01:15:00Z'))).toBe(true);
  });

  it('keeps a window crossing the fall-back night 1 h longer in real time (Berlin)', () => {
    const occurrence = windowAt(parseMaintenanceWindow('Sat 22:00-06:00 Europe/Berlin'), at('2026-10-24T12:00:00Z'));
    expect(occurrence).toEqual({ inside: false, start: at('2026-10-24T20:00:00Z'), end: at('2026-10-25T05:00:00Z') });
  });

  it('follows America/New_York into summer time (2026-03-08): the same local start is an hour earlier in UTC', () => {
    const window = parseMaintenanceWindow('Mon-Fri 09:00-17:00 America/New_York');
    expect(windowAt(window, at('2026-03-06T15:00:00Z')).start).toEqual(at('2026-03-06T14:00:00Z'));
    expect(nextWindowStart(window, at('2026-03-06T15:00:00Z'))).toEqual(at('2026-03-09T13:00:00Z'));
  });

  it('skips a day whose whole window falls in the spring-forward gap (America/New_York, 2026-03-08)', () => {
    const window = parseMaintenanceWindow('Sun 02:15-02:45 America/New_York');
    expect(windowAt(window, at('2026-03-08T05:00:00Z'))).toEqual({
      inside: false,
      start: at('2026-03-15T06:15:00Z'),
      end: at('2026-03-15T06:45:00Z'),
    });
  });

  it('uses the first 01:30 on the fall-back night and closes at 03:00 standard time (America/New_York, 2026-11-01)', () => {
    const window = parseMaintenanceWindow('Sun 01:30-03:00 America/New_York');
    expect(windowAt(window, at('2026-11-01T05:00:00Z'))).toEqual({
      inside: false,
      start: at('2026-11-01T05:30:00Z'),
      end: at('2026-11-01T08:00:00Z'),
    });
  });
});

describe('nextWindowStart', () => {
  it('computes the Monday start from a Saturday evening for a Mon-Fri window', () => {
    const window = parseMaintenanceWindow('Mon-Fri 09:00-17:00 Europe/Berlin');
    expect(nextWindowStart(window, at('2026-01-10T19:00:00Z'))).toEqual(at('2026-01-12T08:00:00Z'));
  });

  it('gives the following occurrence while inside one, never the current start', () => {
    const window = parseMaintenanceWindow('Mon-Fri 22:00-02:00 Europe/Berlin');
    expect(nextWindowStart(window, at('2026-01-05T22:00:00Z'))).toEqual(at('2026-01-06T21:00:00Z'));
  });

  it('is strictly after now when now is exactly a start', () => {
    const window = parseMaintenanceWindow('Sat 02:00-06:00 UTC');
    expect(nextWindowStart(window, at('2026-01-10T02:00:00Z'))).toEqual(at('2026-01-17T02:00:00Z'));
  });

  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'America/St_Johns',
  ];
  const windows = fc
    .record({
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      startMinute: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 1439 }),
      timeZone: fc.constantFrom(...zones),
    })
    .map(({ days, startMinute, length, timeZone }): MaintenanceWindow => {
      const endMinute = (startMinute + length) % 1440;
      return { days: [...days].sort((a, b) => a - b), startMinute, endMinute, timeZone, text: 'generated' };
    });
  const instants = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms));

  it('is after now and inside the window, for any window, zone and instant', () => {
    fc.assert(
      fc.property(windows, instants, (window, now) => {
        const next = nextWindowStart(window, now);
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        expect(isInsideWindow(window, next)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with windowAt: inside means start ≤ now < end, outside means the next start', () => {
    fc.assert(
      fc.property(windows, instants, (window, now) => {
        const occurrence = windowAt(window, now);
        expect(occurrence.end.getTime()).toBeGreaterThan(occurrence.start.getTime());
        if (occurrence.inside) {
          expect(occurrence.start.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(occurrence.end.getTime()).toBeGreaterThan(now.getTime());
        } else {
          expect(occurrence.start).toEqual(nextWindowStart(window, now));
        }
      }),
      { numRuns: 300 },
    );
  });
});

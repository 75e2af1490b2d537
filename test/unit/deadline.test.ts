import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { BUNDLED_CALENDAR, calendarEntry, supportStatusAt } from '../../functions/core/calendar.ts';
import {
  EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR,
  HOURS_PER_MONTH,
  computeDeadline,
  decideSeverity,
  extendedSupportMonthlyUsd,
  formatDays,
  isBilledExtended,
  maxSeverity,
  severityOf,
} from '../../functions/core/deadline.ts';
import { SEVERITIES } from '../../functions/core/types.ts';
import type { CalendarEntry, Deadline, Severity, SupportStatus, SupportType } from '../../functions/core/types.ts';

function entry(version: string): CalendarEntry {
  const found = calendarEntry(BUNDLED_CALENDAR, version);
  if (found === undefined) throw new Error(`test setup: ${version} missing from the bundled calendar`);
  return found;
}

/** The whole DESIGN §4 chain for one cluster, as the report computes it. */
function judge(version: string, supportType: SupportType, instant: string) {
  const now = new Date(instant);
  const row = entry(version);
  const supportStatus = supportStatusAt(row, now);
  const deadline = computeDeadline(row, supportType, now);
  const billedExtended = isBilledExtended(supportStatus, supportType);
  return {
    supportStatus,
    deadline,
    severity: severityOf({ supportStatus, deadline, billedExtended }),
    usd: extendedSupportMonthlyUsd(billedExtended),
  };
}

describe('computeDeadline', () => {
  it.each<[string, SupportType, string, Deadline]>([
    [
      '1.31',
      'EXTENDED',
      '2025-11-25T23:00:00Z',
      { date: '2025-11-26', consequence: 'EXTENDED_BILLING', daysRemaining: 1 },
    ],
    [
      '1.31',
      'EXTENDED',
      '2025-11-26T00:00:00Z',
      { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 365 },
    ],
    [
      '1.31',
      'EXTENDED',
      '2025-11-27T00:00:00Z',
      { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 364 },
    ],
    ['1.31', 'EXTENDED', '2026-11-22T12:00:00Z', { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 }],
    ['1.31', 'EXTENDED', '2026-11-26T00:00:00Z', { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 0 }],
    [
      '1.31',
      'EXTENDED',
      '2026-11-30T00:00:00Z',
      { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: -4 },
    ],
    ['1.31', 'STANDARD', '2025-11-25T23:59:59Z', { date: '2025-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 1 }],
    ['1.31', 'STANDARD', '2025-11-26T00:00:00Z', { date: '2025-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 0 }],
    [
      '1.31',
      'STANDARD',
      '2026-01-01T00:00:00Z',
      { date: '2025-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: -36 },
    ],
    [
      '1.34',
      'EXTENDED',
      '2026-06-05T00:00:00Z',
      { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 180 },
    ],
  ])('gives %s with %s policy at %s the deadline %j', (version, supportType, instant, expected) => {
    expect(computeDeadline(entry(version), supportType, new Date(instant))).toEqual(expected);
  });

  it('counts daysRemaining down by exactly one per UTC day until the deadline switches', () => {
    const row = entry('1.33');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-09-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom<SupportType>('STANDARD', 'EXTENDED'),
        (now, supportType) => {
          const today = computeDeadline(row, supportType, now);
          const tomorrow = computeDeadline(row, supportType, new Date(now.getTime() + 86_400_000));
          if (tomorrow.date === today.date) {
            expect(tomorrow.daysRemaining).toBe(today.daysRemaining - 1);
          } else {
            // Only an EXTENDED cluster reaching end of standard support switches deadline: billing starts that day.
            expect(today).toMatchObject({ consequence: 'EXTENDED_BILLING', daysRemaining: 1 });
            expect(tomorrow.consequence).toBe('AUTO_UPGRADE');
          }
        },
      ),
    );
  });
});

describe('severityOf', () => {
  const deadline = (consequence: Deadline['consequence'], daysRemaining: number): Deadline => ({
    date: '2026-11-26',
    consequence,
    daysRemaining,
  });

  it.each<[SupportStatus, Deadline, boolean, Severity]>([
    ['UNSUPPORTED', deadline('AUTO_UPGRADE', -10), true, 'EXPIRED'],
    ['UNSUPPORTED', deadline('AUTO_UPGRADE', 400), false, 'EXPIRED'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 0), false, 'EXPIRED'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', -1), false, 'EXPIRED'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 1), true, 'CRITICAL'],
    ['STANDARD_SUPPORT', deadline('EXTENDED_BILLING', 1), false, 'CRITICAL'],
    ['STANDARD_SUPPORT', deadline('EXTENDED_BILLING', 30), false, 'CRITICAL'],
    ['STANDARD_SUPPORT', deadline('EXTENDED_BILLING', 31), false, 'WARNING'],
    ['STANDARD_SUPPORT', deadline('AUTO_UPGRADE', 90), false, 'WARNING'],
    ['STANDARD_SUPPORT', deadline('AUTO_UPGRADE', 91), false, 'NOTICE'],
    ['STANDARD_SUPPORT', deadline('AUTO_UPGRADE', 180), false, 'NOTICE'],
    ['STANDARD_SUPPORT', deadline('AUTO_UPGRADE', 181), false, 'OK'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 300), true, 'WARNING'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 120), true, 'WARNING'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 60), true, 'WARNING'],
    ['EXTENDED_SUPPORT', deadline('AUTO_UPGRADE', 20), true, 'CRITICAL'],
  ])('rates %s with %j, billed %s, as %s', (supportStatus, d, billedExtended, expected) => {
    expect(severityOf({ supportStatus, deadline: d, billedExtended })).toBe(expected);
  });
});

describe('decideSeverity', () => {
  it.each<[SupportStatus, Deadline['consequence'], number, boolean, string, string]>([
    ['UNSUPPORTED', 'AUTO_UPGRADE', -1, false, 'VERSION_UNSUPPORTED', 'the version is past end of extended support'],
    [
      'STANDARD_SUPPORT',
      'AUTO_UPGRADE',
      0,
      false,
      'AUTO_UPGRADE_DEADLINE_PASSED',
      'the automatic-upgrade deadline 2026-11-26 has passed; AWS may upgrade the control plane at any time',
    ],
    [
      'STANDARD_SUPPORT',
      'EXTENDED_BILLING',
      1,
      false,
      'DEADLINE_WITHIN_30_DAYS',
      'the deadline 2026-11-26 is 1 day away (at most 30)',
    ],
    [
      'STANDARD_SUPPORT',
      'EXTENDED_BILLING',
      60,
      false,
      'DEADLINE_WITHIN_90_DAYS',
      'the deadline 2026-11-26 is 60 days away (at most 90)',
    ],
    [
      'STANDARD_SUPPORT',
      'EXTENDED_BILLING',
      100,
      false,
      'DEADLINE_WITHIN_180_DAYS',
      'the deadline 2026-11-26 is 100 days away (at most 180)',
    ],
    [
      'STANDARD_SUPPORT',
      'EXTENDED_BILLING',
      200,
      false,
      'DEADLINE_DISTANT',
      'the deadline 2026-11-26 is more than 180 days away',
    ],
    [
      'EXTENDED_SUPPORT',
      'AUTO_UPGRADE',
      200,
      true,
      'EXTENDED_SUPPORT_BILLED',
      'the cluster is billed for extended support, which is at least a warning',
    ],
  ])(
    'explains %s / %s / %i days / billed %s as %s',
    (supportStatus, consequence, daysRemaining, billedExtended, code, reason) => {
      expect(
        decideSeverity({ supportStatus, deadline: { date: '2026-11-26', consequence, daysRemaining }, billedExtended }),
      ).toMatchObject({ code, reason });
    },
  );
});

describe('isBilledExtended', () => {
  it.each<[SupportStatus, SupportType, boolean]>([
    ['EXTENDED_SUPPORT', 'EXTENDED', true],
    ['EXTENDED_SUPPORT', 'STANDARD', false],
    ['STANDARD_SUPPORT', 'EXTENDED', false],
    ['UNSUPPORTED', 'EXTENDED', false],
  ])('is billed for %s under %s policy: %s', (status, type, expected) => {
    expect(isBilledExtended(status, type)).toBe(expected);
  });
});

describe('extendedSupportMonthlyUsd', () => {
  it('charges $0.50 × 730 h = $365 a month while billed', () => {
    expect(EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR).toBe(0.5);
    expect(HOURS_PER_MONTH).toBe(730);
    expect(extendedSupportMonthlyUsd(true)).toBe(365);
  });

  it('charges nothing when not billed', () => {
    expect(extendedSupportMonthlyUsd(false)).toBe(0);
  });
});

describe('maxSeverity', () => {
  it.each<[Severity, Severity, Severity]>([
    ['OK', 'NOTICE', 'NOTICE'],
    ['CRITICAL', 'WARNING', 'CRITICAL'],
    ['EXPIRED', 'OK', 'EXPIRED'],
    ['WARNING', 'WARNING', 'WARNING'],
  ])('picks the more urgent of %s and %s: %s', (a, b, expected) => {
    expect(maxSeverity(a, b)).toBe(expected);
  });

  it('follows SEVERITIES order and is commutative', () => {
    const severity = fc.constantFrom(...SEVERITIES);
    fc.assert(
      fc.property(severity, severity, (a, b) => {
        const result = maxSeverity(a, b);
        expect(result).toBe(maxSeverity(b, a));
        expect(SEVERITIES.indexOf(result)).toBe(Math.max(SEVERITIES.indexOf(a), SEVERITIES.indexOf(b)));
      }),
    );
  });
});

describe('formatDays', () => {
  it.each([
    [1, '1 day'],
    [-1, '-1 day'],
    [0, '0 days'],
    [4, '4 days'],
  ])('writes %i as %j', (count, text) => {
    expect(formatDays(count)).toBe(text);
  });
});

describe('the DESIGN §4 chain', () => {
  it.each([
    [
      '1.31',
      'EXTENDED',
      '2025-11-25T12:00:00Z',
      'STANDARD_SUPPORT',
      '2025-11-26',
      'EXTENDED_BILLING',
      1,
      'CRITICAL',
      0,
    ],
    ['1.31', 'EXTENDED', '2025-11-26T12:00:00Z', 'EXTENDED_SUPPORT', '2026-11-26', 'AUTO_UPGRADE', 365, 'WARNING', 365],
    ['1.31', 'EXTENDED', '2026-11-22T12:00:00Z', 'EXTENDED_SUPPORT', '2026-11-26', 'AUTO_UPGRADE', 4, 'CRITICAL', 365],
    ['1.31', 'EXTENDED', '2026-11-26T12:00:00Z', 'UNSUPPORTED', '2026-11-26', 'AUTO_UPGRADE', 0, 'EXPIRED', 0],
    ['1.31', 'STANDARD', '2025-11-25T12:00:00Z', 'STANDARD_SUPPORT', '2025-11-26', 'AUTO_UPGRADE', 1, 'CRITICAL', 0],
    ['1.31', 'STANDARD', '2025-11-26T12:00:00Z', 'EXTENDED_SUPPORT', '2025-11-26', 'AUTO_UPGRADE', 0, 'EXPIRED', 0],
    ['1.31', 'STANDARD', '2026-02-01T12:00:00Z', 'EXTENDED_SUPPORT', '2025-11-26', 'AUTO_UPGRADE', -67, 'EXPIRED', 0],
    ['1.34', 'EXTENDED', '2026-01-01T00:00:00Z', 'STANDARD_SUPPORT', '2026-12-02', 'EXTENDED_BILLING', 335, 'OK', 0],
  ])(
    '%s %s at %s: %s, deadline %s %s in %i days, %s, $%i/month',
    (version, supportType, instant, supportStatus, date, consequence, daysRemaining, severity, usd) => {
      expect(judge(version, supportType as SupportType, instant)).toEqual({
        supportStatus,
        deadline: { date, consequence, daysRemaining },
        severity,
        usd,
      });
    },
  );
});

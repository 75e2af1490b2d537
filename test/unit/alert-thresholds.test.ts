import { describe, expect, it } from 'vitest';
import {
  ALERT_THRESHOLDS,
  alertDeadlines,
  crossedThresholds,
  deadlineKey,
  decideAlert,
  decideDeadlineAlert,
  unsupportedKey,
} from '../../functions/core/alert-thresholds.ts';
import type { AlertDeadline, AlertDeadlineInput } from '../../functions/core/alert-thresholds.ts';
import { computeDeadline } from '../../functions/core/deadline.ts';
import type { CalendarEntry } from '../../functions/core/types.ts';

describe('ALERT_THRESHOLDS', () => {
  it('lists 180, 90, 60, 30, 14, 7, 1 days and 0 for a passed deadline', () => {
    expect(ALERT_THRESHOLDS).toEqual([180, 90, 60, 30, 14, 7, 1, 0]);
  });
});

describe('crossedThresholds', () => {
  it.each([
    [400, []],
    [181, []],
    [180, [180]],
    [25, [180, 90, 60, 30]],
    [14, [180, 90, 60, 30, 14]],
    [1, [180, 90, 60, 30, 14, 7, 1]],
    [0, [180, 90, 60, 30, 14, 7, 1, 0]],
    [-5, [180, 90, 60, 30, 14, 7, 1, 0]],
    [Number.NaN, []],
  ])('at %s days remaining crosses %j', (days, expected) => {
    expect(crossedThresholds(days)).toEqual(expected);
  });
});

describe('deadlineKey', () => {
  it('joins version, consequence and date, so an upgrade yields a new key', () => {
    const deadline = { date: '2026-11-26', consequence: 'EXTENDED_BILLING', daysRemaining: 4 } as const;
    expect(deadlineKey('1.31', deadline)).toBe('1.31|EXTENDED_BILLING|2026-11-26');
    expect(deadlineKey('1.32', { ...deadline, date: '2027-03-23' })).not.toBe(deadlineKey('1.31', deadline));
  });
});

describe('decideAlert', () => {
  it('sends one message naming 30 on first sight at 25 days, and records 180/90/60/30', () => {
    expect(decideAlert({ daysRemaining: 25, alreadySent: [] })).toEqual({
      code: 'SEND',
      threshold: 30,
      record: [180, 90, 60, 30],
      reason: '25 day(s) remain, within the 30-day threshold; also recorded as sent: 180, 90, 60',
    });
  });

  it('sends nothing when the same thresholds were already sent', () => {
    const decision = decideAlert({ daysRemaining: 25, alreadySent: [180, 90, 60, 30] });
    expect(decision).toMatchObject({ code: 'NONE', threshold: null, record: [] });
    expect(decision.reason).toMatch(/already sent/);
  });

  it('sends 14 on a later day at 13 days', () => {
    expect(decideAlert({ daysRemaining: 13, alreadySent: [180, 90, 60, 30] })).toEqual({
      code: 'SEND',
      threshold: 14,
      record: [14],
      reason: '13 day(s) remain, within the 14-day threshold',
    });
  });

  it('sends 1 on the last day', () => {
    expect(decideAlert({ daysRemaining: 1, alreadySent: [180, 90, 60, 30, 14, 7] }).reason).toBe(
      '1 day(s) remain, within the 1-day threshold',
    );
  });

  it.each([
    [0, 'the deadline is today: support ended at 00:00 UTC'],
    [-3, 'the deadline passed 3 day(s) ago'],
  ])('sends 0 when the deadline has passed (%s days remaining)', (days, reason) => {
    expect(decideAlert({ daysRemaining: days, alreadySent: [180, 90, 60, 30, 14, 7, 1] })).toEqual({
      code: 'SEND',
      threshold: 0,
      record: [0],
      reason,
    });
  });

  it('sends nothing further after the passed-deadline alert', () => {
    expect(decideAlert({ daysRemaining: -10, alreadySent: ALERT_THRESHOLDS }).code).toBe('NONE');
  });

  it('sends nothing beyond the farthest threshold', () => {
    expect(decideAlert({ daysRemaining: 200, alreadySent: [] })).toEqual({
      code: 'NONE',
      threshold: null,
      record: [],
      reason: '200 days remain, more than the farthest threshold (180 days)',
    });
  });

  it('sends nothing for a daysRemaining that is not a number', () => {
    expect(decideAlert({ daysRemaining: Number.NaN, alreadySent: [] })).toMatchObject({ code: 'NONE', record: [] });
  });

  it('never sends a threshold farther than one already sent: at 24 days with only 30 recorded, records 180/90/60 silently', () => {
    expect(decideAlert({ daysRemaining: 24, alreadySent: [30] })).toEqual({
      code: 'NONE',
      threshold: null,
      record: [180, 90, 60],
      reason: 'the nearer 30-day alert was already sent; 180, 90, 60 recorded as sent without a message',
    });
  });

  it('sends a nearer newly crossed threshold and records the farther unrecorded ones with it', () => {
    expect(decideAlert({ daysRemaining: 13, alreadySent: [30] })).toEqual({
      code: 'SEND',
      threshold: 14,
      record: [180, 90, 60, 14],
      reason: '13 day(s) remain, within the 14-day threshold; also recorded as sent: 180, 90, 60',
    });
  });

  it.each([
    [24, [30], null],
    [13, [30], 14],
    [0, [1], 0],
    [0, [0], null],
    [5, [180, 7], null],
  ])('at %s days with %j recorded, sends %s — never farther than the nearest already sent', (days, sent, expected) => {
    const decision = decideAlert({ daysRemaining: days, alreadySent: sent });
    expect(decision.threshold).toBe(expected);
    expect(decision.record.every((t) => !sent.includes(t))).toBe(true);
  });
});

describe('unsupportedKey', () => {
  it('keys a version the calendar does not list by version alone', () => {
    expect(unsupportedKey('1.22')).toBe('1.22|UNSUPPORTED');
  });
});

// 1.34 as the calendar lists it: standard support ends 2026-12-02, extended support 2027-12-02.
const ENTRY_134: CalendarEntry = {
  version: '1.34',
  endOfStandardSupport: '2026-12-02',
  endOfExtendedSupport: '2027-12-02',
};

function cluster134(supportType: 'STANDARD' | 'EXTENDED', now: string): AlertDeadlineInput {
  const today = now.slice(0, 10);
  return {
    version: '1.34',
    supportType,
    supportStatus:
      today < ENTRY_134.endOfStandardSupport
        ? 'STANDARD_SUPPORT'
        : today < ENTRY_134.endOfExtendedSupport
          ? 'EXTENDED_SUPPORT'
          : 'UNSUPPORTED',
    endOfStandardSupport: ENTRY_134.endOfStandardSupport,
    deadline: computeDeadline(ENTRY_134, supportType, new Date(now)),
  };
}

const keysOf = (deadlines: AlertDeadline[]): string[] => deadlines.map((d) => d.key);

describe('alertDeadlines', () => {
  it.each([
    ['EXTENDED', '2026-12-01T12:00:00Z', ['1.34|EXTENDED_BILLING|2026-12-02']],
    ['EXTENDED', '2026-12-02T12:00:00Z', ['1.34|AUTO_UPGRADE|2027-12-02', '1.34|EXTENDED_BILLING|2026-12-02']],
    ['EXTENDED', '2027-06-01T12:00:00Z', ['1.34|AUTO_UPGRADE|2027-12-02', '1.34|EXTENDED_BILLING|2026-12-02']],
    ['EXTENDED', '2027-12-02T12:00:00Z', ['1.34|AUTO_UPGRADE|2027-12-02']],
    ['STANDARD', '2026-12-01T12:00:00Z', ['1.34|AUTO_UPGRADE|2026-12-02']],
    ['STANDARD', '2026-12-02T12:00:00Z', ['1.34|AUTO_UPGRADE|2026-12-02']],
  ] as const)('for a %s-policy 1.34 cluster at %s evaluates %j', (policy, now, keys) => {
    expect(keysOf(alertDeadlines(cluster134(policy, now), new Date(now)))).toEqual(keys);
  });

  it('adds the passed EXTENDED_BILLING deadline on the day billing starts, with 0 days remaining', () => {
    const now = new Date('2026-12-02T12:00:00Z');

    const deadlines = alertDeadlines(cluster134('EXTENDED', now.toISOString()), now);

    expect(deadlines).toEqual([
      {
        code: 'EFFECTIVE_DEADLINE',
        key: '1.34|AUTO_UPGRADE|2027-12-02',
        deadline: { date: '2027-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: 365 },
        reason: 'the effective deadline (AUTO_UPGRADE on 2027-12-02)',
      },
      {
        code: 'EXTENDED_BILLING_STARTED',
        key: '1.34|EXTENDED_BILLING|2026-12-02',
        deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 0 },
        reason: 'extended-support billing started on 2026-12-02 (end of standard support)',
      },
    ]);
  });

  it('uses for the start of billing the key the 180 … 1-day alerts before it were recorded under', () => {
    const dayBefore = new Date('2026-12-01T12:00:00Z');
    const billingDay = new Date('2026-12-02T00:00:00Z');

    const [before] = alertDeadlines(cluster134('EXTENDED', dayBefore.toISOString()), dayBefore);
    const billing = alertDeadlines(cluster134('EXTENDED', billingDay.toISOString()), billingDay).find(
      (d) => d.code === 'EXTENDED_BILLING_STARTED',
    );

    expect(before?.deadline).toEqual({ date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 1 });
    expect(billing?.key).toBe(before?.key);
  });

  it('gives a cluster first seen long after billing started the passed billing deadline too', () => {
    const now = new Date('2027-03-01T12:00:00Z');

    const billing = alertDeadlines(cluster134('EXTENDED', now.toISOString()), now)[1];

    expect(billing?.deadline).toEqual({ date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: -89 });
    expect(decideDeadlineAlert(billing as AlertDeadline, [])).toMatchObject({
      code: 'SEND',
      threshold: 0,
      record: ALERT_THRESHOLDS,
    });
  });

  it('gives a version not in the calendar and treated as unsupported one undated deadline', () => {
    const input: AlertDeadlineInput = {
      version: '1.22',
      supportType: 'EXTENDED',
      supportStatus: 'UNSUPPORTED',
      endOfStandardSupport: null,
      deadline: null,
    };

    expect(alertDeadlines(input, new Date('2026-12-02T12:00:00Z'))).toEqual([
      {
        code: 'VERSION_UNSUPPORTED',
        key: '1.22|UNSUPPORTED',
        deadline: null,
        reason: 'version 1.22 is not in the support calendar and is treated as unsupported',
      },
    ]);
  });

  it('gives a version newer than the calendar (no deadline known, in standard support) none', () => {
    const input: AlertDeadlineInput = {
      version: '1.40',
      supportType: 'EXTENDED',
      supportStatus: 'STANDARD_SUPPORT',
      endOfStandardSupport: null,
      deadline: null,
    };

    expect(alertDeadlines(input, new Date('2026-12-02T12:00:00Z'))).toEqual([]);
  });
});

describe('decideDeadlineAlert', () => {
  const unsupported: AlertDeadline = {
    code: 'VERSION_UNSUPPORTED',
    key: '1.22|UNSUPPORTED',
    deadline: null,
    reason: 'version 1.22 is not in the support calendar and is treated as unsupported',
  };

  it('sends threshold 0 alone, once, for a version not in the calendar', () => {
    expect(decideDeadlineAlert(unsupported, [])).toEqual({
      code: 'SEND',
      threshold: 0,
      record: [0],
      reason: 'version 1.22 is not in the support calendar and is treated as unsupported: alerted once, at threshold 0',
    });
    expect(decideDeadlineAlert(unsupported, [0])).toEqual({
      code: 'NONE',
      threshold: null,
      record: [],
      reason: 'version 1.22 is not in the support calendar and is treated as unsupported: that alert was already sent',
    });
  });

  it('decides a dated deadline by its days remaining, naming the deadline in the reason', () => {
    const target: AlertDeadline = {
      code: 'EXTENDED_BILLING_STARTED',
      key: '1.34|EXTENDED_BILLING|2026-12-02',
      deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 0 },
      reason: 'extended-support billing started on 2026-12-02 (end of standard support)',
    };

    expect(decideDeadlineAlert(target, [1, 7, 14, 30, 60, 90, 180])).toEqual({
      code: 'SEND',
      threshold: 0,
      record: [0],
      reason:
        'extended-support billing started on 2026-12-02 (end of standard support): ' +
        'the deadline is today: support ended at 00:00 UTC',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  ALERT_THRESHOLDS,
  crossedThresholds,
  deadlineKey,
  decideAlert,
} from '../../functions/core/alert-thresholds.ts';

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
});

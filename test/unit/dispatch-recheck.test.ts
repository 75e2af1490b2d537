import { describe, expect, it } from 'vitest';
import {
  capRoom,
  lastDecisiveUpgrade,
  recheckStart,
  type LastUpgrade,
  type StartRecheckInput,
} from '../../functions/core/upgrade-start-plan.ts';

const NOW = new Date('2026-11-22T02:00:00.000Z');

type Record = LastUpgrade & { readonly executionName: string };

const FAILED: Record = {
  executionName: 'dev-sandbox-1-35-20261121',
  status: 'FAILED',
  fromVersion: '1.33',
  toVersion: '1.35',
  startedAt: '2026-11-21T02:00:00.000Z',
  finishedAt: '2026-11-21T02:10:00.000Z',
  updatedAt: '2026-11-21T02:10:00.000Z',
  step: 'CONTROL_PLANE',
  error: { code: 'UpdateFailedError', message: 'UpdateClusterVersion ended Failed' },
};

const record = (fields: Partial<Record>): Record => ({ ...FAILED, ...fields });

describe('lastDecisiveUpgrade', () => {
  it('is null without records', () => {
    expect(lastDecisiveUpgrade([])).toBeNull();
  });

  it('takes the newest record when it is a real outcome', () => {
    const newest = record({ executionName: 'newer', status: 'SUCCEEDED', error: null });
    expect(lastDecisiveUpgrade([newest, FAILED])).toBe(newest);
  });

  it('skips gate refusals (a blocked pre-flight, a held lock): they neither hold nor release', () => {
    const blocked = record({
      executionName: 'blocked',
      error: { code: 'UpgradeBlockedError', message: 'CAP_REACHED' },
    });
    const locked = record({ executionName: 'locked', error: { code: 'LockHeldError', message: 'held' } });
    expect(lastDecisiveUpgrade([blocked, locked, FAILED])).toBe(FAILED);
  });

  it('keeps a FAILED record without an error, and running records of other executions', () => {
    const bare = record({ executionName: 'bare', error: null });
    const running = record({ executionName: 'running', status: 'RUNNING', error: null, finishedAt: null });
    expect(lastDecisiveUpgrade([bare, FAILED])).toBe(bare);
    expect(lastDecisiveUpgrade([running, FAILED])).toBe(running);
  });

  it('leaves out the execution asking (its own record is still RUNNING)', () => {
    const own = record({ executionName: 'me', status: 'RUNNING', error: null, finishedAt: null });
    expect(lastDecisiveUpgrade([own, FAILED], 'me')).toBe(FAILED);
    expect(lastDecisiveUpgrade([own], 'me')).toBeNull();
  });
});

describe('capRoom', () => {
  it.each<[number, number, number]>([
    [0, 5, 5],
    [4, 5, 1],
    [5, 5, 0],
    [7, 5, 0],
    [0, 0, 0],
    [0, -3, 0],
    [1, 2.9, 1],
  ])('with %i running under a cap of %d leaves room for %i', (running, cap, room) => {
    expect(capRoom(running, cap)).toBe(room);
  });
});

describe('recheckStart', () => {
  const input = (fields: Partial<StartRecheckInput> = {}): StartRecheckInput => ({
    version: '1.33',
    target: '1.35',
    othersRunning: 0,
    maxConcurrent: 5,
    history: { lastUpgrade: null, versionSince: null },
    now: NOW,
    ...fields,
  });

  it('lets an upgrade go when the cap has room and nothing holds it', () => {
    expect(recheckStart(input({ othersRunning: 4 }))).toEqual([]);
  });

  it('refuses with CAP_REACHED when the other running upgrades fill the cap', () => {
    expect(recheckStart(input({ othersRunning: 2, maxConcurrent: 2 }))).toEqual([
      {
        code: 'CAP_REACHED',
        reason:
          'the fleet-wide cap of 2 concurrent upgrades is reached (2 other upgrades running); it waits for the next run',
      },
    ]);
    expect(recheckStart(input({ othersRunning: 1, maxConcurrent: 1 }))[0]?.reason).toContain(
      '(1 other upgrade running)',
    );
  });

  it('refuses every upgrade when the cap is 0 (audit only)', () => {
    expect(recheckStart(input({ maxConcurrent: 0 })).map((r) => r.code)).toEqual(['CAP_REACHED']);
  });

  it('refuses with HELD_AFTER_FAILURE by the dispatcher rule, with its hold time', () => {
    const history = { lastUpgrade: FAILED, versionSince: null };
    expect(recheckStart(input({ history }))).toEqual([
      {
        code: 'HELD_AFTER_FAILURE',
        reason: expect.stringMatching(/^the upgrade 1\.33 → 1\.35 failed at CONTROL_PLANE/),
      },
    ]);
    expect(recheckStart(input({ history, failureHoldDays: 0 }))).toEqual([]);
    expect(recheckStart(input({ history, target: '1.34' }))).toEqual([]);
  });

  it('names both when both apply', () => {
    const history = { lastUpgrade: FAILED, versionSince: null };
    expect(recheckStart(input({ history, othersRunning: 5 })).map((r) => r.code)).toEqual([
      'CAP_REACHED',
      'HELD_AFTER_FAILURE',
    ]);
  });
});

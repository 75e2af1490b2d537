import { describe, expect, it } from 'vitest';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import type { Severity } from '../../functions/core/types.ts';
import {
  compareUpgradeUrgency,
  failureHold,
  planDispatch,
  type LastUpgrade,
  type UpgradeHistory,
} from '../../functions/core/upgrade-start-plan.ts';
import { upgradeExecutionName } from '../../functions/core/upgrade-execution.ts';
import { DEFAULT_FAILURE_HOLD_DAYS } from '../../functions/core/defaults.ts';

const NOW = new Date('2026-11-22T02:00:00.000Z');

function report(
  name: string,
  options: { wave?: number; severity?: Severity; days?: number | null; eligible?: boolean } = {},
): ClusterReport {
  const eligible = options.eligible ?? true;
  return {
    accountId: '222222222222',
    region: 'eu-west-1',
    name,
    arn: `arn:aws:eks:eu-west-1:222222222222:cluster/${name}`,
    version: '1.33',
    platformVersion: 'eks.5',
    status: 'ACTIVE',
    supportType: 'STANDARD',
    supportStatus: 'STANDARD_SUPPORT',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
    deadline:
      options.days === null
        ? null
        : { date: '2027-01-01', consequence: 'AUTO_UPGRADE', daysRemaining: options.days ?? 100 },
    severity: options.severity ?? 'OK',
    extendedSupportMonthlyUsd: 0,
    nodegroups: [],
    addons: [],
    findings: [],
    upgrade: {
      optedIn: true,
      target: '1.35',
      path: ['1.34', '1.35'],
      eligible,
      blockers: eligible ? [] : [{ code: 'OUTSIDE_WINDOW', message: 'outside the window' }],
      nextWindowStart: null,
      wave: options.wave ?? 0,
      rolloutGroup: 'default',
    },
  };
}

describe('planDispatch', () => {
  it('starts every eligible cluster under its deterministic execution name', () => {
    const decisions = planDispatch({ reports: [report('a'), report('b')], running: 0, maxConcurrent: 5, now: NOW });

    expect(decisions.map((d) => [d.report.name, d.code, d.executionName])).toEqual([
      ['a', 'START', upgradeExecutionName(report('a'), '1.35', NOW)],
      ['b', 'START', upgradeExecutionName(report('b'), '1.35', NOW)],
    ]);
    expect(decisions[0]?.reason).toBe('eligible: upgrade 1.33 → 1.34 → 1.35');
  });

  it('stops at the fleet-wide cap, counting upgrades already running', () => {
    const reports = [report('a'), report('b'), report('c')];

    const decisions = planDispatch({ reports, running: 3, maxConcurrent: 4, now: NOW });

    expect(decisions.map((d) => d.code)).toEqual(['START', 'CAP_REACHED', 'CAP_REACHED']);
    expect(decisions[1]?.reason).toContain('cap of 4 concurrent upgrades is reached (3 were already running)');
  });

  it('starts nothing with a cap of 0 (audit only)', () => {
    expect(planDispatch({ reports: [report('a')], running: 0, maxConcurrent: 0, now: NOW })[0]?.code).toBe(
      'CAP_REACHED',
    );
  });

  it('names the blockers of a cluster it does not start', () => {
    const blocked = report('blocked', { eligible: false });
    const atTarget = { ...report('done'), upgrade: { ...report('done').upgrade, path: [], blockers: [] } };

    const decisions = planDispatch({ reports: [blocked, atTarget], running: 0, maxConcurrent: 5, now: NOW });

    expect(decisions.map((d) => [d.report.name, d.code, d.reason, d.executionName])).toEqual([
      ['blocked', 'NOT_ELIGIBLE', 'blocked: OUTSIDE_WINDOW', null],
      ['done', 'NOT_ELIGIBLE', 'no upgrade path', null],
    ]);
  });
});

describe('compareUpgradeUrgency', () => {
  it('puts lower waves first, then more severe, then fewer days left, then by name', () => {
    const reports = [
      report('late-wave', { wave: 1, severity: 'EXPIRED', days: 1 }),
      report('ok-b', { days: 50 }),
      report('critical', { severity: 'CRITICAL', days: 20 }),
      report('ok-a', { days: 50 }),
      report('no-deadline', { days: null }),
      report('soon', { days: 10 }),
      report('no-deadline-either', { days: null }),
    ];

    expect([...reports].sort(compareUpgradeUrgency).map((r) => r.name)).toEqual([
      'critical',
      'soon',
      'ok-a',
      'ok-b',
      'no-deadline',
      'no-deadline-either',
      'late-wave',
    ]);
  });
});

/** An upgrade 1.33 → 1.35 that failed at the control plane a day before NOW. */
const FAILED: LastUpgrade = {
  status: 'FAILED',
  fromVersion: '1.33',
  toVersion: '1.35',
  startedAt: '2026-11-21T02:00:00.000Z',
  finishedAt: '2026-11-21T02:10:00.000Z',
  updatedAt: '2026-11-21T02:10:00.000Z',
  step: 'CONTROL_PLANE',
  error: { code: 'UpdateFailedError', message: 'UpdateClusterVersion ended Failed' },
};

const past = (lastUpgrade: Partial<LastUpgrade> | null, versionSince: string | null = '2026-01-01T00:00:00.000Z') => ({
  lastUpgrade: lastUpgrade === null ? null : { ...FAILED, ...lastUpgrade },
  versionSince,
});

describe('failureHold', () => {
  it('holds for 7 days by default', () => {
    expect(DEFAULT_FAILURE_HOLD_DAYS).toBe(7);
  });

  it('holds a cluster whose last upgrade to the same target failed, naming the step, the error and the day', () => {
    expect(failureHold(report('a'), '1.35', past({}), NOW)).toBe(
      'the upgrade 1.33 → 1.35 failed at CONTROL_PLANE on 2026-11-21 (UpdateFailedError: UpdateClusterVersion ended ' +
        "Failed); not retried until the cluster's version changes (fix the cause, upgrade by hand) or " +
        '2026-11-28T02:10:00.000Z, 7 days after the failure',
    );
  });

  it.each<[string, UpgradeHistory | undefined, Date]>([
    ['no history', undefined, NOW],
    ['never upgraded', past(null), NOW],
    ['last upgrade succeeded', past({ status: 'SUCCEEDED', error: null }), NOW],
    ['last upgrade still running', past({ status: 'RUNNING', error: null, finishedAt: null }), NOW],
    ['the failure was for another target', past({ toVersion: '1.34' }), NOW],
    [
      'the pre-flight refused it (a gate, not a failure)',
      past({ error: { code: 'UpgradeBlockedError', message: 'OUTSIDE_WINDOW' } }),
      NOW,
    ],
    ['another holder had the lock', past({ error: { code: 'LockHeldError', message: 'held' } }), NOW],
    ['the version changed after the failure', past({}, '2026-11-21T09:00:00.000Z'), NOW],
    ['7 days have passed since the failure', past({}), new Date('2026-11-28T02:10:00.000Z')],
    [
      'versionSince unknown and the cluster runs a version the failed upgrade never started from (recreated)',
      past({ fromVersion: '1.34' }, null),
      NOW,
    ],
  ])('does not hold when %s', (_label, history, now) => {
    expect(failureHold(report('a'), '1.35', history, now)).toBeNull();
  });

  it.each<[string, UpgradeHistory]>([
    ['the version moved during the failed upgrade itself', past({}, '2026-11-21T02:05:00.000Z')],
    ['versionSince unknown and the cluster still runs the version the failed upgrade started from', past({}, null)],
    [
      'versionSince unknown and the cluster runs a version the failed upgrade may have reached',
      past({ fromVersion: '1.32' }, null),
    ],
  ])('holds when %s', (_label, history) => {
    expect(failureHold(report('a'), '1.35', history, NOW)).toMatch(/^the upgrade .* failed at CONTROL_PLANE/);
  });

  it('honours a custom hold time', () => {
    const dayAfter = new Date('2026-11-22T02:10:00.000Z');
    expect(failureHold(report('a'), '1.35', past({}), dayAfter, 1)).toBeNull();
    expect(failureHold(report('a'), '1.35', past({}), NOW, 1)).toMatch(/2026-11-22T02:10:00.000Z, 1 day after/);
    expect(failureHold(report('a'), '1.35', past({}), dayAfter, 2)).toMatch(/2026-11-23T02:10:00.000Z, 2 days after/);
  });
});

describe('planDispatch after a failed upgrade', () => {
  it('holds the cluster back (HELD_AFTER_FAILURE) without taking room under the cap', () => {
    const history = new Map([[report('broken').arn, past({})]]);

    const decisions = planDispatch({
      reports: [report('broken', { severity: 'CRITICAL' }), report('next')],
      running: 0,
      maxConcurrent: 1,
      now: NOW,
      history,
    });

    expect(decisions.map((d) => [d.report.name, d.code, d.executionName === null, d.target])).toEqual([
      ['broken', 'HELD_AFTER_FAILURE', true, '1.35'],
      ['next', 'START', false, '1.35'],
    ]);
    expect(decisions[0]?.reason).toContain('failed at CONTROL_PLANE on 2026-11-21 (UpdateFailedError: ');
  });

  it('starts it again with a hold time of 0', () => {
    const history = new Map([[report('broken').arn, past({})]]);

    const decisions = planDispatch({
      reports: [report('broken')],
      running: 0,
      maxConcurrent: 1,
      now: NOW,
      history,
      failureHoldDays: 0,
    });

    expect(decisions.map((d) => d.code)).toEqual(['START']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import type { Severity } from '../../functions/core/types.ts';
import { compareUpgradeUrgency, planDispatch } from '../../functions/core/upgrade-dispatch.ts';
import { upgradeExecutionName } from '../../functions/core/upgrade-execution.ts';

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

import { describe, expect, it } from 'vitest';
import { nextActions } from '../../functions/core/next-actions.ts';
import type { NextActionsInput } from '../../functions/core/next-actions.ts';

function cluster(
  overrides: Partial<NextActionsInput> = {},
  upgrade: Partial<NextActionsInput['upgrade']> = {},
): NextActionsInput {
  return {
    name: 'web',
    version: '1.33',
    status: 'ACTIVE',
    deadline: { date: '2027-07-29', consequence: 'EXTENDED_BILLING', daysRemaining: 249 },
    extendedSupportMonthlyUsd: 0,
    nodegroups: [{ name: 'ng-1', version: '1.33', skew: 0 }],
    addons: [],
    findings: [],
    ...overrides,
    upgrade: {
      optedIn: true,
      target: '1.34',
      path: ['1.34'],
      eligible: true,
      blockers: [],
      nextWindowStart: null,
      ...upgrade,
    },
  };
}

function codes(input: NextActionsInput): string[] {
  return nextActions(input).map((a) => a.code);
}

describe('nextActions', () => {
  it('says nothing is to be done for a cluster at its target with no findings', () => {
    const actions = nextActions(
      cluster(
        {},
        { target: '1.33', path: [], eligible: false, blockers: [{ code: 'AT_TARGET', message: 'already at 1.33' }] },
      ),
    );

    expect(actions).toEqual([
      { code: 'UP_TO_DATE', actor: 'AUTOMATIC', action: 'Nothing to do', reason: '1.33 is its target version' },
    ]);
  });

  it('upgrades a node group behind the control plane first, then the control plane, for a cluster not opted in', () => {
    const actions = nextActions(
      cluster(
        {
          nodegroups: [
            { name: 'ng-1', version: '1.32', skew: 1 },
            { name: 'ng-2', version: '1.33', skew: 0 },
          ],
          extendedSupportMonthlyUsd: 365,
          deadline: { date: '2027-07-29', consequence: 'AUTO_UPGRADE', daysRemaining: 249 },
        },
        {
          optedIn: false,
          target: '1.35',
          path: ['1.34', '1.35'],
          eligible: false,
          blockers: [{ code: 'NOT_OPTED_IN', message: 'not opted in' }],
        },
      ),
    );

    expect(actions.map((a) => a.action)).toEqual([
      'Upgrade node group ng-1 (1.32) to 1.33',
      'Upgrade the control plane to 1.34, then 1.35 (one minor per hop)',
      'Or opt in with tag fleet-auditor/auto-upgrade=true',
    ]);
    expect(actions[1]?.reason).toBe(
      'AWS may upgrade the control plane on 2027-07-29, in 249 days; it stops $365/month of extended support',
    );
    expect(actions.every((a) => a.actor === 'OWNER')).toBe(true);
  });

  it('uses the configured tag prefix in the opt-in advice', () => {
    const input = cluster({}, { optedIn: false, eligible: false, blockers: [{ code: 'NOT_OPTED_IN', message: 'x' }] });

    expect(nextActions(input, { tagPrefix: 'acme/' }).at(-1)?.action).toBe('Or opt in with tag acme/auto-upgrade=true');
  });

  it('names incompatible add-ons and add-ons with no version for the next minor', () => {
    const input = cluster(
      {
        addons: [
          {
            name: 'kube-proxy',
            version: 'v1.30.0',
            compatible: false,
            compatibleWithNext: false,
            recommendedForNext: 'v1.34.2',
          },
          {
            name: 'observability',
            version: 'v2.1.0',
            compatible: true,
            compatibleWithNext: false,
            recommendedForNext: null,
          },
          {
            name: 'coredns',
            version: 'v1.12.1',
            compatible: true,
            compatibleWithNext: false,
            recommendedForNext: 'v1.12.3',
          },
        ],
      },
      { eligible: false, blockers: [{ code: 'ADDON_NO_COMPATIBLE_VERSION', message: 'no version of observability' }] },
    );

    const actions = nextActions(input);

    expect(actions.map((a) => a.code)).toEqual(['UPDATE_ADDON', 'FIX_ADDON']);
    expect(actions[0]?.action).toBe('Update add-on kube-proxy (v1.30.0) to a version for 1.33');
    expect(actions[1]?.reason).toBe('no published version of observability runs on 1.34, so the upgrade cannot start');
  });

  it('lets the auditor act for an eligible cluster, and explains the wait for a window that opens after the deadline', () => {
    expect(nextActions(cluster())[0]).toMatchObject({ code: 'AUTOMATIC_UPGRADE', actor: 'AUTOMATIC' });

    const late = nextActions(
      cluster(
        { deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 10 } },
        {
          eligible: false,
          nextWindowStart: '2026-12-05T02:00:00.000Z',
          blockers: [
            { code: 'OUTSIDE_WINDOW', message: 'outside the window' },
            { code: 'WAVE_NOT_READY', message: 'wave 1 waits' },
          ],
        },
      ),
    );

    expect(late.map((a) => a.code)).toEqual(['WAIT_FOR_WINDOW', 'WAIT_FOR_WAVE']);
    expect(late[0]?.action).toBe('Upgrade to 1.34 starts when its window opens at 2026-12-05 02:00 UTC');
    expect(late[0]?.reason).toContain('widen it or upgrade by hand');
  });

  it('turns owner-fixable blockers into actions before the upgrade, and waits (freeze) after it', () => {
    const input = cluster(
      {
        findings: [{ code: 'CUSTOM_AMI_NODEGROUP', severity: 'WARNING', message: 'Node group gpu runs a custom AMI' }],
      },
      {
        eligible: false,
        blockers: [
          { code: 'INSIGHT_ERROR', message: 'insight Kubelet version skew is ERROR' },
          { code: 'INVALID_OPT_IN_TAG', message: 'tag wave="x" is invalid' },
          { code: 'FROZEN', message: 'frozen until 2026-12-15' },
          { code: 'FACTS_UNKNOWN', message: 'ListInsights answered 403' },
          { code: 'SOMETHING_NEW', message: 'a future blocker' },
        ],
      },
    );

    expect(codes(input)).toEqual([
      'RESOLVE_INSIGHT',
      'FIX_OPT_IN_TAG',
      'FIX_READ_ACCESS',
      'RESOLVE_BLOCKER',
      'ROLL_CUSTOM_AMI',
      'FROZEN',
    ]);
  });

  it('waits for a transient status, and asks to investigate a failed cluster', () => {
    expect(codes(cluster({ status: 'UPDATING' }, { eligible: false, path: [], blockers: [] }))).toEqual([
      'WAIT_FOR_UPDATE',
    ]);
    expect(nextActions(cluster({ status: 'FAILED' }, { eligible: false }))[0]).toMatchObject({
      code: 'RESTORE_CLUSTER',
      action: 'Investigate cluster status FAILED',
    });
  });

  it('recommends a blue/green replacement instead of an in-place upgrade when the strategy says so', () => {
    const input = cluster(
      { strategy: { recommended: 'BLUE_GREEN' } },
      {
        eligible: false,
        target: '1.36',
        path: ['1.34', '1.35', '1.36'],
        blockers: [{ code: 'STRATEGY_BLUE_GREEN', message: 'x' }],
      },
    );

    expect(nextActions(input)).toEqual([
      expect.objectContaining({
        code: 'PLAN_BLUE_GREEN',
        action: 'Replace it with a new cluster at 1.36: `fleet-auditor blue-green web`',
      }),
    ]);
  });

  it('reports a baking hop with its rollback window', () => {
    const input = cluster(
      { rollback: { available: true, toVersion: '1.32', until: '2026-11-29T02:00:00.000Z' } },
      {
        phase: 'BAKING',
        bakeUntil: '2026-11-23T02:00:00.000Z',
        eligible: false,
        blockers: [{ code: 'BAKING', message: 'baking' }],
      },
    );

    const [action] = nextActions(input);

    expect(action?.code).toBe('BAKING');
    expect(action?.action).toBe('Baking 1.33 until 2026-11-23 02:00 UTC; node groups follow');
    expect(action?.reason).toContain('`fleet-auditor rollback web` returns it to 1.32 until 2026-11-29 02:00 UTC');
  });

  it('asks to raise a pinned target when the cluster is billed for extended support', () => {
    const input = cluster(
      {
        extendedSupportMonthlyUsd: 365,
        deadline: { date: '2026-01-01', consequence: 'AUTO_UPGRADE', daysRemaining: -5 },
      },
      { target: '1.33', path: [], eligible: false, blockers: [{ code: 'AT_TARGET', message: 'at target' }] },
    );

    expect(nextActions(input)).toEqual([
      {
        code: 'RAISE_TARGET',
        actor: 'OWNER',
        action: 'Raise tag fleet-auditor/target-version above 1.33',
        reason:
          'the cluster sits at its target, but AWS may upgrade the control plane since 2026-01-01; it stops $365/month of extended support',
      },
    ]);
  });

  it('names a version missing from the calendar as the reason to upgrade', () => {
    const input = cluster({ deadline: null }, { optedIn: false, eligible: false, blockers: [] });

    expect(nextActions(input)[0]?.reason).toBe('1.33 is not in the EKS support calendar');
  });

  it('lists several node groups behind the control plane in one step', () => {
    const input = cluster({
      nodegroups: [
        { name: 'a', version: '1.31', skew: 2 },
        { name: 'b', version: '1.32', skew: 1 },
        { name: 'c', version: 'x', skew: null },
      ],
    });

    expect(nextActions(input)[0]?.action).toBe('Upgrade node groups a (1.31) and b (1.32) to 1.33');
  });

  it('turns the newer blockers into owner steps or waits', () => {
    const input = cluster(
      {},
      {
        eligible: false,
        nextWindowStart: null,
        blockers: [
          { code: 'SUBRESOURCE_NOT_OPTED_IN', message: 'node group ng-1 lacks the tag' },
          { code: 'HELD_AFTER_ROLLBACK', message: 'rolled back on alarm X' },
          { code: 'LOCKED', message: 'run r1 holds the lock' },
          { code: 'OUTSIDE_WINDOW', message: 'outside the window' },
        ],
      },
    );

    const actions = nextActions(input);

    expect(actions.map((a) => `${a.actor}:${a.code}`)).toEqual([
      'OWNER:TAG_SUBRESOURCES',
      'OWNER:RELEASE_HOLD',
      'AUTOMATIC:WAIT_FOR_WINDOW',
      'AUTOMATIC:RESOLVE_BLOCKER',
    ]);
    expect(actions[2]?.action).toBe('Upgrade to 1.34 starts in its next maintenance window');
    expect(actions[2]?.reason).toBe('outside the window.');
  });

  it('reports a bake without its end or a rollback, and keeps a non-ISO time as it is', () => {
    const bare = cluster({ rollback: { available: false, toVersion: null, until: null } }, { phase: 'BAKING' });
    const odd = cluster({}, { phase: 'BAKING', bakeUntil: 'soon' });

    expect(nextActions(bare)[0]).toMatchObject({
      action: 'Baking 1.33 until the end of its bake; node groups follow',
      reason: 'a bad health signal rolls it back automatically',
    });
    expect(nextActions(odd)[0]?.action).toBe('Baking 1.33 until soon; node groups follow');
  });

  it('says why nothing is to be done: no newer standard version, or a target not ahead', () => {
    const newest = cluster({}, { target: null, path: [], eligible: false });
    const other = cluster({}, { target: '1.32', path: [], eligible: false });

    expect(nextActions(newest)[0]?.reason).toBe('no newer version is in standard support');
    expect(nextActions(other)[0]?.reason).toBe('no upgrade is planned (target 1.32)');
  });

  it('explains an extended-billing deadline, and a window that opens in time', () => {
    const input = cluster(
      { deadline: { date: '2026-12-20', consequence: 'EXTENDED_BILLING', daysRemaining: 28 } },
      {
        eligible: false,
        nextWindowStart: '2026-11-28T02:00:00.000Z',
        blockers: [{ code: 'OUTSIDE_WINDOW', message: 'w' }],
      },
    );
    const manual = cluster(
      { deadline: { date: '2026-12-20', consequence: 'EXTENDED_BILLING', daysRemaining: 28 } },
      { optedIn: false, eligible: false, blockers: [] },
    );

    expect(nextActions(input)[0]?.reason).toBe('w.');
    expect(nextActions(manual)[0]?.reason).toBe('extended-support billing starts on 2026-12-20, in 28 days');
  });
});

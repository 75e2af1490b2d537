import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { assessCluster } from '../../functions/core/cluster-assessment.ts';
import { parseMaintenanceWindow } from '../../functions/core/maintenance-window.ts';
import { parseOptInTags } from '../../functions/core/opt-in-tags.ts';
import {
  parseStrategyTag,
  recommendStrategy,
  strategyFindings,
  type StrategyInput,
  type StrategyReasonCode,
} from '../../functions/core/strategy.ts';
import type { ClusterState, InsightState, NodegroupState } from '../../functions/core/types.ts';
import { decideUpgrade, strategyBlueGreen, prepareBlockerInput } from '../../functions/core/upgrade-decision.ts';

// A Sunday. In the bundled calendar, 1.36 is the newest version in standard support.
const NOW = new Date('2026-11-22T12:00:00.000Z');

const nodegroup = (name: string, version: string, customAmi = false): NodegroupState => ({
  name,
  version,
  releaseVersion: null,
  status: 'ACTIVE',
  amiType: customAmi ? 'CUSTOM' : 'AL2023_x86_64_STANDARD',
  customAmi,
});

const insight = (name: string, status: InsightState['status'], reason: string | null = null): InsightState => ({
  id: name,
  name,
  status,
  kubernetesVersion: '1.34',
  reason,
});

const CLUSTER: ClusterState = {
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'payments',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
  version: '1.33',
  platformVersion: 'eks.4',
  status: 'ACTIVE',
  supportType: 'STANDARD',
  tags: {},
  autoMode: false,
  nodegroups: [nodegroup('default', '1.33')],
  addons: [],
  fargateProfiles: [],
  insights: [],
  updateInProgress: false,
  versionSince: null,
};

const input = (overrides: Partial<StrategyInput> = {}, cluster: Partial<ClusterState> = {}): StrategyInput => ({
  cluster: { ...CLUSTER, ...cluster },
  choice: 'auto',
  target: '1.35',
  window: null,
  bakeHours: 24,
  now: NOW,
  ...overrides,
});

const codes = (i: StrategyInput): [string, StrategyReasonCode[]] => {
  const rec = recommendStrategy(i);
  return [rec.recommended, rec.reasons.map((reason) => reason.code)];
};

describe('parseStrategyTag', () => {
  it.each(['in-place', 'blue-green', 'auto'])('accepts %j exactly', (value) => {
    expect(parseStrategyTag(value)).toEqual({ ok: true, value });
  });

  it.each(['Blue-Green', ' blue-green', 'bluegreen', 'in_place', ''])(
    'rejects %j (strict: no case, no trim)',
    (value) => {
      expect(parseStrategyTag(value)).toEqual({ ok: false, reason: expect.stringContaining('"blue-green"') });
    },
  );

  it('makes an invalid strategy tag an INVALID_OPT_IN_TAG and keeps auto', () => {
    const policy = parseOptInTags({ 'fleet-auditor/strategy': 'Blue-Green' });
    expect(policy.strategy).toBe('auto');
    expect(policy.invalid).toEqual([
      { key: 'fleet-auditor/strategy', value: 'Blue-Green', reason: expect.any(String) },
    ]);
    expect(parseOptInTags({ 'fleet-auditor/strategy': 'blue-green' }).strategy).toBe('blue-green');
  });
});

describe('recommendStrategy', () => {
  const saturdayOnly = parseMaintenanceWindow('Sat 02:00-06:00 UTC');
  const weekdays = parseMaintenanceWindow('Mon-Fri 22:00-02:00 UTC');

  it.each<[string, StrategyInput, string, StrategyReasonCode[]]>([
    ['two minors to go, managed nodes, no window', input(), 'IN_PLACE', ['IN_PLACE_COVERED']],
    ['three minors to go', input({}, { version: '1.32' }), 'BLUE_GREEN', ['MANY_MINORS_BEHIND']],
    [
      'four minors to go (the yearly strategy)',
      input({ target: '1.36' }, { version: '1.32' }),
      'BLUE_GREEN',
      ['MANY_MINORS_BEHIND'],
    ],
    ['no target', input({ target: null }, { version: '1.30' }), 'IN_PLACE', ['IN_PLACE_COVERED']],
    ['at the target', input({ target: '1.33' }), 'IN_PLACE', ['IN_PLACE_COVERED']],
    [
      'a custom-AMI node group',
      input({}, { nodegroups: [nodegroup('default', '1.33'), nodegroup('gpu', '1.33', true)] }),
      'BLUE_GREEN',
      ['CUSTOM_AMI_NODES'],
    ],
    [
      'custom AMI on an Auto Mode cluster (AWS owns the nodes)',
      input({}, { autoMode: true, nodegroups: [nodegroup('gpu', '1.33', true)] }),
      'IN_PLACE',
      ['IN_PLACE_COVERED'],
    ],
    [
      'an insight naming self-managed nodes',
      input({}, { insights: [insight('Node readiness', 'WARNING', 'self-managed nodes run kubelet 1.30')] }),
      'BLUE_GREEN',
      ['SELF_MANAGED_NODES_SUSPECTED'],
    ],
    [
      'kubelet skew while every managed node group is current',
      input({}, { insights: [insight('Kubelet version skew', 'ERROR')] }),
      'BLUE_GREEN',
      ['SELF_MANAGED_NODES_SUSPECTED'],
    ],
    [
      'kubelet skew explained by a lagging managed node group',
      input({}, { nodegroups: [nodegroup('old', '1.31')], insights: [insight('Kubelet version skew', 'ERROR')] }),
      'IN_PLACE',
      ['IN_PLACE_COVERED'],
    ],
    [
      'a passing kubelet-skew insight',
      input({}, { insights: [insight('Kubelet version skew', 'PASSING', 'self-managed nodes: none')] }),
      'IN_PLACE',
      ['IN_PLACE_COVERED'],
    ],
    [
      'kubelet skew on an Auto Mode cluster',
      input({}, { autoMode: true, insights: [insight('Kubelet version skew', 'ERROR')] }),
      'IN_PLACE',
      ['IN_PLACE_COVERED'],
    ],
    [
      'a weekly window after a 24h bake: the node phase waits 7 days',
      input({ window: saturdayOnly }),
      'BLUE_GREEN',
      ['ROLLBACK_WINDOW_UNKEEPABLE'],
    ],
    ['a weekly window and no bake', input({ window: saturdayOnly, bakeHours: 0 }), 'IN_PLACE', ['IN_PLACE_COVERED']],
    ['a weeknight window after a 24h bake', input({ window: weekdays }), 'IN_PLACE', ['IN_PLACE_COVERED']],
    [
      'a weeknight window after a 6d bake (waits over the weekend)',
      input({ window: weekdays, bakeHours: 144 }),
      'BLUE_GREEN',
      ['ROLLBACK_WINDOW_UNKEEPABLE'],
    ],
    ['no window and the longest bake', input({ bakeHours: 144 }), 'IN_PLACE', ['IN_PLACE_COVERED']],
    ['the owner chose blue-green', input({ choice: 'blue-green' }), 'BLUE_GREEN', ['OWNER_CHOSE_BLUE_GREEN']],
    [
      'the owner chose in-place despite three minors',
      input({ choice: 'in-place' }, { version: '1.32' }),
      'IN_PLACE',
      ['OWNER_CHOSE_IN_PLACE', 'MANY_MINORS_BEHIND'],
    ],
    [
      'the owner chose in-place, nothing against it',
      input({ choice: 'in-place' }),
      'IN_PLACE',
      ['OWNER_CHOSE_IN_PLACE'],
    ],
    [
      'every fact at once',
      input(
        { target: '1.36', window: saturdayOnly },
        {
          version: '1.32',
          nodegroups: [nodegroup('gpu', '1.32', true)],
          insights: [insight('Kubelet version skew', 'WARNING')],
          fargateProfiles: ['jobs'],
        },
      ),
      'BLUE_GREEN',
      ['MANY_MINORS_BEHIND', 'CUSTOM_AMI_NODES', 'SELF_MANAGED_NODES_SUSPECTED', 'ROLLBACK_WINDOW_UNKEEPABLE'],
    ],
  ])('%s', (_, given, recommended, reasons) => {
    expect(codes(given)).toEqual([recommended, reasons]);
  });

  it('says why in words: minors, node groups, insights and the wait', () => {
    const rec = recommendStrategy(
      input(
        { target: '1.36', window: saturdayOnly },
        {
          version: '1.32',
          nodegroups: [nodegroup('gpu', '1.32', true)],
          insights: [insight('Kubelet version skew', 'WARNING')],
          fargateProfiles: ['jobs'],
        },
      ),
    );
    const [minors, ami, selfManaged, rollback] = rec.reasons.map((reason) => reason.message);
    expect(minors).toContain('1.32 is 4 minors behind the target 1.36');
    expect(ami).toContain('node group(s) gpu run a custom AMI');
    expect(selfManaged).toContain('"Kubelet version skew" (WARNING)');
    expect(selfManaged).toContain('Fargate pods');
    expect(rollback).toContain('with a 1d bake and the maintenance window "Sat 02:00-06:00 UTC"');
    expect(rollback).toContain('only 7d after it moved');
  });

  it('names the wait in days and hours when it is not whole days', () => {
    const rec = recommendStrategy(input({ window: weekdays, bakeHours: 130 }));
    expect(rec.reasons[0]?.message).toMatch(/with a 5d10h bake .* only \dd\d*h? after it moved/);
  });
});

describe('strategyFindings', () => {
  it('raises BLUE_GREEN_RECOMMENDED (NOTICE) with the reasons, and nothing for IN_PLACE', () => {
    const blueGreen = strategyFindings(recommendStrategy(input({}, { version: '1.32' })));
    expect(blueGreen).toEqual([
      { code: 'BLUE_GREEN_RECOMMENDED', severity: 'NOTICE', message: expect.stringContaining('3 minors behind') },
    ]);
    expect(strategyFindings(recommendStrategy(input()))).toEqual([]);
  });
});

describe('STRATEGY_BLUE_GREEN', () => {
  const ctx = { calendar: BUNDLED_CALENDAR, catalog: {}, now: NOW, fleet: [] };
  const optIn = { 'fleet-auditor/auto-upgrade': 'true' };
  const tagged = (strategy: string, version = '1.33'): ClusterState => ({
    ...CLUSTER,
    version,
    tags: { ...optIn, 'fleet-auditor/strategy': strategy },
    // The upgrade role's IAM needs the opt-in on every node group and add-on too (SUBRESOURCE_NOT_OPTED_IN).
    nodegroups: CLUSTER.nodegroups.map((ng) => ({ ...ng, tags: { ...ng.tags, ...optIn } })),
    addons: CLUSTER.addons.map((addon) => ({ ...addon, tags: { ...addon.tags, ...optIn } })),
  });

  it('blocks an in-place upgrade of a cluster whose owner chose blue-green, as a re-checkable predicate', () => {
    const plan = decideUpgrade(tagged('blue-green'), ctx);
    expect(plan.eligible).toBe(false);
    expect(plan.blockers.map((b) => b.code)).toEqual(['STRATEGY_BLUE_GREEN']);
    expect(plan.blockers[0]?.message).toContain('fleet-auditor blue-green payments');
    expect(strategyBlueGreen(prepareBlockerInput(tagged('blue-green'), ctx))?.code).toBe('STRATEGY_BLUE_GREEN');
  });

  it.each(['in-place', 'auto'])('does not block strategy=%s', (strategy) => {
    expect(decideUpgrade(tagged(strategy), ctx).blockers).toEqual([]);
  });

  it('does not block a blue-green cluster already at its target (AT_TARGET says it)', () => {
    expect(decideUpgrade(tagged('blue-green', '1.36'), ctx).blockers.map((b) => b.code)).toEqual(['AT_TARGET']);
  });

  it.each<[string, Record<string, string>, StrategyReasonCode]>([
    ['no bake tag: the default 24h', {}, 'ROLLBACK_WINDOW_UNKEEPABLE'],
    ['bake=0', { 'fleet-auditor/bake': '0' }, 'IN_PLACE_COVERED'],
    ['bake=12h', { 'fleet-auditor/bake': '12h' }, 'ROLLBACK_WINDOW_UNKEEPABLE'],
    ['an invalid bake=7d: the default', { 'fleet-auditor/bake': '7d' }, 'ROLLBACK_WINDOW_UNKEEPABLE'],
    ['an untrimmed bake=" 0": the default (strict)', { 'fleet-auditor/bake': ' 0' }, 'ROLLBACK_WINDOW_UNKEEPABLE'],
  ])('reads the bake as the tag parser does (%s) behind a weekly window', (_label, bake, code) => {
    const cluster = tagged('auto', '1.34');
    const tags = { ...cluster.tags, 'fleet-auditor/maintenance-window': 'Sat 02:00-06:00 UTC', ...bake };
    const row = assessCluster({ ...cluster, tags }, ctx);
    expect(row.strategy?.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('puts strategy and its finding in the report row', () => {
    const row = assessCluster(tagged('blue-green'), ctx);
    expect(row.strategy?.recommended).toBe('BLUE_GREEN');
    expect(row.strategy?.reasons.map((r) => r.code)).toEqual(['OWNER_CHOSE_BLUE_GREEN', 'MANY_MINORS_BEHIND']);
    expect(row.findings.map((f) => f.code)).toContain('BLUE_GREEN_RECOMMENDED');
  });
});

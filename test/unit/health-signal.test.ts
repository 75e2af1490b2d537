import { describe, expect, it } from 'vitest';
import { judgeHealth } from '../../functions/core/health-signal.ts';
import type { HealthFacts } from '../../functions/core/health-signal.ts';

const healthy: HealthFacts = {
  watched: ['web-5xx', 'api-*'],
  alarms: [
    { name: 'web-5xx', state: 'OK' },
    { name: 'api-latency', state: 'INSUFFICIENT_DATA' },
    { name: 'batch-errors', state: 'ALARM' },
  ],
  healthIssues: [],
  insights: [
    { name: 'Deprecated APIs removed in Kubernetes v1.36', category: 'UPGRADE_READINESS', status: 'PASSING' },
    { name: 'Old error', category: 'UPGRADE_READINESS', status: 'ERROR' },
    { name: 'Kubelet version skew for rollback', category: 'ROLLBACK_READINESS', status: 'ERROR' },
  ],
  baselineInsightErrors: ['Old error'],
  nodegroups: [{ name: 'ng-a', status: 'ACTIVE' }],
  addons: [{ name: 'coredns', status: 'ACTIVE' }],
};

describe('judgeHealth', () => {
  it('is HEALTHY when nothing watched fires (an unwatched alarm, an old error, a rollback insight are not news)', () => {
    expect(judgeHealth(healthy)).toMatchObject({ verdict: 'HEALTHY', code: 'HEALTHY' });
  });

  it('is HEALTHY with no health-alarms tag at all', () => {
    expect(judgeHealth({ ...healthy, watched: [], alarms: null })).toMatchObject({ verdict: 'HEALTHY' });
  });

  it.each<[string, Partial<HealthFacts>, string, RegExp]>([
    [
      'a watched alarm in ALARM',
      {
        alarms: [
          { name: 'web-5xx', state: 'ALARM' },
          { name: 'api-latency', state: 'OK' },
        ],
      },
      'HEALTH_ALARM',
      /alarm web-5xx in ALARM/,
    ],
    [
      'alarms matched by prefix',
      {
        alarms: [
          { name: 'web-5xx', state: 'OK' },
          { name: 'api-latency', state: 'ALARM' },
          { name: 'api-5xx', state: 'ALARM' },
        ],
      },
      'HEALTH_ALARM',
      /alarms api-latency, api-5xx in ALARM/,
    ],
    [
      'a cluster health issue',
      {
        healthIssues: [
          { code: 'Ec2SubnetNotFound', message: 'subnet gone' },
          { code: 'X', message: 'y' },
        ],
      },
      'CLUSTER_HEALTH_ISSUE',
      /Ec2SubnetNotFound: subnet gone \(and 1 more\)/,
    ],
    [
      'an insight that turned ERROR',
      {
        insights: [
          ...(healthy.insights ?? []),
          { name: 'Ingress misconfigured', category: 'MISCONFIGURATION', status: 'ERROR' },
        ],
      },
      'INSIGHT_TURNED_ERROR',
      /"Ingress misconfigured" turned ERROR/,
    ],
    ['a DEGRADED node group', { nodegroups: [{ name: 'ng-a', status: 'DEGRADED' }] }, 'NODEGROUP_DEGRADED', /ng-a/],
    ['a DEGRADED add-on', { addons: [{ name: 'coredns', status: 'DEGRADED' }] }, 'ADDON_DEGRADED', /coredns/],
  ])('is BAD for %s', (_name, change, code, reason) => {
    const verdict = judgeHealth({ ...healthy, ...change });
    expect(verdict).toMatchObject({ verdict: 'BAD', code });
    expect(verdict.reason).toMatch(reason);
  });

  it.each([
    [[{ code: 'A', message: 'one' }], 'cluster health issue A: one'],
    [[{ name: 'i1' }, { name: 'i2' }], 'insights "i1", "i2" turned ERROR'],
  ])('words one or several signals (%#)', (items, reason) => {
    const change: Partial<HealthFacts> =
      'code' in (items[0] ?? {})
        ? { healthIssues: items as { code: string; message: string }[] }
        : {
            insights: (items as { name: string }[]).map((i) => ({
              ...i,
              category: 'UPGRADE_READINESS',
              status: 'ERROR',
            })),
          };
    expect(judgeHealth({ ...healthy, ...change }).reason).toBe(reason);
  });

  it('names the alarm first when several signals are bad', () => {
    const verdict = judgeHealth({
      ...healthy,
      alarms: [
        { name: 'web-5xx', state: 'ALARM' },
        { name: 'api-x', state: 'OK' },
      ],
      addons: [{ name: 'coredns', status: 'DEGRADED' }],
    });
    expect(verdict.code).toBe('HEALTH_ALARM');
  });

  it.each<[string, Partial<HealthFacts>, RegExp]>([
    ['alarms unreadable', { alarms: null }, /DescribeAlarms/],
    [
      'a watched name that matches no alarm',
      { alarms: [{ name: 'web-5xx', state: 'OK' }] },
      /no alarm matches .*api-\*/,
    ],
    ['health unreadable', { healthIssues: null }, /DescribeCluster/],
    ['insights unreadable', { insights: null }, /ListInsights/],
    ['node groups unreadable', { nodegroups: null }, /node groups/],
    ['add-ons unreadable', { addons: null }, /add-ons/],
  ])('is UNKNOWN when %s', (_name, change, reason) => {
    const verdict = judgeHealth({ ...healthy, ...change });
    expect(verdict).toMatchObject({ verdict: 'UNKNOWN', code: 'HEALTH_UNKNOWN' });
    expect(verdict.reason).toMatch(reason);
  });

  it('prefers a known bad signal over an unknown fact', () => {
    expect(judgeHealth({ ...healthy, alarms: null, addons: [{ name: 'coredns', status: 'DEGRADED' }] }).verdict).toBe(
      'BAD',
    );
  });
});

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  ListInsightsCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetCluster, FleetFile } from '../../functions/sim/fleet-file.ts';
import { parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { MEMBER, assumeInto, clients, rejection } from './sim-fixtures.ts';

const NOW = new Date('2026-06-10T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const REGION = 'eu-west-1';

let clock: number;
let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function fleet(
  clusters: FleetCluster[],
  alarms?: FleetFile['accounts'][number]['regions'][string]['alarms'],
): FleetFile {
  return parseFleetFile({
    accounts: [{ id: MEMBER, regions: { [REGION]: { clusters, ...(alarms === undefined ? {} : { alarms }) } } }],
  });
}

async function start(file: FleetFile): Promise<{ eks: EKSClient; cw: CloudWatchClient }> {
  clock = NOW.getTime();
  sim = await startSimulator({ fleet: file, now: () => new Date(clock), updateDurationMs: 10 * MINUTE });
  const credentials = await assumeInto(sim, MEMBER);
  return {
    eks: clients(sim, REGION, credentials).eks,
    cw: new CloudWatchClient({ endpoint: sim.endpoint, region: REGION, credentials }),
  };
}

/** A cluster upgraded in place from 1.33 to 1.34 two days ago, its node group still at 1.33. */
const upgraded = (extra: Partial<FleetCluster> = {}): FleetCluster => ({
  name: 'web',
  version: '1.34',
  nodegroups: [{ name: 'ng-a', version: '1.33' }],
  upgradedFrom: { version: '1.33', at: new Date(NOW.getTime() - 2 * DAY).toISOString() },
  ...extra,
});

describe('EKS version rollback', () => {
  it('rolls the control plane back to N-1 as a VersionRollback update, leaving node groups alone', async () => {
    const { eks } = await start(fleet([upgraded()]));
    const { update } = await eks.send(
      new UpdateClusterVersionCommand({ name: 'web', version: '1.33', rollbackConfig: { timeoutMinutes: 120 } }),
    );
    expect(update).toMatchObject({ type: 'VersionRollback', status: 'InProgress' });
    expect(update?.params).toContainEqual({ type: 'Version', value: '1.33' });
    expect((await eks.send(new DescribeClusterCommand({ name: 'web' }))).cluster?.status).toBe('UPDATING');

    clock += 10 * MINUTE;
    const done = await eks.send(new DescribeUpdateCommand({ name: 'web', updateId: update?.id ?? '' }));
    expect(done.update).toMatchObject({ type: 'VersionRollback', status: 'Successful' });
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'web' }));
    expect(cluster).toMatchObject({ version: '1.33', status: 'ACTIVE' });
    const snapshot = sim?.snapshot().accounts[0]?.regions[REGION]?.clusters[0];
    expect(snapshot?.nodegroups?.[0]?.version).toBe('1.33');
    expect(snapshot?.upgradedFrom).toBeUndefined();
  });

  it('opens the rollback window when an in-place upgrade completes, and the snapshot keeps it', async () => {
    const { eks } = await start(
      fleet([{ name: 'fresh', version: '1.33', nodegroups: [{ name: 'ng', version: '1.33' }] }]),
    );
    await eks.send(new UpdateClusterVersionCommand({ name: 'fresh', version: '1.34' }));
    clock += 10 * MINUTE;
    await eks.send(new DescribeClusterCommand({ name: 'fresh' }));
    const snapshot = sim?.snapshot().accounts[0]?.regions[REGION]?.clusters[0];
    expect(snapshot?.upgradedFrom).toEqual({ version: '1.33', at: new Date(clock).toISOString() });
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'fresh', version: '1.33' }));
    expect(update?.type).toBe('VersionRollback');
  });

  it('a rolled-back snapshot reloads with its window closed and a VersionRollback in its history', async () => {
    const { eks } = await start(fleet([upgraded()]));
    await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    clock += 10 * MINUTE;
    const saved = sim?.snapshot();
    const cluster = saved?.accounts[0]?.regions[REGION]?.clusters[0];
    expect(cluster?.rolledBackFrom).toEqual({ version: '1.34', at: new Date(clock).toISOString() });
    await sim?.close();
    sim = undefined;
    const again = await start(parseFleetFile(saved));
    const error = await rejection(again.eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.32' })));
    expect(error.message).toMatch(/not upgraded in place/);
  });

  it('takes versionSince alone as an in-place upgrade from the previous minor', async () => {
    const since = new Date(NOW.getTime() - DAY).toISOString();
    const { eks } = await start(fleet([{ name: 'web', version: '1.34', versionSince: since }]));
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    expect(update?.type).toBe('VersionRollback');
  });

  it('serves no default readiness insights once the window closed', async () => {
    const old = new Date(NOW.getTime() - 8 * DAY).toISOString();
    const { eks } = await start(fleet([upgraded({ upgradedFrom: { version: '1.33', at: old } })]));
    const listed = await eks.send(
      new ListInsightsCommand({ clusterName: 'web', filter: { categories: ['ROLLBACK_READINESS'] } }),
    );
    expect(listed.insights).toEqual([]);
  });

  it('ends Failed for a ROLLBACK_FAILS cluster, and the control plane stays at N', async () => {
    const { eks } = await start(fleet([upgraded({ fault: 'ROLLBACK_FAILS' })]));
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    clock += 10 * MINUTE;
    const done = await eks.send(new DescribeUpdateCommand({ name: 'web', updateId: update?.id ?? '' }));
    expect(done.update?.status).toBe('Failed');
    expect(done.update?.errors?.[0]?.errorMessage).toMatch(/rollback .* failed/);
    expect((await eks.send(new DescribeClusterCommand({ name: 'web' }))).cluster?.version).toBe('1.34');
  });

  it.each([
    [
      'outside the 7-day window',
      upgraded({ upgradedFrom: { version: '1.33', at: new Date(NOW.getTime() - 8 * DAY).toISOString() } }),
      '1.33',
      'InvalidRequestException',
      /window .* closed/,
    ],
    [
      'for a cluster created at its version',
      { name: 'web', version: '1.34' },
      '1.33',
      'InvalidRequestException',
      /not upgraded in place/,
    ],
    ['for more than one minor', upgraded(), '1.32', 'InvalidParameterException', /exactly one minor/],
    [
      'while a node group is newer than N-1',
      upgraded({ nodegroups: [{ name: 'ng-a', version: '1.34' }] }),
      '1.33',
      'InvalidRequestException',
      /Nodegroup ng-a runs Kubernetes 1.34/,
    ],
    [
      'while a ROLLBACK_READINESS insight is ERROR',
      upgraded({
        insights: [
          {
            name: 'Kubernetes API usage introduced after the previous version',
            status: 'ERROR',
            kubernetesVersion: '1.33',
            category: 'ROLLBACK_READINESS',
          },
        ],
      }),
      '1.33',
      'InvalidStateException',
      /Rollback readiness checks failed/,
    ],
  ] as const)('is refused %s', async (_case, cluster, version, name, message) => {
    const { eks } = await start(fleet([cluster]));
    const error = await rejection(eks.send(new UpdateClusterVersionCommand({ name: 'web', version })));
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
  });

  it('lets a node group at N go back to N-1 inside the window (the step before the rollback), never further', async () => {
    const { eks } = await start(fleet([upgraded({ nodegroups: [{ name: 'ng-a', version: '1.34' }] })]));
    const { update } = await eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: 'web', nodegroupName: 'ng-a', version: '1.33' }),
    );
    expect(update?.params).toContainEqual({ type: 'Version', value: '1.33' });
    clock += 10 * MINUTE;
    const error = await rejection(
      eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'web', nodegroupName: 'ng-a', version: '1.32' })),
    );
    expect(error.message).toMatch(/downgrades are not supported/);
    const { update: rollback } = await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    expect(rollback?.type).toBe('VersionRollback');
  });

  it('is refused while another update runs (ResourceInUseException)', async () => {
    const { eks } = await start(fleet([upgraded()]));
    await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'web', nodegroupName: 'ng-a' }));
    const error = await rejection(eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' })));
    expect(error.name).toBe('ResourceInUseException');
  });

  it('rejects a rollbackConfig timeout outside 120–10080 minutes', async () => {
    const { eks } = await start(fleet([upgraded()]));
    const error = await rejection(
      eks.send(
        new UpdateClusterVersionCommand({ name: 'web', version: '1.33', rollbackConfig: { timeoutMinutes: 60 } }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('lets force override a failing readiness insight', async () => {
    const { eks } = await start(
      fleet([
        upgraded({
          insights: [{ name: 'Kubelet version skew for rollback', status: 'UNKNOWN', category: 'ROLLBACK_READINESS' }],
        }),
      ]),
    );
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33', force: true }));
    expect(update?.type).toBe('VersionRollback');
  });

  it('serves ROLLBACK_READINESS insights for the previous version, filtered by category', async () => {
    const { eks } = await start(fleet([upgraded()]));
    const rollback = await eks.send(
      new ListInsightsCommand({ clusterName: 'web', filter: { categories: ['ROLLBACK_READINESS'] } }),
    );
    expect(rollback.insights?.length).toBeGreaterThan(0);
    expect(rollback.insights?.every((i) => i.category === 'ROLLBACK_READINESS' && i.kubernetesVersion === '1.33')).toBe(
      true,
    );
    const upgrade = await eks.send(
      new ListInsightsCommand({ clusterName: 'web', filter: { categories: ['UPGRADE_READINESS'] } }),
    );
    expect(upgrade.insights?.every((i) => i.category === 'UPGRADE_READINESS')).toBe(true);
  });
});

describe('CloudWatch DescribeAlarms', () => {
  const alarms = [
    { name: 'web-5xx', state: 'OK' },
    { name: 'web-latency', state: 'OK' },
    { name: 'batch-errors', state: 'ALARM' },
  ] as const;

  it('serves the fleet file alarms of the caller account-region by name, prefix and state', async () => {
    const { cw } = await start(fleet([{ name: 'web', version: '1.34' }], [...alarms]));
    const byName = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx', 'batch-errors'] }));
    expect(byName.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['web-5xx', 'OK'],
      ['batch-errors', 'ALARM'],
    ]);
    const byPrefix = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'web-' }));
    expect(byPrefix.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['web-5xx', 'web-latency']);
    const firing = await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(firing.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['batch-errors']);
    expect(firing.MetricAlarms?.[0]?.AlarmArn).toBe(`arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:batch-errors`);
  });

  it('pages with MaxRecords and NextToken', async () => {
    const { cw } = await start(fleet([], [...alarms]));
    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    expect(first.MetricAlarms).toHaveLength(2);
    const second = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: first.NextToken }));
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['batch-errors']);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses AlarmNames together with AlarmNamePrefix, in the query-compatible error vocabulary', async () => {
    const { cw } = await start(fleet([], [...alarms]));
    const error = await rejection(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'b' })));
    expect(error.name).toBe('InvalidParameterCombinationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('UNHEALTHY_AFTER_UPGRADE: the health-alarms of a cluster go ALARM once its control plane moved, OK after rollback', async () => {
    const cluster: FleetCluster = {
      name: 'web',
      version: '1.33',
      fault: 'UNHEALTHY_AFTER_UPGRADE',
      tags: { 'fleet-auditor/health-alarms': 'web-*' },
      nodegroups: [{ name: 'ng-a', version: '1.33' }],
    };
    const { eks, cw } = await start(fleet([cluster], [...alarms]));
    const states = async (): Promise<string[]> =>
      ((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'web-' }))).MetricAlarms ?? []).map(
        (a) => `${a.AlarmName ?? ''}=${a.StateValue ?? ''}`,
      );
    expect(await states()).toEqual(['web-5xx=OK', 'web-latency=OK']);
    await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.34' }));
    clock += 10 * MINUTE;
    expect(await states()).toEqual(['web-5xx=ALARM', 'web-latency=ALARM']);
    await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    clock += 10 * MINUTE;
    expect(await states()).toEqual(['web-5xx=OK', 'web-latency=OK']);
    expect(sim?.snapshot().accounts[0]?.regions[REGION]?.alarms).toEqual(alarms);
  });
});

/**
 * The upgrade state machine executed: the real `statemachines/upgrade-cluster.asl.json`, run by
 * aws-local-stepfunctions with every Task wired to its real task handler, against the EKS simulator (short update
 * durations) and a local DynamoDB. Every acceptance path ends with the lock released and the outcome recorded.
 */
import { UntagResourceCommand } from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { recommendedAddonVersion } from '../../functions/core/addons.ts';
import type { FleetEvent } from '../../functions/core/messages.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import { runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import { DEFAULT_ADDON_CATALOG } from '../../functions/sim/defaults.ts';
import { invalidParameter, resourceInUse } from '../../functions/sim/errors.ts';
import type { FleetCluster } from '../../functions/sim/fleet-file.ts';
import type { SimCall } from '../../functions/sim/server.ts';
import { cluster133, fleetOf, useUpgradeWorlds, type UpgradeWorld, type WorldOptions } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();

const WRITES = new Set(['UpdateClusterVersion', 'UpdateNodegroupVersion', 'UpdateAddon']);

/** A world for one cluster, recording every EKS write call the simulator serves. */
async function arrange(
  cluster: FleetCluster,
  options: WorldOptions = {},
): Promise<{ world: UpgradeWorld; report: ClusterReport; writes: SimCall[] }> {
  const writes: SimCall[] = [];
  const world = await newWorld(fleetOf(cluster), {
    ...options,
    beforeRequest: async (call, ctx) => {
      if (WRITES.has(call.operation)) writes.push(call);
      await options.beforeRequest?.(call, ctx);
    },
  });
  const report = (await world.audit()).clusters.find((c) => c.name === cluster.name);
  if (report === undefined) throw new Error(`the audit did not see ${cluster.name}`);
  return { world, report, writes };
}

function describeWrite(call: SimCall): string {
  const p = call.params;
  switch (call.operation) {
    case 'UpdateClusterVersion':
      return `UpdateClusterVersion ${p['version']}`;
    case 'UpdateNodegroupVersion':
      return `UpdateNodegroupVersion ${p['nodegroupName']} ${p['version']}`;
    default:
      return `UpdateAddon ${p['addonName']} ${p['addonVersion']}`;
  }
}

/** The lock is free again and exactly one upgrade record tells how the execution ended. */
async function expectReleasedAndRecorded(
  world: UpgradeWorld,
  report: ClusterReport,
  expected: { status: 'SUCCEEDED' | 'FAILED'; step: string; error?: string },
): Promise<void> {
  expect(await world.store.getLock(report.arn)).toBeNull();
  const records = await world.store.listUpgradeRecords(report.arn);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    status: expected.status,
    step: expected.step,
    fromVersion: report.version,
    toVersion: '1.35',
  });
  expect(records[0]?.finishedAt).not.toBeNull();
  if (expected.error !== undefined) expect(records[0]?.error?.code).toBe(expected.error);
}

function failedEvent(world: UpgradeWorld): FleetEvent {
  const failed = world.notifier.messages.find((m) => m.event.type === 'UPGRADE_FAILED');
  if (failed === undefined) throw new Error(`no UPGRADE_FAILED among ${world.notifier.types().join(', ')}`);
  return failed.event;
}

describe('the upgrade state machine', () => {
  it('upgrades 1.33 to 1.35 in two hops: node groups aligned, control plane, add-ons, node groups, each hop', async () => {
    // Arrange: one node group a minor behind the control plane
    const { world, report, writes } = await arrange(
      cluster133({
        nodegroups: [
          { name: 'default', version: '1.33' },
          { name: 'old', version: '1.32' },
        ],
      }),
    );

    // Act
    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    // Assert
    expect([result.status, result.error]).toEqual(['SUCCEEDED', null]);
    expect(writes.map(describeWrite)).toEqual([
      'UpdateNodegroupVersion old 1.33',
      'UpdateClusterVersion 1.34',
      'UpdateAddon vpc-cni v1.20.1-eksbuild.1',
      'UpdateAddon kube-proxy v1.34.2-eksbuild.2',
      'UpdateAddon coredns v1.12.1-eksbuild.2',
      'UpdateNodegroupVersion default 1.34',
      'UpdateNodegroupVersion old 1.34',
      'UpdateClusterVersion 1.35',
      'UpdateAddon vpc-cni v1.20.4-eksbuild.2',
      'UpdateAddon kube-proxy v1.35.1-eksbuild.2',
      'UpdateAddon coredns v1.12.3-eksbuild.1',
      'UpdateNodegroupVersion default 1.35',
      'UpdateNodegroupVersion old 1.35',
    ]);
    expect(writes.every((call) => /^fleet-auditor-[0-9a-f]{32}$/.test(call.params['clientRequestToken'] ?? ''))).toBe(
      true,
    );
    expect(writes.filter((c) => c.operation === 'UpdateAddon').map((c) => c.params['resolveConflicts'])).toEqual(
      Array(6).fill('PRESERVE'),
    );
    const after = world.simCluster('dev-sandbox');
    expect(after.version).toBe('1.35');
    expect(after.nodegroups?.map((ng) => ng.version)).toEqual(['1.35', '1.35']);
    expect(after.addons?.map((a) => [a.name, a.version])).toEqual(
      (after.addons ?? []).map((a) => [a.name, recommendedAddonVersion(a.name, '1.35', DEFAULT_ADDON_CATALOG)]),
    );
    await expectReleasedAndRecorded(world, report, { status: 'SUCCEEDED', step: 'FINISH' });
    const [record] = await world.store.listUpgradeRecords(report.arn);
    expect(record?.hops.map((h) => [h.fromVersion, h.toVersion, h.status])).toEqual([
      ['1.33', '1.34', 'SUCCEEDED'],
      ['1.34', '1.35', 'SUCCEEDED'],
    ]);
    expect(world.notifier.messages.map((m) => [m.event.type, m.event.detail])).toEqual([
      [
        'UPGRADE_SUCCEEDED',
        { fromVersion: '1.33', toVersion: '1.35', executionName: world.executionInput(report).executionName },
      ],
    ]);
  });

  it('stops at the control plane when its update ends Failed', async () => {
    const { world, report, writes } = await arrange(cluster133({ fault: 'UPDATE_FAILS' }));

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpdateFailedError']);
    expect(writes.map(describeWrite)).toEqual(['UpdateClusterVersion 1.34']);
    expect(world.simCluster('dev-sandbox').version).toBe('1.33');
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'CONTROL_PLANE',
      error: 'UpdateFailedError',
    });
    expect(failedEvent(world).detail).toMatchObject({
      fromVersion: '1.33',
      toVersion: '1.35',
      error: { name: 'UpdateFailedError', step: 'CONTROL_PLANE' },
    });
    expect(String((failedEvent(world).detail['error'] as { message: string }).message)).toContain('ended Failed');
  });

  it('stops at the add-ons when an add-on update fails, after the control plane moved', async () => {
    const cluster = cluster133();
    const addons = (cluster.addons ?? []).map((a) =>
      a.name === 'coredns' ? { ...a, fault: 'UPDATE_FAILS' as const } : a,
    );
    const { world, report, writes } = await arrange({ ...cluster, addons });

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpdateFailedError']);
    expect(writes.map(describeWrite).at(-1)).toBe('UpdateAddon coredns v1.12.1-eksbuild.2');
    expect(world.simCluster('dev-sandbox')).toMatchObject({ version: '1.34', nodegroups: [{ version: '1.33' }] });
    await expectReleasedAndRecorded(world, report, { status: 'FAILED', step: 'ADDONS', error: 'UpdateFailedError' });
    expect(failedEvent(world).detail).toMatchObject({ error: { name: 'UpdateFailedError', step: 'ADDONS' } });
  });

  it('stops at the node groups when a node-group update fails', async () => {
    const { world, report, writes } = await arrange(
      cluster133({ nodegroups: [{ name: 'default', version: '1.33', fault: 'UPDATE_FAILS' }] }),
    );

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpdateFailedError']);
    expect(writes.map(describeWrite).at(-1)).toBe('UpdateNodegroupVersion default 1.34');
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'NODEGROUPS',
      error: 'UpdateFailedError',
    });
    expect(failedEvent(world).detail).toMatchObject({ error: { name: 'UpdateFailedError', step: 'NODEGROUPS' } });
    expect(String((failedEvent(world).detail['error'] as { message: string }).message)).toContain('PodEvictionFailure');
  });

  it('touches nothing when another holder has the lock, and leaves their lock alone', async () => {
    const { world, report, writes } = await arrange(cluster133());
    await world.store.acquireLock(report.arn, 'another-upgrade', world.clock.now(), 3600);

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'LockHeldError']);
    expect(writes).toEqual([]);
    expect((await world.store.getLock(report.arn))?.holder).toBe('another-upgrade');
    const [record] = await world.store.listUpgradeRecords(report.arn);
    expect(record).toMatchObject({ status: 'FAILED', step: 'ACQUIRE_LOCK', error: { code: 'LockHeldError' } });
    expect(record?.error?.message).toContain('another-upgrade');
    expect(failedEvent(world).detail).toMatchObject({ error: { name: 'LockHeldError', step: 'ACQUIRE_LOCK' } });
  });

  it('stops at pre-flight when the opt-in tag was removed after dispatch', async () => {
    const { world, report, writes } = await arrange(cluster133());
    expect(report.upgrade.eligible).toBe(true);
    await world.deps
      .eksFor(report.accountId, report.region)
      .send(new UntagResourceCommand({ resourceArn: report.arn, tagKeys: ['fleet-auditor/auto-upgrade'] }));

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toContain('NOT_OPTED_IN');
    expect(writes).toEqual([]);
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'PRE_FLIGHT',
      error: 'UpgradeBlockedError',
    });
    expect(failedEvent(world).text).toContain('NOT_OPTED_IN');
  });

  it('finishes the hop in flight when the window closes, and starts no new hop', async () => {
    // Arrange: inside "Sun 09:00-11:00 UTC" at the start; the window closes while the first control-plane update runs
    let jumped = false;
    const { world, report, writes } = await arrange(
      cluster133({ tags: { ...cluster133().tags, 'fleet-auditor/maintenance-window': 'Sun 09:00-11:00 UTC' } }),
      {
        beforeRequest: (call, { clock }) => {
          if (call.operation === 'UpdateClusterVersion' && !jumped) {
            jumped = true;
            clock.jumpTo(new Date('2026-11-22T11:00:30Z'));
          }
        },
      },
    );
    expect(report.upgrade.eligible).toBe(true);

    // Act
    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    // Assert: hop 1 complete (control plane, add-ons, node groups), no second UpdateClusterVersion
    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toContain('OUTSIDE_WINDOW');
    expect(writes.filter((c) => c.operation === 'UpdateClusterVersion').map(describeWrite)).toEqual([
      'UpdateClusterVersion 1.34',
    ]);
    const after = world.simCluster('dev-sandbox');
    expect(after).toMatchObject({ version: '1.34', nodegroups: [{ version: '1.34' }] });
    expect(after.addons?.map((a) => a.version)).toEqual(
      (after.addons ?? []).map((a) => recommendedAddonVersion(a.name, '1.34', DEFAULT_ADDON_CATALOG)),
    );
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'HOP_GATE',
      error: 'UpgradeBlockedError',
    });
    const [record] = await world.store.listUpgradeRecords(report.arn);
    expect(record?.hops.map((h) => [h.fromVersion, h.toVersion, h.status])).toEqual([['1.33', '1.34', 'SUCCEEDED']]);
    expect(failedEvent(world).cluster?.version).toBe('1.34');
  });

  it('skips node groups on an Auto Mode cluster', async () => {
    const { world, report, writes } = await arrange(
      cluster133({ version: '1.34', autoMode: true, nodegroups: [{ name: 'legacy', version: '1.34' }], addons: [] }),
    );

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect(result.status).toBe('SUCCEEDED');
    expect(writes.map(describeWrite)).toEqual(['UpdateClusterVersion 1.35']);
    expect(world.simCluster('dev-sandbox').nodegroups?.[0]?.version).toBe('1.34');
    expect(await world.store.getLock(report.arn)).toBeNull();
  });

  it('never touches a custom-AMI node group: pre-flight blocks the upgrade', async () => {
    const { world, report, writes } = await arrange(
      cluster133({
        nodegroups: [
          { name: 'default', version: '1.33' },
          { name: 'gpu', version: '1.33', customAmi: true },
        ],
      }),
    );

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toContain('CUSTOM_AMI_NODEGROUP');
    expect(writes).toEqual([]);
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'PRE_FLIGHT',
      error: 'UpgradeBlockedError',
    });
  });

  describe('waves, against the latest audit run', () => {
    const WAVE_1 = { ...cluster133().tags, 'fleet-auditor/wave': '1' };

    /** Stores a run that read `report`'s account-region and recorded the given other targets FAILED. */
    async function storeRun(world: UpgradeWorld, report: ClusterReport, runId: string, failed: string[]) {
      const at = world.clock.now().toISOString();
      await world.store.startRun(runId, at);
      await world.store.recordAccountRegionOutcome(runId, {
        accountId: report.accountId,
        region: report.region,
        status: 'OK',
        clusters: 1,
      });
      for (const accountId of failed) {
        await world.store.recordAccountRegionOutcome(runId, {
          accountId,
          region: report.region,
          status: 'FAILED',
          clusters: 0,
          errorCode: 'MEMBER_ACCESS_DENIED',
          errorMessage: 'access denied',
        });
      }
      await world.store.saveClusterAudit(report, runId, at);
    }

    it('blocks a wave-1 cluster at pre-flight while the latest run could not read an account', async () => {
      // Arrange: nothing stored below wave 1, but the run that dispatched it could not read 111111111112
      const { world, report, writes } = await arrange(cluster133({ tags: WAVE_1 }));
      expect(report.upgrade.eligible).toBe(true);
      await storeRun(world, report, 'run-1', ['111111111112']);

      // Act
      const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

      // Assert
      expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
      expect(result.cause).toContain(
        'WAVE_NOT_READY: wave 1 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account unreadable (111111111112)',
      );
      expect(writes).toEqual([]);
      await expectReleasedAndRecorded(world, report, {
        status: 'FAILED',
        step: 'PRE_FLIGHT',
        error: 'UpgradeBlockedError',
      });
    });

    it('lets it go once a later run read the whole fleet', async () => {
      const { world, report } = await arrange(cluster133({ tags: WAVE_1 }));
      await storeRun(world, report, 'run-1', ['111111111112']);
      world.clock.jumpTo(new Date(world.clock.now().getTime() + 60_000));
      await storeRun(world, report, 'run-2', []);

      const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

      expect(result.status).toBe('SUCCEEDED');
      expect(world.simCluster('dev-sandbox').version).toBe('1.35');
    });
  });

  it('retries a start refused because another update is in progress (the token keeps it idempotent)', async () => {
    let refusals = 0;
    const { world, report, writes } = await arrange(cluster133({ version: '1.34', tags: { ...cluster133().tags } }), {
      beforeRequest: (call) => {
        if (call.operation === 'UpdateClusterVersion' && refusals < 2) {
          refusals += 1;
          throw resourceInUse('an update is in progress');
        }
      },
    });

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect(result.status).toBe('SUCCEEDED');
    expect(writes.filter((c) => c.operation === 'UpdateClusterVersion')).toHaveLength(3);
    expect(
      new Set(writes.filter((c) => c.operation === 'UpdateClusterVersion').map((c) => c.params['clientRequestToken']))
        .size,
    ).toBe(1);
    expect(world.simCluster('dev-sandbox').version).toBe('1.35');
  });

  it('does not retry a call EKS rejects', async () => {
    const { world, report, writes } = await arrange(cluster133(), {
      beforeRequest: (call) => {
        if (call.operation === 'UpdateClusterVersion')
          throw invalidParameter('Unsupported Kubernetes minor version update');
      },
    });

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpdateRejectedError']);
    expect(writes.filter((c) => c.operation === 'UpdateClusterVersion')).toHaveLength(1);
    await expectReleasedAndRecorded(world, report, {
      status: 'FAILED',
      step: 'CONTROL_PLANE',
      error: 'UpdateRejectedError',
    });
  });
});

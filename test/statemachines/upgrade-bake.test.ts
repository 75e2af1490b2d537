/**
 * Acceptance (issue: Plan B in place), executed ASL against the simulator: a hop whose control plane moved bakes
 * (the execution ends in `Baking`, holding the lock), and a resume execution of the same definition checks the bake:
 * keeps baking, rolls the node groups once baked healthy, or rolls the control plane back on a bad signal and holds
 * the cluster. A failed rollback is announced, releases the lock, holds the cluster and fails the execution.
 */
import { describe, expect, it } from 'vitest';
import { describeUpdate, updateNodegroupVersion } from '../../functions/adapters/eks-upgrader.ts';
import { TagResourceCommand } from '@aws-sdk/client-eks';
import { LocalUpgradeStarter, runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import { dispatchUpgrades, type DispatchResult } from '../../functions/application/upgrade/start-upgrades.ts';
import type { FleetFile, FleetCluster } from '../../functions/sim/fleet-file.ts';
import type { UpgradeExecutionInput } from '../../functions/core/upgrade-execution.ts';
import { ACCOUNT, cluster133, OPTED_IN, REGION, useUpgradeWorlds, type UpgradeWorld } from './upgrade-fixtures.ts';
import { withOptedInSubresources } from '../fixtures/opted-in-subresources.ts';

const newWorld = useUpgradeWorlds();
const HOUR = 3_600_000;

function fleetWithAlarms(cluster: FleetCluster, alarms: { name: string; state: 'OK' | 'ALARM' }[]): FleetFile {
  return {
    accounts: [
      {
        id: ACCOUNT,
        name: 'workloads',
        regions: { [REGION]: { clusters: [withOptedInSubresources(cluster)], alarms } },
      },
    ],
  };
}

async function firstRun(world: UpgradeWorld): Promise<{ input: UpgradeExecutionInput; arn: string }> {
  const report = (await world.audit()).clusters.find((c) => c.name === 'dev-sandbox');
  if (report === undefined) throw new Error('the audit did not see dev-sandbox');
  expect(report.upgrade.eligible).toBe(true);
  const input = world.executionInput(report);
  const result = await runUpgradeLocally(input, { deps: world.deps });
  expect([result.status, result.error, result.statesEntered.at(-1)]).toEqual(['SUCCEEDED', null, 'Baking']);
  return { input, arn: report.arn };
}

/** Runs the resume execution the dispatcher would start now, from the stored phase. */
async function resume(world: UpgradeWorld, arn: string): Promise<Awaited<ReturnType<typeof runUpgradeLocally>>> {
  const phase = await world.store.getUpgradePhase(arn);
  if (phase?.resume === null || phase === null) throw new Error(`no bake to resume for ${arn}`);
  return runUpgradeLocally(phase.resume as unknown as UpgradeExecutionInput, { deps: world.deps });
}

function versions(world: UpgradeWorld): [string, string[]] {
  const cluster = world.simCluster('dev-sandbox');
  return [cluster.version, (cluster.nodegroups ?? []).map((ng) => ng.version)];
}

describe('the upgrade state machine with a bake', () => {
  it('bakes each hop, keeps baking until bakeUntil, then rolls the node groups and goes on: 1.33 → 1.35', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' } }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { input, arn } = await firstRun(world);
    expect(versions(world)).toEqual(['1.34', ['1.33']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING']);
    const baking = await world.store.getUpgradePhase(arn);
    expect(baking?.phase).toBe('BAKING');
    const bakeUntil = Date.parse(String((baking?.resume?.['bake'] as { bakeUntil: string }).bakeUntil));
    expect(bakeUntil - world.clock.now().getTime()).toBeGreaterThan(23 * HOUR);
    const lock = await world.store.getLock(arn);
    expect(lock?.holder).toBe(input.executionName);
    expect(Date.parse(lock?.expiresAt ?? '')).toBeGreaterThan(bakeUntil);
    expect((await world.store.listUpgradeRecords(arn))[0]).toMatchObject({ status: 'RUNNING', step: 'BAKING' });

    world.clock.jumpTo(new Date(bakeUntil - 12 * HOUR));
    const early = await resume(world, arn);
    expect([early.status, early.statesEntered]).toEqual([
      'SUCCEEDED',
      ['AcquireLock', 'ResumeOrStart', 'CheckBake', 'BakeDecision', 'Baking'],
    ]);
    expect((early.output as { bakeCheck: { code: string } }).bakeCheck.code).toBe('BAKING');
    expect(versions(world)).toEqual(['1.34', ['1.33']]);

    world.clock.jumpTo(new Date(bakeUntil));
    const second = await resume(world, arn);
    expect([second.status, second.statesEntered.at(-1)]).toEqual(['SUCCEEDED', 'Baking']);
    expect(second.statesEntered).toContain('UpdateNodegroups');
    expect(versions(world)).toEqual(['1.35', ['1.34']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING', 'UPGRADE_BAKING']);

    const next = await world.store.getUpgradePhase(arn);
    world.clock.jumpTo(new Date((next?.resume?.['bake'] as { bakeUntil: string }).bakeUntil));
    const third = await resume(world, arn);
    expect([third.status, third.error, third.statesEntered.at(-1)]).toEqual(['SUCCEEDED', null, 'UpgradeSucceeded']);
    expect(versions(world)).toEqual(['1.35', ['1.35']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING', 'UPGRADE_BAKING', 'UPGRADE_SUCCEEDED']);
    expect(await world.store.getLock(arn)).toBeNull();
    expect(await world.store.getUpgradePhase(arn)).toBeNull();
    expect((await world.store.listUpgradeRecords(arn))[0]).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('rolls the control plane back on a health alarm, names it, leaves the node groups alone and holds the cluster', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({
          tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' },
          fault: 'UNHEALTHY_AFTER_UPGRADE',
        }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { input, arn } = await firstRun(world);
    expect(versions(world)).toEqual(['1.34', ['1.33']]);

    world.clock.jumpTo(new Date(world.clock.now().getTime() + HOUR));
    const check = await resume(world, arn);

    expect([check.status, check.error, check.statesEntered.at(-1)]).toEqual(['SUCCEEDED', null, 'RolledBack']);
    expect(check.statesEntered).toContain('StartRollback');
    expect(versions(world)).toEqual(['1.33', ['1.33']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING', 'ROLLBACK_STARTED', 'ROLLBACK_SUCCEEDED']);
    const succeeded = world.notifier.messages.at(-1)?.event as unknown as {
      detail: { reason: string; fromVersion: string; toVersion: string };
    };
    expect(succeeded.detail).toMatchObject({ fromVersion: '1.34', toVersion: '1.33' });
    expect(succeeded.detail.reason).toMatch(/HEALTH_ALARM: alarm web-5xx in ALARM/);
    expect(await world.store.getLock(arn)).toBeNull();
    const held = await world.store.getUpgradePhase(arn);
    expect(held).toMatchObject({
      phase: 'HELD_AFTER_ROLLBACK',
      targetVersion: '1.35',
      hold: { outcome: 'SUCCEEDED', targetTag: '1.35' },
    });
    expect((await world.store.listUpgradeRecords(arn))[0]).toMatchObject({
      executionName: input.executionName,
      status: 'FAILED',
      step: 'ROLLBACK',
      error: { code: 'ROLLED_BACK' },
    });
  });

  it('a rollback that fails is announced, releases the lock, holds the cluster and fails the execution', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({
          tags: { ...OPTED_IN, 'fleet-auditor/bake': '12h', 'fleet-auditor/health-alarms': 'web-5xx' },
          fault: 'ROLLBACK_FAILS',
        }),
        [{ name: 'web-5xx', state: 'ALARM' }],
      ),
    );
    const { arn } = await firstRun(world);

    const check = await resume(world, arn);

    expect([check.status, check.error]).toEqual(['FAILED', 'RollbackFailedError']);
    expect(check.statesEntered.slice(-3)).toEqual([
      'RecordRollbackFailure',
      'ReleaseLockAfterRollbackFailure',
      'RollbackFailed',
    ]);
    expect(versions(world)).toEqual(['1.34', ['1.33']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING', 'ROLLBACK_STARTED', 'ROLLBACK_FAILED']);
    const failed = world.notifier.messages.at(-1);
    expect(failed?.attributes.severity).toBe('ERROR');
    expect(failed?.event.text).toMatch(/web-5xx/);
    expect(await world.store.getLock(arn)).toBeNull();
    expect(await world.store.getUpgradePhase(arn)).toMatchObject({
      phase: 'HELD_AFTER_ROLLBACK',
      hold: { outcome: 'FAILED' },
    });
  });

  it('a bake check that fails for good ends the bake: the next resume finds nothing to resume', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' } }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { input, arn } = await firstRun(world);
    const baking = await world.store.getUpgradePhase(arn);
    if (baking?.resume === null || baking === null) throw new Error('no bake recorded');
    // A hop the cluster runs neither end of: CheckBake throws BakeStateError, which no retry cures.
    const bake = baking.resume['bake'] as Record<string, unknown>;
    await world.store.putUpgradePhase({
      ...baking,
      resume: { ...baking.resume, bake: { ...bake, fromVersion: '1.40', toVersion: '1.41' } },
    });

    const check = await resume(world, arn);

    expect([check.status, check.error]).toEqual(['FAILED', 'BakeStateError']);
    expect(check.statesEntered).toContain('FailedAtBake');
    expect(await world.store.getUpgradePhase(arn)).toBeNull();
    expect(await world.store.getLock(arn)).toBeNull();
    expect((await world.store.listUpgradeRecords(arn))[0]).toMatchObject({
      executionName: input.executionName,
      status: 'FAILED',
      step: 'BAKE',
    });
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING', 'UPGRADE_FAILED']);
  });

  it('the failure chain leaves the phase of another upgrade alone', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' } }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { arn } = await firstRun(world);
    const baking = await world.store.getUpgradePhase(arn);
    if (baking?.resume === null || baking === null) throw new Error('no bake recorded');
    const bake = baking.resume['bake'] as Record<string, unknown>;
    const broken = { ...baking.resume, bake: { ...bake, fromVersion: '1.40', toVersion: '1.41' } };
    // The phase now belongs to a newer upgrade; this (older) execution's failure must not end it.
    const newer = { ...baking, resume: { ...baking.resume, executionName: 'dev-sandbox-newer' } };
    await world.store.putUpgradePhase(newer);
    await world.store.releaseLock(arn, String(baking.resume['executionName']));

    const check = await runUpgradeLocally(broken as unknown as UpgradeExecutionInput, { deps: world.deps });

    expect(check.status).toBe('FAILED');
    expect(await world.store.getUpgradePhase(arn)).toMatchObject({ phase: 'BAKING', resume: newer.resume });
  });

  it('PreFlight stops an execution started by hand on a baking cluster with BAKING, before any EKS update', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' } }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { input, arn } = await firstRun(world);
    // The lease is gone (released by hand): only the stored bake stands in the way.
    await world.store.releaseLock(arn, input.executionName);
    const report = (await world.audit()).clusters.find((c) => c.name === 'dev-sandbox');
    if (report === undefined) throw new Error('the audit did not see dev-sandbox');

    const byHand = await runUpgradeLocally(
      { ...world.executionInput(report), executionName: 'dev-sandbox-by-hand' },
      { deps: world.deps },
    );

    expect([byHand.status, byHand.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(byHand.cause).toMatch(/BAKING: the hop 1\.33 → 1\.34 is baking/);
    expect(byHand.statesEntered).not.toContain('StartUpdate');
    expect(versions(world)).toEqual(['1.34', ['1.33']]);
    expect((await world.store.getUpgradePhase(arn))?.phase).toBe('BAKING');
  });

  it('PreFlight stops an execution started by hand on a cluster held after a rollback with HELD_AFTER_ROLLBACK', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({
          tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' },
          fault: 'UNHEALTHY_AFTER_UPGRADE',
        }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
    );
    const { arn } = await firstRun(world);
    world.clock.jumpTo(new Date(world.clock.now().getTime() + HOUR));
    expect((await resume(world, arn)).statesEntered.at(-1)).toBe('RolledBack');
    const report = (await world.audit()).clusters.find((c) => c.name === 'dev-sandbox');
    if (report === undefined) throw new Error('the audit did not see dev-sandbox');

    const byHand = await runUpgradeLocally(
      { ...world.executionInput(report), executionName: 'dev-sandbox-by-hand', targetVersion: '1.35' },
      { deps: world.deps },
    );

    expect([byHand.status, byHand.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(byHand.cause).toMatch(/HELD_AFTER_ROLLBACK: rolled back from 1\.34 to 1\.33/);
    expect(byHand.statesEntered).not.toContain('StartUpdate');
    expect(versions(world)).toEqual(['1.33', ['1.33']]);
  });

  it('rolls back the node groups first when one already moved (EKS refuses a rollback while a node runs N)', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'web-5xx' } }),
        [{ name: 'web-5xx', state: 'ALARM' }],
      ),
    );
    const { arn } = await firstRun(world);
    // Someone moved the node group by hand during the bake.
    const target = {
      eks: world.deps.eksFor(ACCOUNT, REGION),
      accountId: ACCOUNT,
      region: REGION,
      clusterName: 'dev-sandbox',
    };
    const ref = await updateNodegroupVersion(target, 'default', '1.34', 'by-hand-1');
    world.clock.jumpTo(new Date(world.clock.now().getTime() + 60_000));
    expect((await describeUpdate(target, ref)).status).toBe('Successful');
    expect(versions(world)).toEqual(['1.34', ['1.34']]);

    const check = await resume(world, arn);

    expect([check.status, check.error, check.statesEntered.at(-1)]).toEqual(['SUCCEEDED', null, 'RolledBack']);
    expect(versions(world)).toEqual(['1.33', ['1.33']]);
  });
});

describe('dispatchUpgrades with bakes and holds', () => {
  it('resumes a baking cluster instead of starting it again, holds it after a rollback, and releases the hold when its target changes', async () => {
    const world = await newWorld(
      fleetWithAlarms(
        cluster133({
          tags: { ...OPTED_IN, 'fleet-auditor/health-alarms': 'web-5xx' },
          fault: 'UNHEALTHY_AFTER_UPGRADE',
        }),
        [{ name: 'web-5xx', state: 'OK' }],
      ),
      { defaultBakeMs: 24 * HOUR },
    );
    const starter = (): LocalUpgradeStarter => new LocalUpgradeStarter({ deps: world.deps });
    const night = async (): Promise<DispatchResult> =>
      dispatchUpgrades({
        reports: (await world.audit()).clusters,
        store: world.store,
        starter: starter(),
        maxConcurrent: 5,
        now: world.clock.now(),
        notifier: world.notifier,
      });

    const first = await night();
    expect(first.entries.map((e) => [e.code, e.outcome?.status])).toEqual([['STARTED', 'SUCCEEDED']]);
    expect(versions(world)).toEqual(['1.34', ['1.33']]);

    world.clock.jumpTo(new Date(world.clock.now().getTime() + 2 * HOUR));
    const second = await night();
    expect(second.entries.map((e) => [e.code, e.outcome?.status ?? null])).toEqual([
      ['RESUMED', 'SUCCEEDED'],
      ['BAKING', null],
    ]);
    expect(second.entries[0]?.executionName).toMatch(/-r\d{10}$/);
    expect(versions(world)).toEqual(['1.33', ['1.33']]);

    world.clock.jumpTo(new Date(world.clock.now().getTime() + 24 * HOUR));
    const third = await night();
    expect(third.entries.map((e) => e.code)).toEqual(['HELD_AFTER_ROLLBACK']);
    expect(third.entries[0]?.reason).toMatch(/rolled back from 1\.34 to 1\.33 .*HEALTH_ALARM: alarm web-5xx in ALARM/);
    expect(third.started).toBe(0);

    // The owner lowers the target: the hold is released and the upgrade to the new target starts.
    const eks = world.deps.eksFor(ACCOUNT, REGION);
    const arn = (await world.audit()).clusters[0]?.arn ?? '';
    await eks.send(new TagResourceCommand({ resourceArn: arn, tags: { 'fleet-auditor/target-version': '1.34' } }));
    world.clock.jumpTo(new Date(world.clock.now().getTime() + 24 * HOUR));
    const fourth = await night();
    expect(fourth.entries.map((e) => [e.code, e.target])).toEqual([['STARTED', '1.34']]);
    expect(await world.store.getUpgradePhase(arn)).toMatchObject({ phase: 'BAKING', targetVersion: '1.34' });
  });
});

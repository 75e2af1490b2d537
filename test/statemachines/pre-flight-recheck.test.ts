/**
 * PreFlight re-checks the dispatcher's rules right before the upgrade acts (DESIGN §7, issue 13): the fleet-wide cap
 * (other executions' leases only) and the hold after a failed upgrade. Executed through the real state machine against
 * the simulator and a local DynamoDB: a refused execution ends with UpgradeBlockedError naming the code, sends no EKS
 * update call, releases its lock, and its refusal does not lift the hold at the next dispatch.
 */
import { describe, expect, it } from 'vitest';
import { dispatchUpgrades } from '../../functions/application/upgrade/start-upgrades.ts';
import { LocalUpgradeStarter, runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import type { SimCall } from '../../functions/sim/server.ts';
import { cluster133, fleetOf, useUpgradeWorlds, type UpgradeWorld } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();
const WRITES = new Set(['UpdateClusterVersion', 'UpdateNodegroupVersion', 'UpdateAddon']);

/** A fleet of dev-sandbox (opted in, 1.33 → 1.35) and `busy` (not opted in), every EKS write recorded. */
async function arrange(): Promise<{
  world: UpgradeWorld;
  sandbox: ClusterReport;
  busy: ClusterReport;
  writes: SimCall[];
}> {
  const writes: SimCall[] = [];
  const world = await newWorld(fleetOf(cluster133(), { name: 'busy', version: '1.34' }), {
    beforeRequest: (call) => {
      if (WRITES.has(call.operation)) writes.push(call);
    },
  });
  const report = await world.audit();
  const sandbox = report.clusters.find((c) => c.name === 'dev-sandbox');
  const busy = report.clusters.find((c) => c.name === 'busy');
  if (sandbox === undefined || busy === undefined) throw new Error('the audit did not see both clusters');
  for (const cluster of report.clusters) await world.store.saveClusterAudit(cluster, 'run-1', report.now);
  return { world, sandbox, busy, writes };
}

describe('PreFlight re-checks the cap and the hold after a failure', () => {
  it('stops with CAP_REACHED when other running upgrades fill the cap: no EKS update, lock released', async () => {
    // Arrange: another execution holds busy's lock; the cap is 1
    const { world, sandbox, busy, writes } = await arrange();
    await world.store.acquireLock(busy.arn, 'busy-upgrade', world.clock.now(), 3600);
    expect(sandbox.upgrade.eligible).toBe(true);

    // Act
    const result = await runUpgradeLocally(world.executionInput(sandbox), {
      deps: { ...world.deps, maxConcurrentUpgrades: 1 },
    });

    // Assert
    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toContain(
      'CAP_REACHED: the fleet-wide cap of 1 concurrent upgrades is reached (1 other upgrade running); it waits for the next run',
    );
    expect(result.cause).not.toContain('HELD_AFTER_FAILURE');
    expect(writes).toEqual([]);
    expect(await world.store.getLock(sandbox.arn)).toBeNull();
    expect((await world.store.getLock(busy.arn))?.holder).toBe('busy-upgrade');
    expect(await world.store.listUpgradeRecords(sandbox.arn)).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        step: 'PRE_FLIGHT',
        error: expect.objectContaining({ code: 'UpgradeBlockedError' }),
      }),
    ]);
    expect(world.simCluster('dev-sandbox').version).toBe('1.33');
  });

  it('does not count its own lease: with room for one more it upgrades', async () => {
    // Arrange: busy's upgrade runs, the cap is 2 (this execution's own lease would make 2)
    const { world, sandbox, busy } = await arrange();
    await world.store.acquireLock(busy.arn, 'busy-upgrade', world.clock.now(), 3600);

    // Act
    const result = await runUpgradeLocally(world.executionInput(sandbox), {
      deps: { ...world.deps, maxConcurrentUpgrades: 2 },
    });

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect(world.simCluster('dev-sandbox').version).toBe('1.35');
  });

  it('stops with HELD_AFTER_FAILURE when its last upgrade to the same target failed, and the refusal keeps the hold', async () => {
    // Arrange: yesterday's upgrade 1.33 → 1.35 failed at the control plane; the version is unchanged
    const { world, sandbox, writes } = await arrange();
    const failedAt = new Date(world.clock.now().getTime() - 86_400_000).toISOString();
    await world.store.putUpgradeRecord({
      arn: sandbox.arn,
      executionName: 'dev-sandbox-1-35-yesterday',
      startedAt: failedAt,
      fromVersion: '1.33',
      toVersion: '1.35',
      status: 'FAILED',
      step: 'CONTROL_PLANE',
      error: { code: 'UpdateFailedError', message: 'the update ended Failed' },
      hops: [],
      updatedAt: failedAt,
      finishedAt: failedAt,
    });

    // Act: an execution started anyway (by hand, or before the failure was recorded), then the next dispatch
    const result = await runUpgradeLocally(world.executionInput(sandbox), { deps: world.deps });
    const next = await dispatchUpgrades({
      reports: [sandbox],
      store: world.store,
      starter: new LocalUpgradeStarter({ deps: world.deps }),
      maxConcurrent: 5,
      now: world.clock.now(),
      notifier: world.notifier,
    });

    // Assert
    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toMatch(
      /HELD_AFTER_FAILURE: the upgrade 1\.33 → 1\.35 failed at CONTROL_PLANE on \d{4}-\d\d-\d\d \(UpdateFailedError: the update ended Failed\); not retried until/,
    );
    expect(result.cause).not.toContain('CAP_REACHED');
    expect(writes).toEqual([]);
    expect(await world.store.getLock(sandbox.arn)).toBeNull();
    expect(next.entries.map((e) => [e.name, e.code])).toEqual([['dev-sandbox', 'HELD_AFTER_FAILURE']]);
    expect(next.entries[0]?.reason).toContain('failed at CONTROL_PLANE');
    expect(world.simCluster('dev-sandbox').version).toBe('1.33');
  });
});

/**
 * The owner's `strategy=blue-green` tag is re-checked at the upgrade's pre-flight (DESIGN §7.2): an upgrade
 * dispatched before the owner chose blue/green stops there, executed through the real state machine against the
 * simulator, with no EKS write.
 */
import { TagResourceCommand } from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import type { SimCall } from '../../functions/sim/server.ts';
import { cluster133, fleetOf, useUpgradeWorlds } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();
const WRITES = new Set(['UpdateClusterVersion', 'UpdateNodegroupVersion', 'UpdateAddon']);

describe('STRATEGY_BLUE_GREEN at pre-flight', () => {
  it('stops an in-place upgrade once the owner tags the cluster strategy=blue-green', async () => {
    const writes: SimCall[] = [];
    const world = await newWorld(fleetOf(cluster133()), {
      beforeRequest: (call) => {
        if (WRITES.has(call.operation)) writes.push(call);
      },
    });
    const report = (await world.audit()).clusters.find((c) => c.name === cluster133().name);
    if (report === undefined) throw new Error('the audit did not see the cluster');
    expect(report.upgrade.eligible).toBe(true);
    await world.deps
      .eksFor(report.accountId, report.region)
      .send(new TagResourceCommand({ resourceArn: report.arn, tags: { 'fleet-auditor/strategy': 'blue-green' } }));

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['FAILED', 'UpgradeBlockedError']);
    expect(result.cause).toContain('STRATEGY_BLUE_GREEN');
    expect(writes).toEqual([]);
    expect(await world.store.getLock(report.arn)).toBeNull();
  });
});

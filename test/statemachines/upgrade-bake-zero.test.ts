/**
 * Acceptance (issue: Plan B in place): `bake=0` keeps today's one-run hop. The real upgrade state machine, executed
 * against the simulator, upgrades a cluster tagged `bake=0` (and `health-alarms`) exactly as before: the tags are
 * valid, block nothing, and the hop moves control plane, add-ons and node groups in one execution.
 */
import { describe, expect, it } from 'vitest';
import { runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import { cluster133, fleetOf, OPTED_IN, useUpgradeWorlds } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();

describe('the upgrade state machine with bake=0', () => {
  it('runs every hop in one execution, as without the tag', async () => {
    const world = await newWorld(
      fleetOf(
        cluster133({
          tags: { ...OPTED_IN, 'fleet-auditor/bake': '0', 'fleet-auditor/health-alarms': 'web-5xx,web-*' },
        }),
      ),
    );
    const report = (await world.audit()).clusters.find((c) => c.name === 'dev-sandbox');
    if (report === undefined) throw new Error('the audit did not see dev-sandbox');
    expect(report.findings.filter((f) => f.code === 'INVALID_OPT_IN_TAG')).toEqual([]);
    expect(report.upgrade.eligible).toBe(true);

    const result = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });

    expect([result.status, result.error]).toEqual(['SUCCEEDED', null]);
    const after = world.simCluster('dev-sandbox');
    expect(after.version).toBe('1.35');
    expect(after.nodegroups?.map((ng) => ng.version)).toEqual(['1.35']);
    expect(world.notifier.types()).toEqual(['UPGRADE_SUCCEEDED']);
    expect(await world.store.getLock(report.arn)).toBeNull();
  });

  it('blocks a cluster whose bake tag is invalid (INVALID_OPT_IN_TAG), so nothing starts on a guess', async () => {
    const world = await newWorld(fleetOf(cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '7d' } })));
    const report = (await world.audit()).clusters.find((c) => c.name === 'dev-sandbox');
    expect(report?.upgrade.blockers.map((b) => b.code)).toContain('INVALID_OPT_IN_TAG');
    expect(report?.findings.find((f) => f.code === 'INVALID_OPT_IN_TAG')?.message).toMatch(/at most 6d/);
  });
});

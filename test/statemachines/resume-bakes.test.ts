/**
 * The hourly bake check (the `upgrade-resume-bakes` function's use case), executed: against the simulator, the local
 * DynamoDB and the local starter (the real upgrade definition), a baking cluster gets this hour's resume execution
 * and a cluster that does not bake gets nothing, even though it is eligible for an upgrade.
 */
import '../handlers/quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { LocalUpgradeStarter, runUpgradeLocally } from '../../functions/adapters/local-upgrade-starter.ts';
import { resumeBakes } from '../../functions/application/upgrade/resume-bakes.ts';
import type { ResumeBakesDeps } from '../../functions/application/upgrade/resume-bakes.ts';
import { NO_TELEMETRY } from '../../functions/application/ports/telemetry.ts';
import { UpgradeInputError } from '../../functions/application/upgrade/errors.ts';
import { cluster133, fleetOf, OPTED_IN, useUpgradeWorlds, type UpgradeWorld } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();
const HOUR = 3_600_000;

function depsOf(world: UpgradeWorld): ResumeBakesDeps {
  return {
    store: world.store,
    upgradeStarter: new LocalUpgradeStarter({ deps: world.deps }),
    clock: world.clock.now,
    telemetry: NO_TELEMETRY,
  };
}

/** Starts the upgrade of `name` and lets its first hop reach the bake. */
async function bakeFirstHop(world: UpgradeWorld, name: string): Promise<string> {
  const report = (await world.audit()).clusters.find((c) => c.name === name);
  if (report === undefined) throw new Error(`the audit did not see ${name}`);
  const run = await runUpgradeLocally(world.executionInput(report), { deps: world.deps });
  expect([run.status, run.statesEntered.at(-1)]).toEqual(['SUCCEEDED', 'Baking']);
  return report.arn;
}

describe('resumeBakes (the hourly bake check)', () => {
  it('starts this hour’s resume of a baking cluster and nothing for a cluster that does not bake', async () => {
    // Arrange: dev-sandbox bakes its 1.33 → 1.34 hop; eligible-too is opted in as well but has not started
    const world = await newWorld(
      fleetOf(cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h' } }), cluster133({ name: 'eligible-too' })),
    );
    const arn = await bakeFirstHop(world, 'dev-sandbox');
    const other = (await world.audit()).clusters.find((c) => c.name === 'eligible-too');
    expect(other?.upgrade.eligible).toBe(true);
    world.clock.jumpTo(new Date(world.clock.now().getTime() + HOUR));

    // Act
    const result = await resumeBakes({}, depsOf(world));

    // Assert: one resume, named for this hour, which checked the bake and left it baking
    expect(result.resumed).toBe(1);
    expect(result.entries.map((e) => [e.name, e.code, e.outcome?.status ?? null])).toEqual([
      ['dev-sandbox', 'RESUMED', 'SUCCEEDED'],
    ]);
    const hour = world.clock.now().toISOString().slice(0, 13).replace(/[-T]/g, '');
    expect(result.entries[0]?.executionName).toMatch(new RegExp(`-r${hour}$`));
    const phase = await world.store.getUpgradePhase(arn);
    expect(phase).toMatchObject({ phase: 'BAKING', lastCheck: { code: 'BAKING' } });
    expect(world.simCluster('dev-sandbox').version).toBe('1.34');
    // …and nothing at all for the cluster that does not bake
    expect(world.simCluster('eligible-too').version).toBe('1.33');
    expect(await world.store.listUpgradeRecords(other?.arn ?? '')).toEqual([]);
    expect(await world.store.getLock(other?.arn ?? '')).toBeNull();
    expect(world.notifier.types()).toEqual(['UPGRADE_BAKING']);
  });

  it('refuses a second check in the same hour (ALREADY_STARTED) and starts nothing when nothing bakes', async () => {
    const world = await newWorld(fleetOf(cluster133({ tags: { ...OPTED_IN, 'fleet-auditor/bake': '24h' } })));
    const idle = await resumeBakes({}, depsOf(world));
    expect(idle).toEqual({ resumed: 0, entries: [] });

    await bakeFirstHop(world, 'dev-sandbox');
    const now = new Date(world.clock.now().getTime() + HOUR).toISOString();
    const first = await resumeBakes({ now }, depsOf(world));
    const again = await resumeBakes({ now }, depsOf(world));

    expect(first.entries.map((e) => e.code)).toEqual(['RESUMED']);
    expect(again.resumed).toBe(0);
    expect(again.entries.map((e) => [e.code, e.executionName])).toEqual([
      ['ALREADY_STARTED', first.entries[0]?.executionName],
    ]);
  });

  it('rejects a malformed event, naming what is wrong', async () => {
    const world = await newWorld(fleetOf(cluster133()));

    await expect(resumeBakes({ now: 'tonight' }, depsOf(world))).rejects.toThrow(UpgradeInputError);
    await expect(resumeBakes({ now: 'tonight' }, depsOf(world))).rejects.toThrow(/ResumeBakes: malformed event: now/);
  });
});

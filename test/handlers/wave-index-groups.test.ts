/**
 * The wave index is kept per rollout group (issue 16): AuditAccountRegion reads only the partitions of the groups its
 * clusters in waves above 0 belong to, once per run, and an unreadable account-region holds only the groups it held
 * at its last read (read from its own stored clusters, not from every group's index).
 */
import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { createAuditAccountRegionHandler, createStartRunHandler } from '../../functions/handlers/nightly-handlers.ts';
import type { NightlyDeps } from '../../functions/application/nightly/nightly-deps.ts';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import type { FleetFile } from '../../functions/sim/index.ts';
import { EDGE, NOW, SHOP, arn, testFleet, useNightlyWorld, withAccessDenied } from './nightly-fixtures.ts';

const world = useNightlyWorld();

async function audit(deps: NightlyDeps, runId: string, accountId: string, region: string): Promise<void> {
  await createStartRunHandler(deps)({ now: NOW, runId }, localLambdaContext('start')).catch(() => undefined);
  await createAuditAccountRegionHandler(deps)(
    { runId, now: NOW, accountId, region },
    localLambdaContext('AuditAccountRegion'),
  );
}

/** The test fleet with `web` (wave 1) in rollout group `group`, and `cdn` (wave 0) in `cdnGroup`. */
function grouped(group: string, cdnGroup = 'default'): FleetFile {
  const fleet = testFleet();
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) => ({
      ...account,
      regions: Object.fromEntries(
        Object.entries(account.regions).map(([region, { clusters }]) => [
          region,
          {
            clusters: clusters.map((c) => {
              const rolloutGroup = c.name === 'web' ? group : c.name === 'cdn' ? cdnGroup : null;
              return rolloutGroup === null
                ? c
                : { ...c, tags: { ...c.tags, 'fleet-auditor/rollout-group': rolloutGroup } };
            }),
          },
        ]),
      ),
    })),
  };
}

const blockerCodes = async (w: Awaited<ReturnType<typeof world>>): Promise<string[]> =>
  ((await w.store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.report.upgrade.blockers ?? []).map((b) => b.code);

describe('the wave index, one partition per rollout group', () => {
  it('reads only the partition of the group of the account-region’s clusters in waves above 0, once per run', async () => {
    const w = await world({ fleet: grouped('payments', 'payments') });
    const partitions: string[] = [];
    w.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> };
        const pk = String(input.ExpressionAttributeValues?.[':pk'] ?? '');
        if (input.IndexName === 'sparse' && pk.startsWith('WAVES')) partitions.push(`${context.commandName} ${pk}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordWaveReads' },
    );
    await audit(w.deps, 'run-1', EDGE, 'us-east-1');
    // One handler: one container, whose targets of a run share the index reads.
    const container = createAuditAccountRegionHandler(w.deps);
    const event = { runId: 'run-1', now: NOW, accountId: SHOP, region: 'us-east-1' };

    await container(event, localLambdaContext('AuditAccountRegion'));
    await container(event, localLambdaContext('AuditAccountRegion'));

    expect(partitions).toEqual(['QueryCommand WAVES#payments']);
    // cdn (wave 0 of payments, at 1.33) holds web (wave 1 of payments) before its hop to 1.35.
    expect(await blockerCodes(w)).toContain('WAVE_NOT_READY');
  });

  it('does not hold a wave behind another group’s lower waves', async () => {
    const w = await world({ fleet: grouped('payments') });
    await audit(w.deps, 'run-1', EDGE, 'us-east-1');

    await audit(w.deps, 'run-1', SHOP, 'us-east-1');

    expect(await blockerCodes(w)).not.toContain('WAVE_NOT_READY');
  });

  it('stores the rollout group in the wave facts', async () => {
    const w = await world({ fleet: grouped('payments') });

    await audit(w.deps, 'run-1', SHOP, 'us-east-1');

    expect(await w.store.listWaveFacts('payments')).toEqual([
      expect.objectContaining({
        report: expect.objectContaining({
          name: 'web',
          upgrade: { optedIn: true, wave: 1, rolloutGroup: 'payments' },
        }),
      }),
    ]);
    expect(await w.store.listWaveFacts('default')).toEqual([]);
  });

  it('lets an unreadable account-region that held only another group’s clusters at its last read not hold the group', async () => {
    // Arrange: run-1 reads edge (cdn, group default); in run-2 edge denies access and is recorded FAILED first
    const first = await world({ fleet: grouped('payments') });
    await audit(first.deps, 'run-1', EDGE, 'us-east-1');
    const denied = await world({ fleet: withAccessDenied(grouped('payments'), EDGE), store: first.store });
    await audit(denied.deps, 'run-2', EDGE, 'us-east-1');

    // Act
    await audit(denied.deps, 'run-2', SHOP, 'us-east-1');

    // Assert: web (payments) is not held by edge, which held only the default group
    expect(await blockerCodes(denied)).not.toContain('WAVE_NOT_READY');
  });

  it('holds the group while an unreadable account-region held its clusters at the last read', async () => {
    const first = await world({ fleet: grouped('payments', 'payments') });
    await audit(first.deps, 'run-1', EDGE, 'us-east-1');
    const denied = await world({ fleet: withAccessDenied(grouped('payments', 'payments'), EDGE), store: first.store });
    await audit(denied.deps, 'run-2', EDGE, 'us-east-1');

    await audit(denied.deps, 'run-2', SHOP, 'us-east-1');

    const web = await denied.store.getCluster(arn(SHOP, 'us-east-1', 'web'));
    const blocker = web?.report.upgrade.blockers.find((b) => b.code === 'WAVE_NOT_READY');
    expect(blocker?.message).toContain('1 account-region unreadable (444444444444 us-east-1)');
  });
});

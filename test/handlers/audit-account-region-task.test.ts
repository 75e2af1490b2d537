import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { createAuditAccountRegionHandler, createStartRunHandler } from '../../functions/handlers/nightly-handlers.ts';
import type { NightlyDeps } from '../../functions/application/nightly/nightly-deps.ts';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import type { AccountRegionResult } from '../../functions/application/nightly/record-account-region-failure.ts';
import { SimApiError } from '../../functions/sim/errors.ts';
import {
  EDGE,
  NOW,
  SHOP,
  arn,
  testFleet,
  useNightlyWorld,
  withAccessDenied,
  withClusterAdded,
} from './nightly-fixtures.ts';

const world = useNightlyWorld();

async function audit(
  deps: NightlyDeps,
  runId: string,
  accountId: string,
  region: string,
): Promise<AccountRegionResult> {
  await createStartRunHandler(deps)({ now: NOW, runId }, localLambdaContext('start')).catch(() => undefined);
  return createAuditAccountRegionHandler(deps)(
    { runId, now: NOW, accountId, region },
    localLambdaContext('fleet-auditor-AuditAccountRegion'),
  );
}

describe('AuditAccountRegion handler', () => {
  it('saves every cluster of the account-region as its latest report, with versionSince, and records the account-region OK', async () => {
    const { deps, store } = await world();

    const out = await audit(deps, 'run-1', SHOP, 'us-east-1');

    expect(out).toEqual({ accountId: SHOP, region: 'us-east-1', status: 'OK', clusters: 2, stale: 0, deleted: 0 });
    const billing = await store.getCluster(arn(SHOP, 'us-east-1', 'billing'));
    expect(billing).toMatchObject({ runId: 'run-1', auditedAt: NOW, stale: false, deletedAt: null });
    expect(billing?.report).toMatchObject({
      version: '1.31',
      severity: 'CRITICAL',
      deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 },
    });
    expect((await store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.versionSince).toBe('2026-10-01T00:00:00.000Z');
    expect((await store.getRun('run-1'))?.targets).toEqual([
      { accountId: SHOP, region: 'us-east-1', status: 'OK', clusters: 2 },
    ]);
  });

  it('judges waves against the whole fleet: web (wave 1) waits for cdn (wave 0), stored by another account-region', async () => {
    const alone = await world();
    const withCanary = await world();
    await audit(withCanary.deps, 'run-1', EDGE, 'us-east-1');

    await audit(alone.deps, 'run-1', SHOP, 'us-east-1');
    await audit(withCanary.deps, 'run-1', SHOP, 'us-east-1');

    const codes = async (w: typeof alone): Promise<string[]> =>
      ((await w.store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.report.upgrade.blockers ?? []).map((b) => b.code);
    expect(await codes(alone)).not.toContain('WAVE_NOT_READY');
    expect(await codes(withCanary)).toContain('WAVE_NOT_READY');
    const blocker = (await withCanary.store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.report.upgrade.blockers.find(
      (b) => b.code === 'WAVE_NOT_READY',
    );
    expect(blocker?.message).toContain('cdn');
  });

  it('reads the wave index (never a scan of the table) only for an account-region holding a cluster in a wave above 0', async () => {
    const { deps, dynamo } = await world();
    const scans: string[] = [];
    const waveReads: string[] = [];
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand') scans.push(context.commandName);
        const input = args.input as { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> };
        if (input.IndexName === 'sparse' && String(input.ExpressionAttributeValues?.[':pk']).startsWith('WAVES#')) {
          waveReads.push(String(context.commandName));
        }
        return next(args);
      },
      { step: 'initialize', name: 'countWaveReads' },
    );

    await audit(deps, 'run-1', EDGE, 'us-east-1');
    const afterWaveZeroOnly = waveReads.length;
    await audit(deps, 'run-1', SHOP, 'us-east-1');

    expect(afterWaveZeroOnly).toBe(0);
    expect(waveReads).toEqual(['QueryCommand']);
    expect(scans).toEqual([]);
  });

  it('holds wave 1 back when an account-region of the same run was already recorded unreadable', async () => {
    const { deps, store } = await world({ fleet: withAccessDenied(testFleet(), EDGE) });
    await audit(deps, 'run-1', EDGE, 'us-east-1');

    await audit(deps, 'run-1', SHOP, 'us-east-1');

    const web = await store.getCluster(arn(SHOP, 'us-east-1', 'web'));
    expect(web?.report.upgrade.blockers).toEqual([
      {
        code: 'WAVE_NOT_READY',
        message:
          'wave 1 of rollout group default waits before the hop to 1.35: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account-region unreadable ' +
          '(444444444444 us-east-1)',
      },
    ]);
  });

  it('marks a cluster that really disappeared as deleted by the run that saw it go, keeping its report', async () => {
    const { deps, store, sim } = await world();
    await audit(deps, 'run-1', SHOP, 'us-east-1');
    sim.removeCluster(SHOP, 'us-east-1', 'billing');

    const out = await audit(deps, 'run-2', SHOP, 'us-east-1');

    expect(out).toMatchObject({ status: 'OK', clusters: 1, deleted: 1 });
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'billing'))).toMatchObject({
      runId: 'run-1',
      deletedAt: NOW,
      deletedRunId: 'run-2',
      report: { name: 'billing', version: '1.31' },
    });
  });

  it('keeps the last records of an account that denies access, marks them stale and records the account-region FAILED without throwing', async () => {
    const first = await world();
    await audit(first.deps, 'run-1', EDGE, 'us-east-1');
    const before = await first.store.getCluster(arn(EDGE, 'us-east-1', 'cdn'));
    const denied = await world({ fleet: withAccessDenied(testFleet(), EDGE), store: first.store });

    const out = await audit(denied.deps, 'run-2', EDGE, 'us-east-1');

    expect(out).toEqual({
      accountId: EDGE,
      region: 'us-east-1',
      status: 'FAILED',
      clusters: 0,
      stale: 1,
      deleted: 0,
      code: 'MEMBER_ACCESS_DENIED',
    });
    const after = await first.store.getCluster(arn(EDGE, 'us-east-1', 'cdn'));
    expect(after).toMatchObject({
      report: before?.report,
      runId: 'run-1',
      stale: true,
      staleSince: NOW,
      staleRunId: 'run-2',
      deletedAt: null,
    });
    expect(after?.staleReason).toMatch(/^MEMBER_ACCESS_DENIED: cannot assume arn:aws:iam::444444444444:role/);
    expect((await first.store.getRun('run-2'))?.targets).toEqual([
      {
        accountId: EDGE,
        region: 'us-east-1',
        status: 'FAILED',
        clusters: 0,
        errorCode: 'MEMBER_ACCESS_DENIED',
        errorMessage: expect.stringContaining('access denied'),
      },
    ]);
  });

  it('saves what it could read of a partly readable account-region, marks only the unread cluster stale and deletes nothing', async () => {
    const withApi = withClusterAdded(testFleet(), SHOP, 'us-east-1', { name: 'api', version: '1.34' });
    const { deps, store } = await world({ fleet: withApi });
    await audit(deps, 'run-1', SHOP, 'us-east-1');
    const broken = await world({
      store,
      sim: {
        beforeRequest: (call) => {
          if (call.operation === 'DescribeCluster' && call.params['name'] === 'billing') {
            throw new SimApiError('InvalidRequestException', 400, 'billing cannot be described right now');
          }
        },
      },
    });

    const out = await audit(broken.deps, 'run-2', SHOP, 'us-east-1');

    expect(out).toMatchObject({ status: 'FAILED', clusters: 1, stale: 1, deleted: 0, code: 'InvalidRequestException' });
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'web'))).toMatchObject({ runId: 'run-2', stale: false });
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'billing'))).toMatchObject({
      runId: 'run-1',
      stale: true,
      staleRunId: 'run-2',
      deletedAt: null,
    });
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'api'))).toMatchObject({ runId: 'run-1', deletedAt: null });
    const [outcome] = (await store.getRun('run-2'))?.targets ?? [];
    expect(outcome?.errorMessage).toContain('1 of 2 clusters could not be read: billing');
  });

  it('throws a retryable named error for an endpoint that does not answer, recording nothing, so the state machine retries', async () => {
    const { deps, store } = await world({
      sim: { hangRegions: ['eu-west-1'] },
      hungRegionTimeoutMs: 200,
      maxAttempts: 1,
    });

    const error = await audit(deps, 'run-1', SHOP, 'eu-west-1').catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'EndpointUnreachableError', code: 'ENDPOINT_UNREACHABLE' });
    expect((await store.getRun('run-1'))?.targets).toEqual([]);
  });

  it('rejects an event without a region with a NightlyEventError', async () => {
    const { deps } = await world();

    await expect(
      createAuditAccountRegionHandler(deps)({ runId: 'run-1', now: NOW, accountId: SHOP }, localLambdaContext('x')),
    ).rejects.toMatchObject({ name: 'NightlyEventError', message: expect.stringContaining('region') });
  });
});

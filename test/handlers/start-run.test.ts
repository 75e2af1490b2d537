import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import { createStartRunHandler } from '../../functions/handlers/nightly-handlers.ts';
import { DEFAULT_BATCH_SIZE } from '../../functions/core/defaults.ts';
import { chunk, newRunId } from '../../functions/application/nightly/start-run.ts';
import type { StartRunResult } from '../../functions/application/nightly/start-run.ts';
import { EDGE, NOW, SHOP, useNightlyWorld } from './nightly-fixtures.ts';

const world = useNightlyWorld();
const context = localLambdaContext('fleet-auditor-StartRun');

describe('chunk', () => {
  it.each([
    [0, 250, 0],
    [1, 250, 1],
    [250, 250, 1],
    [251, 250, 2],
    [4000, 250, 16],
    [4001, 250, 17],
    [7, 3, 3],
  ])('splits %i targets into ceil(n / %i) = %i batches, in order, none larger than the size', (n, size, count) => {
    const items = Array.from({ length: n }, (_, i) => i);

    const batches = chunk(items, size);

    expect(batches).toHaveLength(count);
    expect(batches.flat()).toEqual(items);
    expect(batches.every((batch) => batch.length >= 1 && batch.length <= size)).toBe(true);
  });

  it('is used by StartRun with batches of 250 unless the input or the deps say otherwise', () => {
    expect(DEFAULT_BATCH_SIZE).toBe(250);
  });

  it.each([0, -1, 1.5])('refuses the batch size %s', (size) => {
    expect(() => chunk([1, 2], size)).toThrow(RangeError);
  });
});

describe('StartRun handler', () => {
  it('records a RUNNING run, writes one account-region per discovered account and region, sorted, and returns only the batch count', async () => {
    const { deps, store } = await world();
    const startRun = createStartRunHandler(deps);

    const out = await startRun({ now: NOW, runId: 'run-1' }, context);

    expect(out).toEqual<StartRunResult>({
      runId: 'run-1',
      now: NOW,
      maxConcurrency: 10,
      batchCount: 1,
      batchIndex: 0,
    });
    expect(await store.getRunBatch('run-1', 0)).toEqual([
      { accountId: SHOP, region: 'eu-west-1' },
      { accountId: SHOP, region: 'us-east-1' },
      { accountId: EDGE, region: 'eu-west-1' },
      { accountId: EDGE, region: 'us-east-1' },
    ]);
    expect(await store.getRunBatch('run-1', 1)).toBeNull();
    expect((await store.getRun('run-1'))?.run).toMatchObject({ runId: 'run-1', startedAt: NOW, status: 'RUNNING' });
  });

  it('uses the configured account list instead of Organizations, and the input maxConcurrency', async () => {
    const { deps, store } = await world();
    const startRun = createStartRunHandler({
      ...deps,
      discoverAccounts: async () => [{ id: EDGE, name: null }],
    });

    const out = await startRun({ now: NOW, maxConcurrency: 3 }, context);

    expect(await store.listRunAccountRegions(out.runId)).toEqual([
      { accountId: EDGE, region: 'eu-west-1' },
      { accountId: EDGE, region: 'us-east-1' },
    ]);
    expect(out.maxConcurrency).toBe(3);
  });

  it.each([
    [1, undefined, [1, 1, 1, 1]],
    [3, undefined, [3, 1]],
    [undefined, 2, [2, 2]],
    [4, 1, [4]],
  ])(
    'cuts the 4 targets into batches of the input batchSize %s (deps %s): sizes %j',
    async (input, fromDeps, sizes) => {
      const { deps, store } = await world();
      const startRun = createStartRunHandler({ ...deps, ...(fromDeps === undefined ? {} : { batchSize: fromDeps }) });

      const out = await startRun({ now: NOW, ...(input === undefined ? {} : { batchSize: input }) }, context);

      const batches = await Promise.all(sizes.map((_, n) => store.getRunBatch(out.runId, n)));
      expect(out.batchCount).toBe(sizes.length);
      expect(batches.map((batch) => batch?.length)).toEqual(sizes);
      expect((await store.listRunAccountRegions(out.runId)).map((t) => `${t.accountId}/${t.region}`)).toEqual([
        `${SHOP}/eu-west-1`,
        `${SHOP}/us-east-1`,
        `${EDGE}/eu-west-1`,
        `${EDGE}/us-east-1`,
      ]);
    },
  );

  it('takes the clock from its deps and makes a time-ordered run id when the input names neither', async () => {
    const { deps } = await world();

    const out = await createStartRunHandler(deps)({}, context);

    expect(out.now).toBe(NOW);
    expect(out.runId).toMatch(/^20261122T120000Z-[0-9a-f]{8}$/);
  });

  it('refuses to start the same run id twice', async () => {
    const { deps } = await world();
    const startRun = createStartRunHandler(deps);
    await startRun({ now: NOW, runId: 'run-1' }, context);

    await expect(startRun({ now: NOW, runId: 'run-1' }, context)).rejects.toMatchObject({
      name: 'RunAlreadyStartedError',
      code: 'RUN_ALREADY_STARTED',
    });
  });

  it.each([
    [{ now: 'yesterday' }, 'now: must be an ISO-8601 instant'],
    [{ runId: 'run 1/2' }, 'runId: must be 1-100 letters'],
    [{ maxConcurrency: 0 }, 'maxConcurrency'],
    ['not an object', '(event)'],
  ])('rejects the malformed event %j with a NightlyEventError naming the field', async (event, problem) => {
    const { deps, store } = await world();

    const error = await createStartRunHandler(deps)(event, context).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'NightlyEventError', code: 'INVALID_EVENT' });
    expect((error as Error).message).toContain(problem);
    expect(await store.listClusters()).toEqual([]);
  });
});

describe('newRunId', () => {
  it('is the UTC instant without separators plus a random suffix, so ids sort by time and never collide', () => {
    const a = newRunId(new Date('2026-11-22T03:04:05.678Z'));
    const b = newRunId(new Date('2026-11-22T03:04:05.678Z'));

    expect(a).toMatch(/^20261122T030405Z-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

import { describe, expect, it } from 'vitest';
import { ACCOUNT, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore audit runs', () => {
  it('records a run with its account-region outcomes and counts', async () => {
    const store = await freshStore();
    expect(await store.startRun('run-1', '2025-02-11T02:00:00Z')).toBe(true);
    await store.recordAccountRegionOutcome('run-1', {
      accountId: ACCOUNT,
      region: 'eu-west-1',
      status: 'OK',
      clusters: 3,
    });
    await store.recordAccountRegionOutcome('run-1', {
      accountId: '000011112222',
      region: null,
      status: 'FAILED',
      clusters: 0,
      errorCode: 'MEMBER_ACCESS_DENIED',
      errorMessage: 'cannot assume fleet-auditor-read',
    });
    await store.finishRun('run-1', '2025-02-11T02:03:00Z', { clusters: 3, errors: 1 }, 'PARTIAL');

    const stored = await store.getRun('run-1');

    expect(stored).toEqual({
      run: {
        runId: 'run-1',
        startedAt: '2025-02-11T02:00:00.000Z',
        finishedAt: '2025-02-11T02:03:00.000Z',
        status: 'PARTIAL',
        counts: { clusters: 3, errors: 1 },
      },
      targets: [
        {
          accountId: '000011112222',
          region: null,
          status: 'FAILED',
          clusters: 0,
          errorCode: 'MEMBER_ACCESS_DENIED',
          errorMessage: 'cannot assume fleet-auditor-read',
        },
        { accountId: ACCOUNT, region: 'eu-west-1', status: 'OK', clusters: 3 },
      ],
    });
  });

  it('shows a started run as RUNNING and refuses to start it twice', async () => {
    const store = await freshStore();
    await store.startRun('run-1', '2025-02-11T02:00:00Z');

    expect(await store.startRun('run-1', '2025-02-11T02:05:00Z')).toBe(false);
    expect((await store.getRun('run-1'))?.run).toEqual({
      runId: 'run-1',
      startedAt: '2025-02-11T02:00:00.000Z',
      finishedAt: null,
      status: 'RUNNING',
      counts: {},
    });
  });

  it('returns null for an unknown run and refuses to finish it', async () => {
    const store = await freshStore();
    expect(await store.getRun('nope')).toBeNull();
    await expect(store.finishRun('nope', '2025-02-11T02:00:00Z', {})).rejects.toMatchObject({
      name: 'StoreItemNotFoundError',
      code: 'STORE_ITEM_NOT_FOUND',
    });
  });
});

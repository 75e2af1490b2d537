import { describe, expect, it } from 'vitest';
import type { UpgradeRecord } from '../../../functions/application/ports/fleet-store.ts';
import { StoreItemNotFoundError } from '../../../functions/adapters/store/store-errors.ts';
import { report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore upgrade records', () => {
  const arn = report('prod').arn;
  const record = (startedAt: string, executionName: string): UpgradeRecord => ({
    arn,
    executionName,
    startedAt,
    fromVersion: '1.29',
    toVersion: '1.31',
    status: 'RUNNING',
    step: null,
    error: null,
    hops: [],
    updatedAt: startedAt,
    finishedAt: null,
  });

  it('creates a record once and lists records newest first', async () => {
    const store = await freshStore();
    const older = record('2025-02-01T02:00:00.000Z', 'prod-1.31-20250201');
    const newer = record('2025-02-15T02:00:00.000Z', 'prod-1.31-20250215');

    expect(await store.putUpgradeRecord(older)).toBe(true);
    expect(await store.putUpgradeRecord(newer)).toBe(true);
    expect(await store.putUpgradeRecord(newer)).toBe(false);
    expect(await store.listUpgradeRecords(arn)).toEqual([newer, older]);
  });

  it('applies a patch and stamps updatedAt', async () => {
    const store = await freshStore();
    const started = record('2025-02-15T02:00:00.000Z', 'prod-1.31-20250215');
    await store.putUpgradeRecord(started);
    const hop = {
      fromVersion: '1.29',
      toVersion: '1.30',
      status: 'FAILED' as const,
      startedAt: '2025-02-15T02:00:00.000Z',
      finishedAt: '2025-02-15T02:40:00.000Z',
    };

    const updated = await store.updateUpgradeRecord(
      arn,
      started.startedAt,
      started.executionName,
      {
        status: 'FAILED',
        step: 'CONTROL_PLANE',
        error: { code: 'UpdateFailedError', message: 'update failed' },
        hops: [hop],
      },
      '2025-02-15T02:40:00Z',
    );

    expect(updated).toEqual({
      ...started,
      status: 'FAILED',
      step: 'CONTROL_PLANE',
      error: { code: 'UpdateFailedError', message: 'update failed' },
      hops: [hop],
      updatedAt: '2025-02-15T02:40:00.000Z',
    });
    expect(await store.listUpgradeRecords(arn)).toEqual([updated]);
  });

  it('refuses to update a record that does not exist', async () => {
    const store = await freshStore();
    await expect(
      store.updateUpgradeRecord(arn, '2025-02-15T02:00:00.000Z', 'none', { status: 'FAILED' }, '2025-02-15T03:00:00Z'),
    ).rejects.toBeInstanceOf(StoreItemNotFoundError);
  });
});

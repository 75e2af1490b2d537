import { describe, expect, it } from 'vitest';
import { StoreValidationError } from '../../../functions/adapters/store/store-errors.ts';
import { deadlineKey } from '../../../functions/core/alert-thresholds.ts';
import { report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore alert ledger', () => {
  const arn = report('prod').arn;
  const key = deadlineKey('1.29', { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 25 });

  it('lets exactly one of ten concurrent callers claim a threshold', async () => {
    const store = await freshStore();

    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.claimAlert(arn, key, 30, [180, 90, 60], `run-${i}`, '2025-02-21T02:00:00Z'),
      ),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.sentThresholds(arn, key)).toEqual([30, 60, 90, 180]);
  });

  it('counts the thresholds recorded with an earlier claim as sent', async () => {
    const store = await freshStore();
    await store.claimAlert(arn, key, 30, [180, 90, 60, 30], 'run-1', '2025-02-21T02:00:00Z');

    expect(await store.claimAlert(arn, key, 60, [], 'run-2', '2025-02-22T02:00:00Z')).toBe(false);
    expect(await store.claimAlert(arn, key, 14, [], 'run-3', '2025-03-09T02:00:00Z')).toBe(true);
    expect(await store.sentThresholds(arn, key)).toEqual([14, 30, 60, 90, 180]);
  });

  it('keeps the thresholds of each deadline and cluster apart', async () => {
    const store = await freshStore();
    const later = deadlineKey('1.29', { date: '2026-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: 200 });
    await store.claimAlert(arn, key, 0, [], 'run-1', '2025-03-23T02:00:00Z');

    expect(await store.sentThresholds(arn, later)).toEqual([]);
    expect(await store.sentThresholds(report('other').arn, key)).toEqual([]);
    expect(await store.claimAlert(arn, later, 0, [], 'run-1', '2025-03-23T02:00:00Z')).toBe(true);
  });

  it.each([-1, 1.5, 10_000])('rejects threshold %s', async (threshold) => {
    const store = await freshStore();
    await expect(store.claimAlert(arn, key, threshold, [], 'run-1', '2025-02-21T02:00:00Z')).rejects.toBeInstanceOf(
      StoreValidationError,
    );
  });
});

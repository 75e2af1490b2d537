import { describe, expect, it } from 'vitest';
import { MAX_LIST_ITEM_BYTES, chunkBySize } from '../../../functions/adapters/store/run-lists.ts';
import { useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

/** An entry of about `bytes` bytes of JSON. */
const entry = (i: number, bytes = 1000): { arn: string; reason: string } => ({
  arn: `arn:aws:eks:eu-west-1:111122223333:cluster/c-${i}`,
  reason: 'x'.repeat(bytes),
});

describe('chunkBySize', () => {
  it('cuts a list into consecutive parts no larger than the limit, never splitting an entry', () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry(i, 100));
    const size = JSON.stringify(entries[0]).length + 1;

    const parts = chunkBySize(entries, size * 3);

    expect(parts.map((part) => part.length)).toEqual([3, 3, 3, 1]);
    expect(parts.flat()).toEqual(entries);
  });

  it('keeps an entry larger than the limit as a part of its own, and an empty list as one empty part', () => {
    expect(chunkBySize([entry(0, 50), entry(1, 500), entry(2, 50)], 200).map((p) => p.length)).toEqual([1, 1, 1]);
    expect(chunkBySize([], 200)).toEqual([[]]);
  });
});

describe('FleetStore run lists (kept by reference under the run)', () => {
  it('gives back a list of several parts whole and in order', async () => {
    const store = await freshStore();
    const entries = Array.from({ length: 700 }, (_, i) => entry(i));

    const parts = await store.putRunList('run-1', 'HELD_BY_WAVES', '2026-12-01T02:00:00Z', entries);

    expect(parts).toBe(Math.ceil((700 * (JSON.stringify(entries[0]).length + 1)) / MAX_LIST_ITEM_BYTES));
    expect(parts).toBeGreaterThan(1);
    expect(await store.getRunList('run-1', 'HELD_BY_WAVES')).toEqual(entries);
  });

  it('reads a shorter rewrite (a retried task) without the longer list’s leftover parts', async () => {
    const store = await freshStore();
    await store.putRunList('run-1', 'UPGRADE_CANDIDATES', '2026-12-01T02:00:00Z', [
      ...Array.from({ length: 700 }, (_, i) => entry(i)),
    ]);

    await store.putRunList('run-1', 'UPGRADE_CANDIDATES', '2026-12-01T02:00:00Z', [entry(1, 10)]);

    expect(await store.getRunList('run-1', 'UPGRADE_CANDIDATES')).toEqual([entry(1, 10)]);
  });

  it('keeps lists of different kinds and runs apart, and says null for a list never written', async () => {
    const store = await freshStore();
    await store.putRunList('run-1', 'UPGRADE_CANDIDATES', '2026-12-01T02:00:00Z', [entry(1, 10)]);
    await store.putRunList('run-1', 'DISPATCH_ENTRIES', '2026-12-01T02:00:00Z', []);

    expect(await store.getRunList('run-1', 'DISPATCH_ENTRIES')).toEqual([]);
    expect(await store.getRunList('run-1', 'HELD_BY_WAVES')).toBeNull();
    expect(await store.getRunList('run-2', 'UPGRADE_CANDIDATES')).toBeNull();
    // The run's own items are not disturbed by its lists.
    expect(await store.getRun('run-1')).toBeNull();
  });
});

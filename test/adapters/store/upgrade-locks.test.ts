import { describe, expect, it } from 'vitest';
import { countRunningUpgrades } from '../../../functions/application/upgrade/start-upgrades.ts';
import { report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore upgrade locks', () => {
  const arn = report('prod').arn;
  const t0 = new Date('2025-02-15T02:00:00Z');
  const plus = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

  it('grants a free lock and reports who holds it to others', async () => {
    const store = await freshStore();

    const first = await store.acquireLock(arn, 'exec-a', t0, 900);
    const second = await store.acquireLock(arn, 'exec-b', plus(60), 900);

    expect(first).toMatchObject({
      acquired: true,
      code: 'ACQUIRED',
      lease: { holder: 'exec-a', acquiredAt: '2025-02-15T02:00:00.000Z', expiresAt: '2025-02-15T02:15:00.000Z' },
    });
    expect(second).toMatchObject({ acquired: false, code: 'HELD', heldBy: { holder: 'exec-a' } });
    expect(await store.getLock(arn)).toEqual({
      holder: 'exec-a',
      acquiredAt: '2025-02-15T02:00:00.000Z',
      expiresAt: '2025-02-15T02:15:00.000Z',
    });
  });

  it('gives an expired lease to the next caller', async () => {
    const store = await freshStore();
    await store.acquireLock(arn, 'exec-a', t0, 900);

    const taken = await store.acquireLock(arn, 'exec-b', plus(900), 900);

    expect(taken).toMatchObject({
      acquired: true,
      lease: { holder: 'exec-b', acquiredAt: '2025-02-15T02:15:00.000Z' },
    });
  });

  it('lets the holder acquire again, keeping acquiredAt and extending the expiry', async () => {
    const store = await freshStore();
    await store.acquireLock(arn, 'exec-a', t0, 900);

    const again = await store.acquireLock(arn, 'exec-a', plus(600), 900);

    expect(again).toMatchObject({
      acquired: true,
      lease: { acquiredAt: '2025-02-15T02:00:00.000Z', expiresAt: '2025-02-15T02:25:00.000Z' },
    });
  });

  it('lets exactly one of ten concurrent callers take a free lock', async () => {
    const store = await freshStore();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.acquireLock(arn, `exec-${i}`, t0, 900)),
    );

    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect((await store.getLock(arn))?.holder).toBe(winners[0]?.acquired ? winners[0].lease.holder : undefined);
  });

  it('releases only for the holder', async () => {
    const store = await freshStore();
    await store.acquireLock(arn, 'exec-a', t0, 900);

    expect(await store.releaseLock(arn, 'exec-b')).toBe(false);
    expect((await store.getLock(arn))?.holder).toBe('exec-a');
    expect(await store.releaseLock(arn, 'exec-a')).toBe(true);
    expect(await store.getLock(arn)).toBeNull();
    expect(await store.releaseLock(arn, 'exec-a')).toBe(false);
  });

  it.each<[string, string, number, boolean, string]>([
    ['the holder before expiry', 'exec-a', 600, true, '2025-02-15T02:25:00.000Z'],
    ['another holder', 'exec-b', 600, false, '2025-02-15T02:15:00.000Z'],
    ['the holder after expiry', 'exec-a', 900, false, '2025-02-15T02:15:00.000Z'],
  ])('renews for %s: %s', async (_who, holder, after, renewed, expiresAt) => {
    const store = await freshStore();
    await store.acquireLock(arn, 'exec-a', t0, 900);

    expect(await store.renewLock(arn, holder, plus(after), 900)).toBe(renewed);
    expect((await store.getLock(arn))?.expiresAt).toBe(expiresAt);
  });

  it('lists every lock from the index, renewed and released ones as they are, and counts the active ones for the cap', async () => {
    const store = await freshStore();
    const [a, b, c] = [report('a').arn, report('b').arn, report('c').arn];
    await store.acquireLock(a, 'exec-a', t0, 900);
    await store.acquireLock(b, 'exec-b', t0, 60); // expired by plus(120)
    await store.acquireLock(c, 'exec-c', t0, 900);
    await store.renewLock(a, 'exec-a', plus(60), 1800);
    await store.releaseLock(c, 'exec-c');

    const locks = await store.listLocks();

    expect(locks.map((lock) => [lock.arn, lock.lease.holder, lock.lease.expiresAt]).sort()).toEqual([
      [a, 'exec-a', '2025-02-15T02:31:00.000Z'],
      [b, 'exec-b', '2025-02-15T02:01:00.000Z'],
    ]);
    expect(await countRunningUpgrades(store, plus(120))).toBe(1);
    expect(await countRunningUpgrades(store, plus(120), 'exec-a')).toBe(0);
    expect(await countRunningUpgrades(store, t0)).toBe(2);
  });

  it('rejects a lease without a holder', async () => {
    const store = await freshStore();
    await expect(store.acquireLock(arn, ' ', t0, 900)).rejects.toMatchObject({ name: 'InvalidLockLeaseError' });
    await expect(store.renewLock(arn, 'exec-a', t0, 0)).rejects.toMatchObject({ name: 'InvalidLockLeaseError' });
  });
});

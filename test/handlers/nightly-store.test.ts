/**
 * What the nightly pipeline added to the fleet store: versionSince kept next to the report (for the wave rule),
 * stale marks limited to the clusters a partial read missed, and claims on alerts and the digest that can be
 * given back when the message could not be delivered.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, report, useLocalStore } from '../adapters/store/store-fixtures.ts';

const freshStore = useLocalStore();
const AT = '2026-11-22T12:00:00.000Z';

describe('FleetStore.saveClusterAudit with facts', () => {
  it('keeps versionSince next to the latest report, canonical, and only when known', async () => {
    const store = await freshStore();
    const a = report('a');
    const b = report('b');

    await store.saveClusterAudit(a, 'run-1', AT, { versionSince: '2026-10-01T00:00:00Z' });
    await store.saveClusterAudit(b, 'run-1', AT, { versionSince: null });

    expect((await store.getCluster(a.arn))?.versionSince).toBe('2026-10-01T00:00:00.000Z');
    expect(await store.getCluster(b.arn)).not.toHaveProperty('versionSince');
  });

  it('refuses a versionSince that is not an instant', async () => {
    const store = await freshStore();

    await expect(store.saveClusterAudit(report('a'), 'run-1', AT, { versionSince: 'soon' })).rejects.toMatchObject({
      name: 'StoreValidationError',
    });
  });
});

describe('FleetStore.markAccountRegionStale with names', () => {
  it('marks only the named clusters of the account-region stale', async () => {
    const store = await freshStore();
    const a = report('a');
    const b = report('b');
    await store.saveClusterAudit(a, 'run-1', AT);
    await store.saveClusterAudit(b, 'run-1', AT);

    const marked = await store.markAccountRegionStale(
      ACCOUNT,
      'eu-west-1',
      'run-2',
      'a: THROTTLED',
      AT,
      new Set(['a']),
    );

    expect(marked).toBe(1);
    expect((await store.getCluster(a.arn))?.stale).toBe(true);
    expect((await store.getCluster(b.arn))?.stale).toBe(false);
  });
});

describe('FleetStore.releaseAlert', () => {
  it('deletes the ledger items the run recorded, so the threshold can be claimed and sent again', async () => {
    const store = await freshStore();
    await store.claimAlert('arn:c', 'k', 7, [14, 30], 'run-1', AT);

    const released = await store.releaseAlert('arn:c', 'k', [7, 14, 30], 'run-1');

    expect(released).toBe(3);
    expect(await store.sentThresholds('arn:c', 'k')).toEqual([]);
    expect(await store.claimAlert('arn:c', 'k', 7, [14, 30], 'run-2', AT)).toBe(true);
  });

  it('leaves the items another run recorded', async () => {
    const store = await freshStore();
    await store.claimAlert('arn:c', 'k', 14, [], 'run-1', AT);
    await store.claimAlert('arn:c', 'k', 7, [14], 'run-2', AT);

    const released = await store.releaseAlert('arn:c', 'k', [7, 14], 'run-2');

    expect(released).toBe(1);
    expect(await store.sentThresholds('arn:c', 'k')).toEqual([14]);
  });
});

describe('FleetStore.claimDigest', () => {
  it('is true once per run, again after the claim is given back', async () => {
    const store = await freshStore();
    await store.startRun('run-1', AT);

    const claims = await Promise.all([store.claimDigest('run-1', AT), store.claimDigest('run-1', AT)]);
    const released = await store.releaseDigest('run-1');
    const again = await store.claimDigest('run-1', AT);

    expect(claims.sort()).toEqual([false, true]);
    expect(released).toBe(true);
    expect(again).toBe(true);
  });

  it('fails with StoreItemNotFoundError for a run that was never started', async () => {
    const store = await freshStore();

    await expect(store.claimDigest('nope', AT)).rejects.toMatchObject({ name: 'StoreItemNotFoundError' });
    expect(await store.releaseDigest('nope')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { StoreValidationError } from '../../../functions/adapters/store/store-errors.ts';
import { ACCOUNT, report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore.saveClusterAudit', () => {
  it('stores a report that getCluster returns unchanged', async () => {
    const store = await freshStore();
    const prod = report('prod', { platformVersion: null, endOfExtendedSupport: null });

    const result = await store.saveClusterAudit(prod, 'run-1', '2025-02-11T02:00:00Z');
    const stored = await store.getCluster(prod.arn);

    expect(result).toMatchObject({ written: true, historyWritten: true, code: 'NEW' });
    expect(stored).toEqual({
      report: prod,
      runId: 'run-1',
      auditedAt: '2025-02-11T02:00:00.000Z',
      stale: false,
      staleSince: null,
      staleReason: null,
      staleRunId: null,
      deletedAt: null,
      deletedRunId: null,
    });
  });

  it('returns null for a cluster never audited', async () => {
    const store = await freshStore();
    expect(await store.getCluster('arn:aws:eks:eu-west-1:111122223333:cluster/none')).toBeNull();
  });

  it('never overwrites a record written by a later audit', async () => {
    const store = await freshStore();
    const newer = report('prod', { version: '1.30' });
    await store.saveClusterAudit(newer, 'run-2', '2025-02-12T02:00:00Z');

    const result = await store.saveClusterAudit(report('prod'), 'run-1', '2025-02-11T02:00:00Z');

    expect(result).toMatchObject({ written: false, historyWritten: false, code: 'SUPERSEDED' });
    expect((await store.getCluster(newer.arn))?.report.version).toBe('1.30');
    expect(await store.listClusterHistory(newer.arn)).toHaveLength(1);
  });

  it('accepts a rewrite by the same audit (a retried write)', async () => {
    const store = await freshStore();
    await store.saveClusterAudit(report('prod'), 'run-1', '2025-02-11T02:00:00Z');

    const result = await store.saveClusterAudit(report('prod'), 'run-1', '2025-02-11T02:00:00.000Z');

    expect(result).toMatchObject({ written: true, historyWritten: false, code: 'UNCHANGED' });
  });

  it('writes history only when the report changed', async () => {
    const store = await freshStore();
    const day1 = report('prod');
    const day2 = report('prod', { deadline: { ...day1.deadline!, daysRemaining: 39 } });
    const day3 = report('prod', { version: '1.30', severity: 'OK', deadline: null });

    const results = [
      await store.saveClusterAudit(day1, 'run-1', '2025-02-11T02:00:00Z'),
      await store.saveClusterAudit(day2, 'run-2', '2025-02-12T02:00:00Z'),
      await store.saveClusterAudit(day3, 'run-3', '2025-02-13T02:00:00Z'),
    ];
    const history = await store.listClusterHistory(day1.arn);

    expect(results.map((r) => [r.code, r.historyWritten])).toEqual([
      ['NEW', true],
      ['UNCHANGED', false],
      ['CHANGED', true],
    ]);
    expect(history.map((h) => [h.runId, h.report.version])).toEqual([
      ['run-1', '1.29'],
      ['run-3', '1.30'],
    ]);
    expect((await store.getCluster(day1.arn))?.runId).toBe('run-3');
  });

  it('clears the stale and deleted marks', async () => {
    const store = await freshStore();
    const prod = report('prod');
    await store.saveClusterAudit(prod, 'run-1', '2025-02-11T02:00:00Z');
    await store.markAccountRegionStale(ACCOUNT, 'eu-west-1', 'run-2', 'ACCESS_DENIED', '2025-02-12T02:00:00Z');
    await store.markDeletedIfMissing(ACCOUNT, 'eu-west-1', new Set(), 'run-3', '2025-02-13T02:00:00Z');

    await store.saveClusterAudit(prod, 'run-4', '2025-02-14T02:00:00Z');

    expect(await store.getCluster(prod.arn)).toMatchObject({
      stale: false,
      staleSince: null,
      deletedAt: null,
      deletedRunId: null,
      runId: 'run-4',
    });
  });

  it('rejects an auditedAt that is not an instant', async () => {
    const store = await freshStore();
    await expect(store.saveClusterAudit(report('prod'), 'run-1', 'yesterday')).rejects.toBeInstanceOf(
      StoreValidationError,
    );
  });
});

describe('FleetStore.listClusters and listClustersOfAccountRegion', () => {
  it('lists every cluster sorted by account, region and name', async () => {
    const store = await freshStore();
    const reports = [
      report('b', { region: 'us-east-1' }),
      report('a', { region: 'us-east-1' }),
      report('z', { accountId: '000011112222' }),
      report('c'),
    ];
    for (const r of reports) await store.saveClusterAudit(r, 'run-1', '2025-02-11T02:00:00Z');

    const names = (await store.listClusters()).map((c) => `${c.report.accountId}/${c.report.region}/${c.report.name}`);

    expect(names).toEqual([
      '000011112222/eu-west-1/z',
      '111122223333/eu-west-1/c',
      '111122223333/us-east-1/a',
      '111122223333/us-east-1/b',
    ]);
  });

  it('follows pagination when the clusters span several pages', async () => {
    const store = await freshStore();
    // ~60 KB per report: 24 of them exceed the 1 MB page of a Scan or Query.
    const bulky = { code: 'INSIGHT_WARNING', severity: 'NOTICE', message: 'x'.repeat(60_000) } as const;
    const names = Array.from({ length: 24 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((name) => store.saveClusterAudit(report(name, { findings: [bulky] }), 'run-1', '2025-02-11T02:00:00Z')),
    );

    expect((await store.listClusters()).map((c) => c.report.name)).toEqual(names);
    expect(await store.listClustersOfAccountRegion(ACCOUNT, 'eu-west-1')).toHaveLength(24);
  });

  it.each<[string, string | null, string[]]>([
    ['the whole account', null, ['eu-west-1/a', 'eu-west-10/b', 'us-east-1/c']],
    ['one region, not a region whose name extends it', 'eu-west-1', ['eu-west-1/a']],
    ['another region', 'us-east-1', ['us-east-1/c']],
  ])('lists the clusters of %s', async (_what, region, expected) => {
    const store = await freshStore();
    await store.saveClusterAudit(report('a'), 'run-1', '2025-02-11T02:00:00Z');
    await store.saveClusterAudit(report('b', { region: 'eu-west-10' }), 'run-1', '2025-02-11T02:00:00Z');
    await store.saveClusterAudit(report('c', { region: 'us-east-1' }), 'run-1', '2025-02-11T02:00:00Z');
    await store.saveClusterAudit(report('d', { accountId: '000011112222' }), 'run-1', '2025-02-11T02:00:00Z');

    const listed = await store.listClustersOfAccountRegion(ACCOUNT, region);

    expect(listed.map((c) => `${c.report.region}/${c.report.name}`)).toEqual(expected);
  });
});

describe('FleetStore.markAccountRegionStale', () => {
  it('marks every cluster of the account stale, keeping the report and the first staleSince', async () => {
    const store = await freshStore();
    const a = report('a');
    const b = report('b', { region: 'us-east-1' });
    await store.saveClusterAudit(a, 'run-1', '2025-02-11T02:00:00Z');
    await store.saveClusterAudit(b, 'run-1', '2025-02-11T02:00:00Z');

    const first = await store.markAccountRegionStale(ACCOUNT, null, 'run-2', 'ACCESS_DENIED', '2025-02-12T02:00:00Z');
    const second = await store.markAccountRegionStale(ACCOUNT, null, 'run-3', 'THROTTLED', '2025-02-13T02:00:00Z');

    expect([first, second]).toEqual([2, 2]);
    expect(await store.getCluster(a.arn)).toEqual({
      report: a,
      runId: 'run-1',
      auditedAt: '2025-02-11T02:00:00.000Z',
      stale: true,
      staleSince: '2025-02-12T02:00:00.000Z',
      staleReason: 'THROTTLED',
      staleRunId: 'run-3',
      deletedAt: null,
      deletedRunId: null,
    });
  });

  it('marks only the named region', async () => {
    const store = await freshStore();
    await store.saveClusterAudit(report('a'), 'run-1', '2025-02-11T02:00:00Z');
    const b = report('b', { region: 'us-east-1' });
    await store.saveClusterAudit(b, 'run-1', '2025-02-11T02:00:00Z');

    const marked = await store.markAccountRegionStale(ACCOUNT, 'eu-west-1', 'run-2', 'TIMEOUT', '2025-02-12T02:00:00Z');

    expect(marked).toBe(1);
    expect((await store.getCluster(b.arn))?.stale).toBe(false);
  });

  it('leaves deleted clusters and clusters audited after the failure alone', async () => {
    const store = await freshStore();
    const gone = report('gone');
    const fresh = report('fresh');
    await store.saveClusterAudit(gone, 'run-1', '2025-02-11T02:00:00Z');
    await store.markDeletedIfMissing(ACCOUNT, 'eu-west-1', new Set(), 'run-2', '2025-02-12T02:00:00Z');
    await store.saveClusterAudit(fresh, 'run-4', '2025-02-14T02:00:00Z');

    const marked = await store.markAccountRegionStale(ACCOUNT, 'eu-west-1', 'run-3', 'TIMEOUT', '2025-02-13T02:00:00Z');

    expect(marked).toBe(0);
    expect((await store.getCluster(gone.arn))?.stale).toBe(false);
    expect((await store.getCluster(fresh.arn))?.stale).toBe(false);
  });
});

describe('FleetStore.markDeletedIfMissing', () => {
  it('marks the clusters a complete read did not see, once, keeping their reports', async () => {
    const store = await freshStore();
    const [kept, gone, elsewhere] = [report('kept'), report('gone'), report('other', { region: 'us-east-1' })];
    for (const r of [kept, gone, elsewhere]) await store.saveClusterAudit(r, 'run-1', '2025-02-11T02:00:00Z');

    const first = await store.markDeletedIfMissing(
      ACCOUNT,
      'eu-west-1',
      new Set([kept.arn]),
      'run-2',
      '2025-02-12T02:00:00Z',
    );
    const again = await store.markDeletedIfMissing(
      ACCOUNT,
      'eu-west-1',
      new Set([kept.arn]),
      'run-3',
      '2025-02-13T02:00:00Z',
    );

    expect(first).toEqual([gone.arn]);
    expect(again).toEqual([]);
    expect(await store.getCluster(gone.arn)).toMatchObject({
      report: gone,
      deletedAt: '2025-02-12T02:00:00.000Z',
      deletedRunId: 'run-2',
    });
    expect((await store.getCluster(kept.arn))?.deletedAt).toBeNull();
    expect((await store.getCluster(elsewhere.arn))?.deletedAt).toBeNull();
  });

  it('clears the stale marks of a cluster it marks deleted', async () => {
    const store = await freshStore();
    const gone = report('gone');
    await store.saveClusterAudit(gone, 'run-1', '2025-02-11T02:00:00Z');
    await store.markAccountRegionStale(ACCOUNT, null, 'run-2', 'ACCESS_DENIED', '2025-02-12T02:00:00Z');

    await store.markDeletedIfMissing(ACCOUNT, 'eu-west-1', new Set(), 'run-3', '2025-02-13T02:00:00Z');

    expect(await store.getCluster(gone.arn)).toMatchObject({ stale: false, staleSince: null, deletedRunId: 'run-3' });
  });

  it('does not delete a cluster written by a later audit', async () => {
    const store = await freshStore();
    const prod = report('prod');
    await store.saveClusterAudit(prod, 'run-9', '2025-02-14T02:00:00Z');

    const marked = await store.markDeletedIfMissing(ACCOUNT, 'eu-west-1', new Set(), 'run-8', '2025-02-13T02:00:00Z');

    expect(marked).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { UpgradeRecord } from '../../../functions/application/ports/fleet-store.ts';
import { report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore open upgrades (the UPGRADES_RUNNING index)', () => {
  const record = (name: string, status: UpgradeRecord['status'] = 'RUNNING'): UpgradeRecord => ({
    arn: report(name).arn,
    executionName: `${name}-1-31-20250215-0123456789abcdef`,
    startedAt: '2025-02-15T02:00:00.000Z',
    fromVersion: '1.29',
    toVersion: '1.31',
    status,
    step: null,
    error: null,
    hops: [],
    updatedAt: '2025-02-15T02:00:00.000Z',
    finishedAt: null,
  });

  it('lists a record while it is RUNNING, never one written closed, and drops it when it closes', async () => {
    const store = await freshStore();
    const open = record('prod');
    await store.putUpgradeRecord(open);
    await store.putUpgradeRecord(record('done', 'SUCCEEDED'));

    const before = await store.listRunningUpgrades();
    await store.updateUpgradeRecord(open.arn, open.startedAt, open.executionName, { step: 'ADDONS' }, open.startedAt);
    const afterStep = await store.listRunningUpgrades();
    await store.updateUpgradeRecord(
      open.arn,
      open.startedAt,
      open.executionName,
      { status: 'FAILED', finishedAt: '2025-02-15T03:00:00.000Z' },
      '2025-02-15T03:00:00.000Z',
    );

    const where = { arn: open.arn, startedAt: open.startedAt, executionName: open.executionName };
    expect(before).toEqual([where]);
    expect(afterStep).toEqual([where]);
    expect(await store.listRunningUpgrades()).toEqual([]);
    expect((await store.listUpgradeRecords(open.arn))[0]).toMatchObject({ status: 'FAILED', step: 'ADDONS' });
  });

  it('lists a record again should it be set RUNNING again', async () => {
    const store = await freshStore();
    const closed = record('prod', 'FAILED');
    await store.putUpgradeRecord(closed);

    await store.updateUpgradeRecord(
      closed.arn,
      closed.startedAt,
      closed.executionName,
      { status: 'RUNNING' },
      closed.startedAt,
    );

    expect((await store.listRunningUpgrades()).map((r) => r.executionName)).toEqual([closed.executionName]);
  });
});

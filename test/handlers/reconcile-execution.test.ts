/**
 * ReconcileExecution, the target of the EventBridge rule on the upgrade machine's executions that end FAILED,
 * TIMED_OUT or ABORTED: against dynalite, with the event Step Functions sends. The record is closed FAILED naming the
 * status, UPGRADE_FAILED is announced and the lock released; a record already final is left untouched.
 */
import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import type { FleetStore, UpgradeRecord } from '../../functions/application/ports/fleet-store.ts';
import { reconcileExecution } from '../../functions/application/upgrade/reconcile-execution.ts';
import { NO_TELEMETRY } from '../../functions/application/ports/telemetry.ts';
import type { UpgradeExecutionInput } from '../../functions/core/upgrade-execution.ts';
import { report, useLocalStore } from '../adapters/store/store-fixtures.ts';
import { MemoryNotifier } from './nightly-fixtures.ts';

const freshStore = useLocalStore();
const NOW = new Date('2026-11-22T03:00:00.000Z');
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:fleet-auditor-upgrade-cluster';
const prod = report('prod');
const input: UpgradeExecutionInput = {
  executionName: 'prod-1-30-20261122-0123456789abcdef',
  cluster: { accountId: prod.accountId, region: prod.region, name: prod.name, arn: prod.arn, version: '1.29' },
  targetVersion: '1.30',
  startedAt: '2026-11-22T02:00:00.000Z',
};
const record: UpgradeRecord = {
  arn: prod.arn,
  executionName: input.executionName,
  startedAt: input.startedAt,
  fromVersion: '1.29',
  toVersion: '1.30',
  status: 'RUNNING',
  step: 'CONTROL_PLANE',
  error: null,
  hops: [],
  updatedAt: input.startedAt,
  finishedAt: null,
};

/** The event EventBridge delivers for a status change of an upgrade execution. */
function statusChange(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: 'c4f1c2b5-0000-0000-0000-000000000000',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: NOW.toISOString(),
    region: 'eu-west-1',
    resources: [`${MACHINE.replace(':stateMachine:', ':execution:')}:${input.executionName}`],
    detail: {
      executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${input.executionName}`,
      stateMachineArn: MACHINE,
      name: input.executionName,
      status,
      startDate: Date.parse(input.startedAt),
      stopDate: NOW.getTime(),
      input: JSON.stringify(input),
      output: null,
      error: status === 'TIMED_OUT' ? 'States.Timeout' : null,
      cause: status === 'ABORTED' ? 'stopped by an operator' : null,
      ...extra,
    },
  };
}

async function world(
  status: UpgradeRecord['status'] = 'RUNNING',
): Promise<{ store: FleetStore; notifier: MemoryNotifier; deps: Parameters<typeof reconcileExecution>[1] }> {
  const store = await freshStore();
  await store.putUpgradeRecord({ ...record, status });
  await store.acquireLock(prod.arn, input.executionName, new Date(input.startedAt), 4 * 3600);
  const notifier = new MemoryNotifier();
  return { store, notifier, deps: { store, notifier, clock: () => NOW, telemetry: NO_TELEMETRY } };
}

describe('ReconcileExecution', () => {
  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'an execution that ended %s: records FAILED naming the status, announces it, releases the lock',
    async (status) => {
      const { store, notifier, deps } = await world();

      const result = await reconcileExecution(statusChange(status), deps);

      expect(result).toMatchObject({ code: 'RECORDED_FAILED', arn: prod.arn, executionName: input.executionName });
      const [stored] = await store.listUpgradeRecords(prod.arn);
      expect(stored).toMatchObject({
        status: 'FAILED',
        error: { code: `EXECUTION_${status}` },
        finishedAt: NOW.toISOString(),
      });
      expect(stored?.error?.message).toContain(`ended ${status} outside the workflow`);
      expect(await store.getLock(prod.arn)).toBeNull();
      expect(await store.listRunningUpgrades()).toEqual([]);
      expect(notifier.messages).toHaveLength(1);
      expect(notifier.messages[0]).toMatchObject({
        attributes: { type: 'UPGRADE_FAILED' },
        event: { detail: { executionName: input.executionName, error: { name: `Execution${status}` } } },
      });
    },
  );

  it('counts ExecutionsReconciled only for the record it closed, not for a replay of the same event', async () => {
    const counted: number[] = [];
    const { deps } = await world();
    const telemetry = { ...NO_TELEMETRY, count: (name: string, value: number): void => void counted.push(value) };

    const first = await reconcileExecution(statusChange('FAILED'), { ...deps, telemetry });
    const replay = await reconcileExecution(statusChange('FAILED'), { ...deps, telemetry });

    expect([first.code, replay.code]).toEqual(['RECORDED_FAILED', 'NO_RUNNING_RECORD']);
    expect(counted).toEqual([1, 0]);
  });

  /** The cluster's phase, as StartBake / CheckBake leave it for this execution's upgrade. */
  async function putPhase(
    store: FleetStore,
    phase: 'BAKING' | 'ROLLING_BACK',
    executionName = input.executionName,
  ): Promise<void> {
    await store.putUpgradePhase({
      arn: prod.arn,
      phase,
      targetVersion: '1.30',
      resume: { ...input, executionName, bake: { fromVersion: '1.29', toVersion: '1.30' } },
      hold: null,
      lastCheck: { code: 'BAD_SIGNAL', reason: 'HEALTH_ALARM: alarm web-5xx in ALARM', at: input.startedAt },
      updatedAt: input.startedAt,
    });
  }

  it('leaves a baking upgrade to its next resume: record, lock and phase untouched, nothing announced', async () => {
    const { store, notifier, deps } = await world();
    await putPhase(store, 'BAKING');
    const records = await store.listUpgradeRecords(prod.arn);
    const phase = await store.getUpgradePhase(prod.arn);

    const result = await reconcileExecution(statusChange('FAILED'), deps);

    expect(result).toMatchObject({ code: 'BAKE_CONTINUES', arn: prod.arn });
    expect(result.reason).toMatch(/next resume/);
    expect(await store.listUpgradeRecords(prod.arn)).toEqual(records);
    expect((await store.getLock(prod.arn))?.holder).toBe(input.executionName);
    expect(await store.getUpgradePhase(prod.arn)).toEqual(phase);
    expect(notifier.messages).toEqual([]);
  });

  it('a rollback whose execution ended: holds the cluster, records FAILED at ROLLBACK, sends ROLLBACK_FAILED, releases the lock', async () => {
    const { store, notifier, deps } = await world();
    await putPhase(store, 'ROLLING_BACK');

    const result = await reconcileExecution(statusChange('TIMED_OUT'), deps);

    expect(result).toMatchObject({ code: 'RECORDED_ROLLBACK_FAILED', arn: prod.arn });
    expect(await store.getUpgradePhase(prod.arn)).toMatchObject({
      phase: 'HELD_AFTER_ROLLBACK',
      resume: null,
      hold: { outcome: 'FAILED', fromVersion: '1.30', toVersion: '1.29', targetTag: '1.30' },
    });
    const [stored] = await store.listUpgradeRecords(prod.arn);
    expect(stored).toMatchObject({ status: 'FAILED', step: 'ROLLBACK', error: { code: 'ExecutionTIMED_OUT' } });
    expect(await store.getLock(prod.arn)).toBeNull();
    expect(notifier.messages).toHaveLength(1);
    expect(notifier.messages[0]).toMatchObject({
      attributes: { type: 'ROLLBACK_FAILED' },
      event: { detail: { executionName: input.executionName, error: { name: 'ExecutionTIMED_OUT' } } },
    });
  });

  it('a phase of another upgrade does not stop the ordinary reconciliation', async () => {
    const { store, deps } = await world();
    await putPhase(store, 'BAKING', 'prod-1-30-20261121-fedcba9876543210');

    expect(await reconcileExecution(statusChange('ABORTED'), deps)).toMatchObject({ code: 'RECORDED_FAILED' });
    expect((await store.getUpgradePhase(prod.arn))?.phase).toBe('BAKING');
  });

  it('names the error and cause Step Functions gave', async () => {
    const { store, deps } = await world();

    await reconcileExecution(statusChange('TIMED_OUT'), deps);

    expect((await store.listUpgradeRecords(prod.arn))[0]?.error?.message).toContain('States.Timeout');
  });

  it('is idempotent: the same event delivered twice announces once', async () => {
    const { store, notifier, deps } = await world();

    await reconcileExecution(statusChange('ABORTED'), deps);
    const closed = await store.listUpgradeRecords(prod.arn);
    const again = await reconcileExecution(statusChange('ABORTED'), deps);

    expect(again).toMatchObject({ code: 'NO_RUNNING_RECORD' });
    expect(await store.listUpgradeRecords(prod.arn)).toEqual(closed);
    expect(notifier.messages).toHaveLength(1);
  });

  it('leaves a record already SUCCEEDED untouched and announces nothing', async () => {
    const { store, notifier, deps } = await world('SUCCEEDED');
    const before = await store.listUpgradeRecords(prod.arn);

    const result = await reconcileExecution(statusChange('FAILED'), deps);

    expect(result).toMatchObject({ code: 'NO_RUNNING_RECORD' });
    expect(await store.listUpgradeRecords(prod.arn)).toEqual(before);
    expect(notifier.messages).toEqual([]);
  });

  it('a late event finds no RUNNING record and leaves the lock (a newer resume of the upgrade may hold it)', async () => {
    const { store, notifier, deps } = await world('FAILED');
    const lock = await store.getLock(prod.arn);

    const result = await reconcileExecution(statusChange('FAILED'), deps);

    expect(result).toMatchObject({ code: 'NO_RUNNING_RECORD' });
    expect(await store.getLock(prod.arn)).toEqual(lock);
    expect(lock?.holder).toBe(input.executionName);
    expect(notifier.messages).toEqual([]);
  });

  it('ignores another status', async () => {
    const { store, notifier, deps } = await world();

    expect(await reconcileExecution(statusChange('SUCCEEDED'), deps)).toMatchObject({ code: 'IGNORED' });
    expect((await store.listUpgradeRecords(prod.arn))[0]?.status).toBe('RUNNING');
    expect(notifier.messages).toEqual([]);
  });

  it.each([
    ['another kind of event', { 'detail-type': 'EC2 Instance State-change Notification', detail: {} }],
    ['an event without the execution input', statusChange('FAILED', { input: null })],
    ['an event whose input is not JSON', statusChange('FAILED', { input: '{' })],
    ['an event whose input is not an upgrade', statusChange('FAILED', { input: '{"executionName":"x"}' })],
  ])('refuses %s with UpgradeInputError', async (_what, event) => {
    const { deps } = await world();

    await expect(reconcileExecution(event, deps)).rejects.toMatchObject({ name: 'UpgradeInputError' });
  });
});

/**
 * RecordHop: a verified hop is written to the upgrade record (status SUCCEEDED, with its start and end), the lease
 * is renewed, and the progress says whether the target is reached (`done`) or another hop follows.
 */
import { LockLostError } from './errors.ts';
import {
  executionInputSchema,
  parseTaskInput,
  upgradeProgressSchema,
  type UpgradeProgress,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

const recordHopSchema = executionInputSchema.extend({ upgrade: upgradeProgressSchema });

/** Records the finished hop; returns the progress with `done` set when the target is reached. */
export async function recordHop(event: unknown, deps: UpgradeTaskDeps): Promise<UpgradeProgress> {
  const state = parseTaskInput(recordHopSchema, event, 'RecordHop');
  const { upgrade } = state;
  const now = deps.clock();
  const renewed = await deps.store.renewLock(state.cluster.arn, state.executionName, now, deps.lockTtlSeconds);
  if (!renewed) {
    throw new LockLostError(`${state.executionName} no longer holds the lock of ${state.cluster.name}`);
  }
  const hops = [
    ...upgrade.hops,
    {
      fromVersion: upgrade.hop.fromVersion,
      toVersion: upgrade.hop.toVersion,
      status: 'SUCCEEDED' as const,
      startedAt: upgrade.hop.startedAt,
      finishedAt: now.toISOString(),
    },
  ];
  await deps.store.updateUpgradeRecord(
    state.cluster.arn,
    state.startedAt,
    state.executionName,
    { step: 'RECORD_HOP', hops },
    now.toISOString(),
  );
  const done = upgrade.hop.toVersion === upgrade.targetVersion;
  return {
    ...upgrade,
    hops,
    done,
    code: done ? 'TARGET_REACHED' : 'HOP_RECORDED',
    reason: done
      ? `hop ${upgrade.hop.fromVersion} → ${upgrade.hop.toVersion} recorded; the target ${upgrade.targetVersion} is reached`
      : `hop ${upgrade.hop.fromVersion} → ${upgrade.hop.toVersion} recorded; next hop toward ${upgrade.targetVersion}`,
  };
}

/**
 * RecordSuccess / RecordFailure: the upgrade record's final word. A failure keeps the named error, its message and
 * the step it happened at; when the execution failed before it ever opened its record (the lock was held), the
 * record is created here, so every execution leaves one.
 */
import { StoreItemNotFoundError } from '../ports/fleet-store.ts';
import type { UpgradeRecord } from '../ports/fleet-store.ts';
import { causeMessage, outcomeEventSchema, parseTaskInput } from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

/** What was recorded. */
export interface RecordOutcomeResult {
  readonly code: 'RECORDED_SUCCEEDED' | 'RECORDED_FAILED';
  readonly reason: string;
  readonly record: UpgradeRecord;
}

/** Writes the final status of the upgrade record. */
export async function recordUpgradeOutcome(event: unknown, deps: UpgradeTaskDeps): Promise<RecordOutcomeResult> {
  const input = parseTaskInput(outcomeEventSchema, event, 'RecordOutcome');
  const { state } = input;
  const now = deps.clock().toISOString();
  const key = [state.cluster.arn, state.startedAt, state.executionName] as const;
  if (input.outcome === 'SUCCEEDED') {
    const record = await deps.store.updateUpgradeRecord(
      ...key,
      { status: 'SUCCEEDED', step: 'FINISH', error: null, hops: input.state.upgrade.hops, finishedAt: now },
      now,
    );
    return {
      code: 'RECORDED_SUCCEEDED',
      reason: `upgrade of ${state.cluster.name} to ${input.state.upgrade.targetVersion} recorded as SUCCEEDED`,
      record,
    };
  }
  const failed = input.state;
  const error = { code: failed.failure.Error, message: causeMessage(failed.failure.Cause) };
  const patch = {
    status: 'FAILED' as const,
    step: failed.failedStep,
    error,
    hops: failed.upgrade?.hops ?? [],
    finishedAt: now,
  };
  let record: UpgradeRecord;
  try {
    record = await deps.store.updateUpgradeRecord(...key, patch, now);
  } catch (err) {
    if (!(err instanceof StoreItemNotFoundError)) throw err;
    record = {
      arn: state.cluster.arn,
      executionName: state.executionName,
      startedAt: state.startedAt,
      fromVersion: state.cluster.version,
      toVersion: state.targetVersion,
      ...patch,
      updatedAt: now,
    };
    await deps.store.putUpgradeRecord(record);
  }
  await endBakeOf(deps, state.cluster.arn, state.executionName);
  return {
    code: 'RECORDED_FAILED',
    reason: `upgrade of ${state.cluster.name} recorded as FAILED at ${failed.failedStep}: ${error.code}`,
    record,
  };
}

/**
 * Ends the BAKING phase of this execution's upgrade (a bake that failed for good), so the next hourly resume does not
 * fail again and the ordinary hold after a failure applies; a phase of another upgrade, or any other phase, is left.
 */
async function endBakeOf(deps: UpgradeTaskDeps, arn: string, executionName: string): Promise<void> {
  const phase = await deps.store.getUpgradePhase(arn);
  if (phase?.phase === 'BAKING' && phase.resume?.['executionName'] === executionName) {
    await deps.store.deleteUpgradePhase(arn);
  }
}

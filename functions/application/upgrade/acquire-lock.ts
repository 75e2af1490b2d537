/**
 * AcquireLock: takes the cluster's upgrade lock as a lease held by the execution (its name is the holder), and
 * opens the upgrade record (RUNNING). A lock held by anyone else ends the execution with LockHeldError; nothing is
 * touched and nothing of theirs is released. A resume execution (its input carries the `bake`) runs under the baking
 * execution's name: the lease that execution left is its own, and its upgrade record already exists.
 */
import { LockHeldError } from './errors.ts';
import { bakeStateSchema, executionInputSchema, parseTaskInput } from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

/** `$.lock`: the lease the execution holds. */
export interface LockResult {
  readonly code: 'ACQUIRED';
  readonly reason: string;
  readonly holder: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

/** Takes the lock (conditional write) and records the upgrade as RUNNING. */
export async function acquireUpgradeLock(event: unknown, deps: UpgradeTaskDeps): Promise<LockResult> {
  const input = parseTaskInput(executionInputSchema.extend({ bake: bakeStateSchema.optional() }), event, 'AcquireLock');
  const now = deps.clock();
  const result = await deps.store.acquireLock(input.cluster.arn, input.executionName, now, deps.lockTtlSeconds);
  if (!result.acquired) {
    throw new LockHeldError(`cluster ${input.cluster.name} is locked by another upgrade: ${result.reason}`);
  }
  if (input.bake === undefined) await openUpgradeRecord(input, deps, now);
  return {
    code: 'ACQUIRED',
    reason: result.reason,
    holder: result.lease.holder,
    acquiredAt: result.lease.acquiredAt,
    expiresAt: result.lease.expiresAt,
  };
}

async function openUpgradeRecord(
  input: { executionName: string; cluster: { arn: string; version: string }; targetVersion: string; startedAt: string },
  deps: UpgradeTaskDeps,
  now: Date,
): Promise<void> {
  await deps.store.putUpgradeRecord({
    arn: input.cluster.arn,
    executionName: input.executionName,
    startedAt: input.startedAt,
    fromVersion: input.cluster.version,
    toVersion: input.targetVersion,
    status: 'RUNNING',
    step: 'PRE_FLIGHT',
    error: null,
    hops: [],
    updatedAt: now.toISOString(),
    finishedAt: null,
  });
}

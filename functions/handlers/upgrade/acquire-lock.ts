/**
 * AcquireLock: takes the cluster's upgrade lock as a lease held by the execution (its name is the holder), and
 * opens the upgrade record (RUNNING). A lock held by anyone else ends the execution with LockHeldError; nothing is
 * touched and nothing of theirs is released.
 */
import { LockHeldError } from './errors.ts';
import { executionInputSchema, parseTaskInput } from './execution-state.ts';
import type { UpgradeTaskDeps } from './deps.ts';
import { upgradeLambdaHandler, type UpgradeLambdaHandler } from './lambda.ts';

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
  const input = parseTaskInput(executionInputSchema, event, 'AcquireLock');
  const now = deps.clock();
  const result = await deps.store.acquireLock(input.cluster.arn, input.executionName, now, deps.lockTtlSeconds);
  if (!result.acquired) {
    throw new LockHeldError(`cluster ${input.cluster.name} is locked by another upgrade: ${result.reason}`);
  }
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
  return {
    code: 'ACQUIRED',
    reason: result.reason,
    holder: result.lease.holder,
    acquiredAt: result.lease.acquiredAt,
    expiresAt: result.lease.expiresAt,
  };
}

/** The AcquireLock Lambda handler. */
export function createAcquireLockHandler(deps: UpgradeTaskDeps): UpgradeLambdaHandler<LockResult> {
  return upgradeLambdaHandler(acquireUpgradeLock, deps);
}

/**
 * ReleaseLock / ReleaseLockAfterFailure: gives the cluster's upgrade lock back on every end path. Only the
 * execution's own lease is deleted (conditional on the holder), so releasing after "the lock was held by someone
 * else" is safe and leaves their lease alone.
 */
import { executionInputSchema, parseTaskInput } from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

/** RELEASED: our lease is gone; NOT_HELD: we held none (never acquired, expired and taken, or already released). */
export interface ReleaseResult {
  readonly code: 'RELEASED' | 'NOT_HELD';
  readonly reason: string;
}

/** Releases the execution's lease, if it holds one. */
export async function releaseUpgradeLock(event: unknown, deps: UpgradeTaskDeps): Promise<ReleaseResult> {
  const state = parseTaskInput(executionInputSchema, event, 'ReleaseLock');
  const released = await deps.store.releaseLock(state.cluster.arn, state.executionName);
  return released
    ? { code: 'RELEASED', reason: `${state.executionName} released the lock of ${state.cluster.name}` }
    : {
        code: 'NOT_HELD',
        reason: `${state.executionName} held no lock of ${state.cluster.name}; any other holder's lease is left alone`,
      };
}

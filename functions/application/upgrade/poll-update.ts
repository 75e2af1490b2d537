/**
 * The Poll task of each hop phase: renews the execution's lease, reads the update with DescribeUpdate, and says
 * whether to wait again (with a longer wait: 30 → 60 → 120 … 300 s) or move on. A Failed or Cancelled update ends
 * the execution with UpdateFailedError carrying EKS's errors; an update that outlives the workflow's patience with
 * UpdateTimeoutError; a lease lost to someone else with LockLostError.
 */
import { UpdateFailedError } from '../../adapters/eks-upgrader.ts';
import { pollWaitSeconds } from '../../core/upgrade-execution.ts';
import { LockLostError, UpdateTimeoutError, UpgradeInputError } from './errors.ts';
import {
  executionInputSchema,
  parseTaskInput,
  updateOperationSchema,
  type UpdateOperation,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { clusterUpdater } from './live-cluster.ts';

const pollSchema = executionInputSchema.extend({ op: updateOperationSchema });

/** Polls that cover `timeoutSeconds` of growing waits, plus a margin. */
function maxPolls(timeoutSeconds: number): number {
  let polls = 0;
  for (let waited = 0; waited < timeoutSeconds; polls += 1) waited += pollWaitSeconds(polls);
  return polls + 5;
}

/** Polls the phase's running update once. */
export async function pollPhaseUpdate(event: unknown, deps: UpgradeTaskDeps): Promise<UpdateOperation> {
  const state = parseTaskInput(pollSchema, event, 'PollUpdate');
  const { op } = state;
  if (op.update === null || op.startedAt === null) {
    throw new UpgradeInputError(`PollUpdate: ${op.phase} has no update to poll (${op.code})`);
  }
  const now = deps.clock();
  const renewed = await deps.store.renewLock(state.cluster.arn, state.executionName, now, deps.lockTtlSeconds);
  if (!renewed) {
    throw new LockLostError(
      `${state.executionName} no longer holds the lock of ${state.cluster.name}: it expired or was taken; stopping`,
    );
  }
  const view = await clusterUpdater(deps, state.cluster).describeUpdate(op.update);
  const polls = op.polls + 1;
  if (view.status === 'Failed' || view.status === 'Cancelled') {
    const errors = view.errors.length === 0 ? 'no error detail' : view.errors.join('; ');
    throw new UpdateFailedError(`${op.call ?? op.phase} (update ${view.id}) ended ${view.status}: ${errors}`);
  }
  if (view.status === 'Successful') {
    return { ...op, code: 'UPDATE_SUCCEEDED', reason: `${op.call ?? op.phase} succeeded`, status: 'Successful', polls };
  }
  const runningSeconds = (now.getTime() - Date.parse(op.startedAt)) / 1000;
  // The poll count bounds the wait too, should the clock stand still (a pinned local clock).
  if (runningSeconds > deps.updateTimeoutSeconds || polls > maxPolls(deps.updateTimeoutSeconds)) {
    throw new UpdateTimeoutError(
      `${op.call ?? op.phase} (update ${view.id}) is still InProgress after ${Math.round(runningSeconds)} s and ` +
        `${polls} polls (limit ${deps.updateTimeoutSeconds} s)`,
    );
  }
  return {
    ...op,
    code: 'UPDATE_IN_PROGRESS',
    reason: `${op.call ?? op.phase} is InProgress after ${polls} poll(s)`,
    status: 'InProgress',
    polls,
    waitSeconds: pollWaitSeconds(polls),
  };
}

/**
 * ReconcileExecution: the target of the EventBridge rule on the upgrade state machine's "Step Functions Execution
 * Status Change" events with status FAILED, TIMED_OUT or ABORTED. An execution stopped or timed out outside its own
 * Catch leaves its upgrade record RUNNING and its lock held: this closes the record FAILED (code
 * `EXECUTION_<status>`), announces UPGRADE_FAILED naming the status and releases the lock. Idempotent: a record the
 * workflow already closed (its own Catch ran, then the execution FAILED) or an event delivered twice changes
 * nothing and announces nothing.
 */
import { z } from 'zod';
import { reconcileEndedExecution } from '../reconcile-upgrades.ts';
import type { ReconciledUpgrade } from '../reconcile-upgrades.ts';
import { ENDED_STATUSES } from '../../core/upgrade-reconciliation.ts';
import type { TelemetryDeps } from '../ports/telemetry.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { UpgradeInputError } from './errors.ts';
import { executionInputSchema, parseTaskInput } from './execution-state.ts';
import { validationProblems } from '../../core/validation-problems.ts';

/** The `detail-type` of the events the rule forwards. */
const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** The part of a Step Functions status-change event this task reads. */
const statusChangeSchema = z.object({
  'detail-type': z.literal(EXECUTION_STATUS_CHANGE),
  detail: z.object({
    executionArn: z.string().min(1),
    name: z.string().min(1),
    status: z.string().min(1),
    /** The execution input as JSON text; null when too large to be included (upgrade inputs are < 1 KB). */
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** Dependencies of ReconcileExecution. */
export type ReconcileExecutionDeps = Pick<UpgradeTaskDeps, 'store' | 'notifier' | 'clock'> & TelemetryDeps;

/** What the task did with one event. */
export type ReconcileExecutionResult = ReconciledUpgrade | { readonly code: 'IGNORED'; readonly reason: string };

function causeOf(detail: { error?: string | null; cause?: string | null }): string {
  const parts = [detail.error, detail.cause].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length === 0 ? 'Step Functions gave no error or cause' : parts.join(': ');
}

/**
 * Reconciles the upgrade of one execution that ended FAILED, TIMED_OUT or ABORTED; another status is IGNORED.
 *
 * @throws UpgradeInputError when the event is not a status change of an upgrade execution with its input (the
 *   nightly reconciliation closes such a record through DescribeExecution).
 */
export async function reconcileExecution(
  event: unknown,
  deps: ReconcileExecutionDeps,
): Promise<ReconcileExecutionResult> {
  const telemetry = deps.telemetry;
  const parsed = statusChangeSchema.safeParse(event);
  if (!parsed.success) {
    const problems = validationProblems(parsed.error, '(event)');
    throw new UpgradeInputError(`ReconcileExecution: not an execution status change: ${problems.join('; ')}`);
  }
  const { detail } = parsed.data;
  if (!(ENDED_STATUSES as readonly string[]).includes(detail.status)) {
    telemetry.count('ExecutionsReconciled', 0);
    return { code: 'IGNORED', reason: `execution ${detail.name} is ${detail.status}: nothing to reconcile` };
  }
  if (detail.input === undefined || detail.input === null) {
    throw new UpgradeInputError(`ReconcileExecution: the event of ${detail.name} carries no input`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(detail.input) as unknown;
  } catch (error) {
    throw new UpgradeInputError(`ReconcileExecution: the input of ${detail.name} is not JSON`, { cause: error });
  }
  const input = parseTaskInput(executionInputSchema, raw, 'ReconcileExecution');
  const result = await reconcileEndedExecution(
    { input, status: detail.status, cause: causeOf(detail) },
    deps.store,
    deps.notifier,
    deps.clock().toISOString(),
  );
  // Counted as the nightly's UpgradesReconciled is: only a record this event closed (most FAILED events are of
  // executions that recorded their own failure: NO_RUNNING_RECORD).
  const closed = result.code === 'RECORDED_FAILED' || result.code === 'RECORDED_ROLLBACK_FAILED';
  telemetry.count('ExecutionsReconciled', closed ? 1 : 0);
  telemetry.info('upgrade execution reconciled', { executionArn: detail.executionArn, ...result });
  return result;
}

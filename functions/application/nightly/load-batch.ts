/**
 * LoadBatch, the first task of a batch execution (statemachines/nightly-audit-batch.asl.json): reads the batch's
 * account-regions from the table, where StartRun wrote them, so the executions carry only run id and batch number
 * and the account-regions enter a state only inside their own batch (at most the batch size, whatever the fleet's size).
 */
import type { LoadBatchDeps } from './nightly-deps.ts';
import { BatchNotFoundError, loadBatchEventSchema, parseEvent } from './nightly-events.ts';
import type { AccountRegionInput } from './nightly-events.ts';

/** Output of LoadBatch: the input of the batch's Map over its account-regions. */
export interface LoadBatchResult {
  readonly runId: string;
  readonly now: string;
  readonly maxConcurrency: number;
  readonly targets: readonly AccountRegionInput[];
}

/**
 * Loads one batch of a run.
 *
 * @throws NightlyEventError on a malformed event; BatchNotFoundError when the run has no such batch.
 */
export async function loadBatch(event: unknown, deps: LoadBatchDeps): Promise<LoadBatchResult> {
  const telemetry = deps.telemetry;
  const input = parseEvent('LoadBatch', loadBatchEventSchema, event);
  const targets = await deps.store.getRunBatch(input.runId, input.batch);
  if (targets === null) throw new BatchNotFoundError(input.runId, input.batch);
  telemetry.count('BatchTargets', targets.length);
  return { runId: input.runId, now: input.now, maxConcurrency: input.maxConcurrency, targets };
}

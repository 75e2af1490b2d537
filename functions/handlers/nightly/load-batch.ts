/**
 * LoadBatch, the first task of a batch execution (statemachines/nightly-audit-batch.asl.json): reads the batch's
 * account-regions from the table, where StartRun wrote them, so the executions carry only run id and batch number
 * and the targets enter a state only inside their own batch (at most the batch size, whatever the fleet's size).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '../observability.ts';
import type { LoadBatchDeps } from './deps.ts';
import { BatchNotFoundError, loadBatchEventSchema, parseEvent } from './events.ts';
import type { Target } from './events.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';

/** Output of LoadBatch: the input of the batch's Map over its targets. */
export interface LoadBatchResult {
  readonly runId: string;
  readonly now: string;
  readonly maxConcurrency: number;
  readonly targets: readonly Target[];
}

/**
 * Loads one batch of a run.
 *
 * @throws NightlyEventError on a malformed event; BatchNotFoundError when the run has no such batch.
 */
export async function loadBatch(event: unknown, deps: LoadBatchDeps): Promise<LoadBatchResult> {
  const input = parseEvent('LoadBatch', loadBatchEventSchema, event);
  const targets = await deps.store.getRunBatch(input.runId, input.batch);
  if (targets === null) throw new BatchNotFoundError(input.runId, input.batch);
  metrics.addMetric('BatchTargets', MetricUnit.Count, targets.length);
  return { runId: input.runId, now: input.now, maxConcurrency: input.maxConcurrency, targets };
}

/** The LoadBatch Lambda handler (middy + Powertools) around {@link loadBatch}. */
export function createLoadBatchHandler(deps: LoadBatchDeps): LambdaHandler<LoadBatchResult> {
  return lambdaHandler((event) => loadBatch(event, deps));
}

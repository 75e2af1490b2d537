/**
 * StartRun, the first task of the nightly audit: fixes the run's clock and id, discovers the member accounts
 * (Organizations or the configured list), records the run as RUNNING and returns one target per account-region,
 * in batches: the parent machine starts one child execution per batch (statemachines/nightly-audit-batch.asl.json),
 * whose Map fans the batch's targets out so that one slow or failing account cannot sink the run.
 */
import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../observability.ts';
import type { StartRunDeps } from './deps.ts';
import { RunAlreadyStartedError, parseEvent, startRunEventSchema } from './events.ts';
import type { Target } from './events.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';

/** Account-regions audited at once when neither the input nor the deps say. */
export const DEFAULT_MAX_CONCURRENCY = 10;

/**
 * Account-regions per child execution when neither the input nor the deps say: 250 targets × ~7 history events
 * stay far below a Standard execution's 25,000, and 250 targets (~12 KB) far below the 256 KB payload limit.
 */
export const DEFAULT_BATCH_SIZE = 250;

/** Output of StartRun: what the batch Map state and FinishRun need. */
export interface StartRunResult {
  readonly runId: string;
  /** The run's clock, ISO: every task of the run judges the fleet at this instant. */
  readonly now: string;
  /** Account-regions audited at once inside each batch. */
  readonly maxConcurrency: number;
  /**
   * Every scheduled target, sorted by account then region, cut into batches of at most the batch size. The only
   * copy of the target list in the execution's state: FinishRun reads the scheduled targets from it.
   */
  readonly batches: readonly (readonly Target[])[];
}

/** Cuts `items` into consecutive chunks of at most `size` (none for no items): ceil(n / size) chunks, order kept. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** A run id that sorts by time and is unique: `20261122T120000Z-1a2b3c4d`. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}

/**
 * Starts a nightly run. Accounts are discovered before the run is recorded, so a retried StartRun (Organizations
 * throttled) leaves no orphan run behind.
 *
 * @throws NightlyEventError on a malformed event; RunAlreadyStartedError when the given run id exists.
 */
export async function startRun(event: unknown, deps: StartRunDeps): Promise<StartRunResult> {
  const input = parseEvent('StartRun', startRunEventSchema, event);
  const now = input.now === undefined ? deps.clock() : new Date(input.now);
  const nowIso = now.toISOString();
  const runId = input.runId ?? newRunId(now);
  const accounts = await deps.discoverAccounts();
  const accountIds = [...new Set(accounts.map((account) => account.id))].sort();
  const regions = [...new Set(deps.regions)].sort();
  const targets = accountIds.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  if (!(await deps.store.startRun(runId, nowIso))) throw new RunAlreadyStartedError(runId);
  metrics.addMetric('TargetsScheduled', MetricUnit.Count, targets.length);
  const batches = chunk(targets, input.batchSize ?? deps.batchSize ?? DEFAULT_BATCH_SIZE);
  logger.info('nightly run started', {
    runId,
    now: nowIso,
    accounts: accountIds.length,
    targets: targets.length,
    batches: batches.length,
  });
  return {
    runId,
    now: nowIso,
    maxConcurrency: input.maxConcurrency ?? deps.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    batches,
  };
}

/** The StartRun Lambda handler (middy + Powertools) around {@link startRun}. */
export function createStartRunHandler(deps: StartRunDeps): LambdaHandler<StartRunResult> {
  return lambdaHandler((event) => startRun(event, deps));
}

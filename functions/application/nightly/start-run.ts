/**
 * StartRun, the first task of the nightly audit: fixes the run's clock and id, discovers the member accounts
 * (Organizations or the configured list), writes each account-region into the table in batches, records
 * the run as RUNNING and returns the run id and the number of batches. The parent machine starts one child
 * execution per batch (statemachines/nightly-audit-batch.asl.json), which loads its batch from the table and fans
 * its account-regions out, so that one slow or failing account cannot sink the run and no state payload grows with the
 * fleet (batches travel by reference).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_CONCURRENCY } from '../../core/defaults.ts';
import type { StartRunDeps } from './nightly-deps.ts';
import { RunAlreadyStartedError, parseEvent, startRunEventSchema } from './nightly-events.ts';

/**
 * Output of StartRun: what the batch loop and FinishRun need. Its size does not depend on the fleet: the account-regions
 * are in the table (`RUN#<runId>` / `BATCH#<n>`), sorted by account then region, cut into batches of at most the
 * batch size.
 */
export interface StartRunResult {
  readonly runId: string;
  /** The run's clock, ISO: every task of the run judges the fleet at this instant. */
  readonly now: string;
  /** Account-regions audited at once inside each batch. */
  readonly maxConcurrency: number;
  /** How many batches StartRun wrote (0 for no account-regions). */
  readonly batchCount: number;
  /** The next batch to audit: the loop of the nightly machine starts at 0 and counts up to `batchCount`. */
  readonly batchIndex: number;
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
  const telemetry = deps.telemetry;
  const input = parseEvent('StartRun', startRunEventSchema, event);
  const now = input.now === undefined ? deps.clock() : new Date(input.now);
  const nowIso = now.toISOString();
  const runId = input.runId ?? newRunId(now);
  const accounts = await deps.discoverAccounts();
  const accountIds = [...new Set(accounts.map((account) => account.id))].sort();
  const regions = [...new Set(deps.regions)].sort();
  const targets = accountIds.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  const batches = chunk(targets, input.batchSize ?? deps.batchSize ?? DEFAULT_BATCH_SIZE);
  if (!(await deps.store.startRun(runId, nowIso))) throw new RunAlreadyStartedError(runId);
  // After the run record, so a refused run id never overwrites another run's batches; a retry after a failed write
  // gets a new run id (or RunAlreadyStartedError for a given one), and abandoned batch items expire (TTL).
  await deps.store.putRunBatches(runId, nowIso, batches);
  telemetry.count('TargetsScheduled', targets.length);
  telemetry.info('nightly run started', {
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
    batchCount: batches.length,
    batchIndex: 0,
  };
}

/**
 * The events the nightly state machine (statemachines/nightly-audit.asl.json) passes to its tasks, validated with
 * zod at the edge of every handler, and the named errors the tasks raise so the machine's Retry/Catch can match them.
 */
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN as ACCOUNT_ID, REGION_PATTERN as REGION } from '../../core/identifiers.ts';
import { validationProblems } from '../../core/validation-problems.ts';

/** Run ids name DynamoDB keys and log lines: letters, digits and `._:-`. */
const RUN_ID = /^[A-Za-z0-9._:-]{1,100}$/;

const isoInstant = z.string().refine((text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)), {
  error: 'must be an ISO-8601 instant like 2026-11-22T12:00:00Z',
});
const runId = z.string().regex(RUN_ID, 'must be 1-100 letters, digits or ._:-');
const accountId = z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id');
const region = z.string().regex(REGION, 'must be an AWS region name');

/** One unit of work of the fan-out: an account-region. */
const accountRegionSchema = z.object({ accountId, region });
export type AccountRegionInput = z.infer<typeof accountRegionSchema>;

/**
 * Input of StartRun: the execution input. Every field is optional — a scheduled run passes `{}` — and unknown
 * fields (an EventBridge envelope) are ignored.
 */
export const startRunEventSchema = z.object({
  /** Fixes the run's clock (reproducible local runs); default: the handler's clock. */
  now: isoInstant.optional(),
  /** Default: generated from the clock and a random suffix. */
  runId: runId.optional(),
  /** Account-regions audited at once by the Map state of each batch. */
  maxConcurrency: z.number().int().min(1).max(1000).optional(),
  /**
   * Account-regions per child execution of the batch machine (default 250). At most 500: an account-region retried three
   * times and then recorded as failed writes about 21 history events, so a failing region stays under 25,000.
   */
  batchSize: z.number().int().min(1).max(500).optional(),
});
export type StartRunEvent = z.infer<typeof startRunEventSchema>;

/** Input of AuditAccountRegion: one Map iteration. */
export const auditAccountRegionEventSchema = z.object({ runId, now: isoInstant, accountId, region });
export type AuditAccountRegionEvent = z.infer<typeof auditAccountRegionEventSchema>;

/** The error output a Step Functions `Catch` adds to the state input (`ResultPath: "$.error"`). */
const caughtErrorSchema = z.object({
  Error: z.string().min(1),
  /** A Lambda's cause is a JSON string `{ errorType, errorMessage, trace }`; other causes are plain text. */
  Cause: z.string().nullish(),
});
export type CaughtError = z.infer<typeof caughtErrorSchema>;

/** Input of RecordAccountRegionFailure: the iteration's input plus the caught error. */
export const recordAccountRegionFailureEventSchema = auditAccountRegionEventSchema.extend({ error: caughtErrorSchema });

/**
 * Input of LoadBatch, the first task of a batch execution: which batch of which run (the batch's account-regions are read
 * from the table, where StartRun wrote them), the run's clock and how many account-regions to audit at once.
 */
export const loadBatchEventSchema = z.object({
  runId,
  now: isoInstant,
  batch: z.number().int().min(0),
  maxConcurrency: z.number().int().min(1).max(1000),
});

/**
 * Input of FinishRun: the run. The scheduled account-regions (to find those that recorded no outcome) are read from the
 * run's batch items, where StartRun wrote them; a direct call may give them as `targets` instead.
 */
export const finishRunEventSchema = z.object({
  runId,
  now: isoInstant,
  targets: z.array(accountRegionSchema).optional(),
});

/** Input of DispatchUpgrades: FinishRun's candidates (only their ARNs are trusted; reports are re-read). */
export const dispatchUpgradesEventSchema = z.object({
  runId,
  now: isoInstant,
  /** Absent when FinishRun failed: the dispatcher then works the candidates out from the store. */
  upgradeCandidates: z.array(z.object({ arn: z.string().startsWith('arn:') }).loose()).optional(),
  /** The scheduled account-regions (with no candidates), to tell which account-regions were not read. */
  batches: z.array(z.array(accountRegionSchema)).optional(),
  /** The error FinishRun failed with, when it did. */
  finishError: z.string().optional(),
});
export type DispatchUpgradesEvent = z.infer<typeof dispatchUpgradesEventSchema>;

/** An event that does not match its task's schema: a wiring bug, never retried. */
class NightlyEventError extends Error {
  readonly code = 'INVALID_EVENT';
  /** One line per problem, `path: message`. */
  readonly issues: readonly string[];

  constructor(task: string, issues: readonly string[], options?: { cause?: unknown }) {
    super(`${task}: invalid event: ${issues.join('; ')}`, options);
    this.name = 'NightlyEventError';
    this.issues = issues;
  }
}

/** A run id that was already started: a second StartRun for the same run must not start it twice. */
export class RunAlreadyStartedError extends Error {
  readonly code = 'RUN_ALREADY_STARTED';

  constructor(runId: string) {
    super(`audit run ${runId} was already started`);
    this.name = 'RunAlreadyStartedError';
  }
}

/** A batch execution was started for a batch its run does not have (StartRun did not write it). */
export class BatchNotFoundError extends Error {
  readonly code = 'BATCH_NOT_FOUND';

  constructor(runId: string, batch: number) {
    super(`audit run ${runId} has no batch ${batch}`);
    this.name = 'BatchNotFoundError';
  }
}

/** FinishRun was asked to finish a run that was never started. */
export class RunNotFoundError extends Error {
  readonly code = 'RUN_NOT_FOUND';

  constructor(runId: string) {
    super(`audit run ${runId} was never started`);
    this.name = 'RunNotFoundError';
  }
}

/**
 * Some messages could not be published. Their ledger claims were given back, so the retried FinishRun (or the next
 * run) sends them; everything else the run did stands.
 */
export class AlertDeliveryError extends Error {
  readonly code = 'ALERT_DELIVERY_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertDeliveryError';
  }
}

/**
 * Validates `event` against `schema`.
 *
 * @throws NightlyEventError naming the task and every problem.
 */
export function parseEvent<T>(task: string, schema: z.ZodType<T>, event: unknown): T {
  const result = schema.safeParse(event);
  if (!result.success) {
    const issues = validationProblems(result.error, '(event)');
    throw new NightlyEventError(task, issues, { cause: result.error });
  }
  return result.data;
}

/**
 * Runs the nightly state machine (statemachines/nightly-audit.asl.json) in-process: every Task state is wired to
 * the same middy handler its Lambda runs, invoked with the event and a minimal Lambda context, and the `AuditBatch`
 * Task (a `startExecution.sync:2` of the batch machine in AWS) runs statemachines/nightly-audit-batch.asl.json the
 * same way, to its end, as a child execution. This is how `fleet-auditor nightly` and the end-to-end tests execute
 * the pipeline that runs in AWS.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { runLocalStateMachine, substituteDefinition } from '../adapters/local-step-functions.ts';
import type { LocalExecutionResult, LocalTask } from '../adapters/local-step-functions.ts';
import {
  createAuditAccountRegionHandler,
  createDispatchUpgradesHandler,
  createFinishRunHandler,
  createLoadBatchHandler,
  createRecordAccountRegionFailureHandler,
  createStartRunHandler,
} from '../handlers/nightly-handlers.ts';
import type { NightlyDeps } from '../application/nightly/nightly-deps.ts';
import type { StartRunEvent } from '../application/nightly/nightly-events.ts';
import type { DispatchUpgradesResult } from '../application/nightly/dispatch-upgrades.ts';
import type { FinishRunResult } from '../application/nightly/finish-run.ts';
import type { LambdaHandler } from '../handlers/lambda-handler.ts';
import { readRunUpgradeLists } from '../application/nightly/run-upgrade-lists.ts';
import type { HeldByWaves, UpgradeCandidate } from '../core/upgrade-candidates.ts';

/** Where the nightly state machine's definition lives. */
export const NIGHTLY_DEFINITION_URL = new URL('../../statemachines/nightly-audit.asl.json', import.meta.url);

/** Where the batch machine's definition lives: the child execution the nightly machine starts per batch. */
export const NIGHTLY_BATCH_DEFINITION_URL = new URL(
  '../../statemachines/nightly-audit-batch.asl.json',
  import.meta.url,
);

/** The Lambda Task states of the nightly machines (parent and batch), by the name the definitions give them. */
export type NightlyTaskName =
  'StartRun' | 'LoadBatch' | 'AuditAccountRegion' | 'RecordAccountRegionFailure' | 'FinishRun' | 'DispatchUpgrades';

/** The ARN the batch machine has in local runs. */
export const LOCAL_BATCH_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:fleet-auditor-nightly-audit-batch';

/** Execution ARNs of the nightly machine in local runs, without the execution name. */
const LOCAL_NIGHTLY_EXECUTION_PREFIX = 'arn:aws:states:us-east-1:000000000000:execution:fleet-auditor-nightly-audit';

/**
 * The definition substitutions CDK fills in (`${StartRunFunctionArn}` …, `${AuditBatchStateMachineArn}`), with
 * local ARNs.
 */
export const LOCAL_NIGHTLY_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    (
      [
        'StartRun',
        'LoadBatch',
        'AuditAccountRegion',
        'RecordAccountRegionFailure',
        'FinishRun',
        'DispatchUpgrades',
      ] as const
    ).map((task) => [`${task}FunctionArn`, localFunctionArn(task)]),
  ),
  AuditBatchStateMachineArn: LOCAL_BATCH_STATE_MACHINE_ARN,
};

/** The ARN a Task's Lambda has in local runs. */
export function localFunctionArn(task: NightlyTaskName): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:fleet-auditor-${task}`;
}

/** The nightly machine's definition, parsed, with `substitutions` applied (default: local ARNs). */
export async function loadNightlyDefinition(
  substitutions: Readonly<Record<string, string>> = LOCAL_NIGHTLY_SUBSTITUTIONS,
): Promise<unknown> {
  const text = await readFile(NIGHTLY_DEFINITION_URL, 'utf8');
  return JSON.parse(substituteDefinition(text, substitutions)) as unknown;
}

/** The batch machine's definition, parsed, with `substitutions` applied (default: local ARNs). */
export async function loadNightlyBatchDefinition(
  substitutions: Readonly<Record<string, string>> = LOCAL_NIGHTLY_SUBSTITUTIONS,
): Promise<unknown> {
  const text = await readFile(NIGHTLY_BATCH_DEFINITION_URL, 'utf8');
  return JSON.parse(substituteDefinition(text, substitutions)) as unknown;
}

/**
 * A child execution of the batch machine did not succeed. Named as Step Functions names a failed
 * `startExecution.sync` task, so the parent's Retry and Catch treat it as they do in AWS.
 */
export class ChildExecutionFailedError extends Error {
  readonly code = 'CHILD_EXECUTION_FAILED';

  constructor(executionArn: string, error: string | null, cause: string | null) {
    super(`child execution ${executionArn} failed: ${error ?? 'Error'}${cause === null ? '' : `: ${cause}`}`);
    this.name = 'States.TaskFailed';
  }
}

/** A Lambda context good enough for middy and Powertools outside Lambda (15 minutes left, as at a cold start). */
export function localLambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The handlers of the pipeline, each built once from `deps`, by Task state name. */
export function createNightlyHandlers(deps: NightlyDeps): Record<NightlyTaskName, LambdaHandler<unknown>> {
  return {
    StartRun: createStartRunHandler(deps),
    LoadBatch: createLoadBatchHandler(deps),
    AuditAccountRegion: createAuditAccountRegionHandler(deps),
    RecordAccountRegionFailure: createRecordAccountRegionFailureHandler(deps),
    FinishRun: createFinishRunHandler(deps),
    DispatchUpgrades: createDispatchUpgradesHandler(deps),
  };
}

/** Options of {@link runNightlyLocally}. */
export interface LocalNightlyOptions {
  readonly deps: NightlyDeps;
  /** The execution input (default `{}`: the handlers' clock and a new run id). */
  readonly input?: StartRunEvent;
  /** Replaces handlers by Task name (tests that make one task fail); default: the real ones. */
  readonly handlers?: Partial<Record<NightlyTaskName, LambdaHandler<unknown>>>;
}

/**
 * The execution's output — FinishRun's result, with DispatchUpgrades' under `dispatch` — completed with the lists
 * those tasks handed on by reference (read back from the run's list items): the candidates, the clusters held by
 * the wave rule, and every dispatch entry (not only the starts the state carried).
 */
export type NightlyRunOutput = FinishRunResult & {
  readonly upgradeCandidates: readonly UpgradeCandidate[];
  readonly heldByWaves: readonly HeldByWaves[];
  readonly dispatch: DispatchUpgradesResult;
};

/** The output a succeeded execution carried in its state. */
type NightlyStateOutput = FinishRunResult & { readonly dispatch: DispatchUpgradesResult };

/** The execution's output with the run's lists read back from the store. */
async function withRunLists(store: NightlyDeps['store'], output: NightlyStateOutput): Promise<NightlyRunOutput> {
  const lists = await readRunUpgradeLists(store, output.runId);
  const entries = lists.dispatchEntries ?? output.dispatch.entries;
  return {
    ...output,
    upgradeCandidates: lists.upgradeCandidates ?? [],
    heldByWaves: lists.heldByWaves ?? [],
    dispatch: { ...output.dispatch, entries },
  };
}

/** How a local nightly execution ended; `result` is its output when it succeeded. */
export interface LocalNightlyResult {
  /** The parent execution, with `statesEntered` including the children's states. */
  readonly execution: LocalExecutionResult;
  readonly result: NightlyRunOutput | null;
  /** The largest state payload (bytes) of the parent and every child execution. */
  readonly maxStatePayloadBytes: number;
  /** History events (as AWS would count them) of the largest execution, parent or child. */
  readonly maxExecutionEvents: number;
  /** How many child (batch) executions ran. */
  readonly childExecutions: number;
}

/** The `Input` of a `startExecution` request (an object, or JSON text as the API takes it). */
function startExecutionInput(request: unknown): unknown {
  const input = typeof request === 'object' && request !== null ? (request as { Input?: unknown }).Input : undefined;
  return typeof input === 'string' ? (JSON.parse(input) as unknown) : (input ?? {});
}

/**
 * Executes the nightly state machine once, in-process, through the real middy handlers; each batch runs as a local
 * child execution of the batch machine. `statesEntered` lists the parent's states with each child's states right
 * after the `AuditBatch` that started it (in the order the batches were started).
 */
export async function runNightlyLocally(options: LocalNightlyOptions): Promise<LocalNightlyResult> {
  const handlers = { ...createNightlyHandlers(options.deps), ...options.handlers };
  const tasks: Record<string, LocalTask> = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (input: unknown): Promise<unknown> => handler(input, localLambdaContext(`fleet-auditor-${name}`)),
    ]),
  );
  const batchDefinition = await loadNightlyBatchDefinition();
  const children: (readonly string[])[] = [];
  let childPayload = 0;
  let childEvents = 0;
  const batchTasks = {
    LoadBatch: tasks['LoadBatch'],
    AuditAccountRegion: tasks['AuditAccountRegion'],
    RecordAccountRegionFailure: tasks['RecordAccountRegionFailure'],
  };
  // What `arn:aws:states:::states:startExecution.sync:2` does: start the child with the given input, wait for its
  // end, return its description (output as JSON), or fail the task when the child did not succeed.
  const auditBatch: LocalTask = async (request) => {
    const input = startExecutionInput(request);
    const started = children.push([]) - 1;
    const executionArn = `${LOCAL_BATCH_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${randomUUID()}`;
    const child = await runLocalStateMachine({
      definition: batchDefinition,
      input,
      tasks: batchTasks as Record<string, LocalTask>,
    });
    children[started] = child.statesEntered;
    childPayload = Math.max(childPayload, child.maxStatePayloadBytes);
    childEvents = Math.max(childEvents, child.historyEvents);
    if (child.status !== 'SUCCEEDED') throw new ChildExecutionFailedError(executionArn, child.error, child.cause);
    return { ExecutionArn: executionArn, Status: child.status, Input: input, Output: child.output };
  };
  const name = randomUUID();
  const execution = await runLocalStateMachine({
    definition: await loadNightlyDefinition(),
    input: options.input ?? {},
    // The Catch path of a failed FinishRun calls the same DispatchUpgrades Lambda from a second Task state.
    tasks: {
      ...tasks,
      AuditBatch: auditBatch,
      DispatchUpgradesAfterFailedFinish: tasks['DispatchUpgrades'] as LocalTask,
    },
    context: { Execution: { Id: `${LOCAL_NIGHTLY_EXECUTION_PREFIX}:${name}`, Name: name } },
  });
  let batch = 0;
  const statesEntered = execution.statesEntered.flatMap((state) =>
    state === 'AuditBatch' ? [state, ...(children[batch++] ?? [])] : [state],
  );
  return {
    execution: { ...execution, statesEntered },
    result:
      execution.status === 'SUCCEEDED'
        ? await withRunLists(options.deps.store, execution.output as NightlyStateOutput)
        : null,
    maxStatePayloadBytes: Math.max(execution.maxStatePayloadBytes, childPayload),
    maxExecutionEvents: Math.max(execution.historyEvents, childEvents),
    childExecutions: children.length,
  };
}

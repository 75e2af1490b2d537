/**
 * Runs the nightly state machine (statemachines/nightly-audit.asl.json) in-process: every Task state is wired to
 * the same middy handler its Lambda runs, invoked with the event and a minimal Lambda context. This is how
 * `fleet-auditor nightly` and the end-to-end tests execute the pipeline that runs in AWS.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { runLocalStateMachine, substituteDefinition } from '../../adapters/local-step-functions.ts';
import type { LocalExecutionResult } from '../../adapters/local-step-functions.ts';
import { createAuditTargetHandler } from './audit-target.ts';
import { createDispatchUpgradesHandler } from './dispatch-upgrades.ts';
import type { NightlyDeps } from './deps.ts';
import type { StartRunEvent } from './events.ts';
import { createFinishRunHandler } from './finish-run.ts';
import type { DispatchUpgradesResult } from './dispatch-upgrades.ts';
import type { FinishRunResult } from './finish-run.ts';
import type { LambdaHandler } from '../lambda-handler.ts';
import { createStartRunHandler } from './start-run.ts';
import { createRecordTargetFailureHandler } from './target-failure.ts';

/** Where the nightly state machine's definition lives. */
export const NIGHTLY_DEFINITION_URL = new URL('../../../statemachines/nightly-audit.asl.json', import.meta.url);

/** The Task states of the nightly machine, by the name the definition gives them. */
export type NightlyTaskName = 'StartRun' | 'AuditTarget' | 'RecordTargetFailure' | 'FinishRun' | 'DispatchUpgrades';

/** The definition substitutions CDK fills in (`${StartRunFunctionArn}` …), with local function ARNs. */
export const LOCAL_NIGHTLY_SUBSTITUTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  (['StartRun', 'AuditTarget', 'RecordTargetFailure', 'FinishRun', 'DispatchUpgrades'] as const).map((task) => [
    `${task}FunctionArn`,
    localFunctionArn(task),
  ]),
);

/** The ARN a Task's Lambda has in local runs. */
export function localFunctionArn(task: NightlyTaskName): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:fleet-auditor-${task}`;
}

/** The nightly machine's definition, parsed, with `substitutions` applied (default: local function ARNs). */
export async function loadNightlyDefinition(
  substitutions: Readonly<Record<string, string>> = LOCAL_NIGHTLY_SUBSTITUTIONS,
): Promise<unknown> {
  const text = await readFile(NIGHTLY_DEFINITION_URL, 'utf8');
  return JSON.parse(substituteDefinition(text, substitutions)) as unknown;
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
    AuditTarget: createAuditTargetHandler(deps),
    RecordTargetFailure: createRecordTargetFailureHandler(deps),
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

/** The execution's output: FinishRun's result, with DispatchUpgrades' under `dispatch`. */
export type NightlyRunOutput = FinishRunResult & { readonly dispatch: DispatchUpgradesResult };

/** How a local nightly execution ended; `result` is its output when it succeeded. */
export interface LocalNightlyResult {
  readonly execution: LocalExecutionResult;
  readonly result: NightlyRunOutput | null;
}

/** Executes the nightly state machine once, in-process, through the real middy handlers. */
export async function runNightlyLocally(options: LocalNightlyOptions): Promise<LocalNightlyResult> {
  const handlers = { ...createNightlyHandlers(options.deps), ...options.handlers };
  const tasks = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (input: unknown): Promise<unknown> => handler(input, localLambdaContext(`fleet-auditor-${name}`)),
    ]),
  );
  const execution = await runLocalStateMachine({
    definition: await loadNightlyDefinition(),
    input: options.input ?? {},
    tasks,
  });
  return {
    execution,
    result: execution.status === 'SUCCEEDED' ? (execution.output as NightlyRunOutput) : null,
  };
}

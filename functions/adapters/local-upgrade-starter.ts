/**
 * The local implementation of the dispatcher's `UpgradeStarter`: runs `statemachines/upgrade-cluster.asl.json` in
 * process (aws-local-stepfunctions), every Task wired to the real task handlers, against whatever the deps point at
 * (the simulator, dynalite). Like Step Functions it refuses a second execution of the same name — it knows the names
 * it ran and the upgrade records every execution leaves — and its `completion` resolves when the execution ends.
 */
import { readFile } from 'node:fs/promises';
import { runLocalStateMachine, substituteDefinition } from './local-step-functions.ts';
import type { LocalExecutionResult, LocalTask } from './local-step-functions.ts';
import { crashPoint } from '../shared/crash-point.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';
import type { UpgradeTaskDeps } from '../application/upgrade/upgrade-deps.ts';
import type { ExecutionOutcome, UpgradeStarter, UpgradeStartResult } from '../application/ports/upgrade-starter.ts';
import { UPGRADE_FUNCTIONS, upgradeLocalTasks } from '../application/upgrade/upgrade-tasks.ts';

/** Where the upgrade state machine's definition lives in the repository. */
export const UPGRADE_DEFINITION_URL = new URL('../../statemachines/upgrade-cluster.asl.json', import.meta.url);

/**
 * Reads the upgrade state machine's definition with every function substitution replaced by a local placeholder ARN
 * (the local runner calls the task functions in their place, but validates the definition as Step Functions would).
 */
export async function loadUpgradeDefinition(): Promise<unknown> {
  const text = await readFile(UPGRADE_DEFINITION_URL, 'utf8');
  const substitutions = Object.fromEntries(
    Object.keys(UPGRADE_FUNCTIONS).map((name) => [
      name,
      `arn:aws:lambda:us-east-1:123456789012:function:local-${name.replace(/FunctionArn$/, '')}`,
    ]),
  );
  return JSON.parse(substituteDefinition(text, substitutions)) as unknown;
}

/** Options of {@link runUpgradeLocally} and {@link LocalUpgradeStarter}. */
export interface LocalUpgradeOptions {
  readonly deps: UpgradeTaskDeps;
  /** The parsed definition; default: the repository's file. */
  readonly definition?: unknown;
  /** Milliseconds each Wait state pauses locally (default 5). */
  readonly waitMs?: number;
  /** Milliseconds between retries locally (default 5). */
  readonly retryMs?: number;
}

/** Runs one upgrade execution locally to its end. */
export async function runUpgradeLocally(
  input: UpgradeExecutionInput,
  options: LocalUpgradeOptions,
): Promise<LocalExecutionResult> {
  return runLocalStateMachine({
    definition: options.definition ?? (await loadUpgradeDefinition()),
    input,
    tasks: Object.fromEntries(
      Object.entries(upgradeLocalTasks(options.deps)).map(([state, task]) => [
        state,
        (taskInput: Parameters<LocalTask>[0]): Promise<unknown> => {
          crashPoint('upgrade-step');
          return task(taskInput);
        },
      ]),
    ),
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
  });
}

/** Starts upgrade executions in process; each `completion` resolves when its execution ends. */
export class LocalUpgradeStarter implements UpgradeStarter {
  private readonly names = new Set<string>();
  /** Every execution this starter ran, with how it ended (for logs and tests). */
  readonly results = new Map<string, LocalExecutionResult>();

  constructor(private readonly options: LocalUpgradeOptions) {}

  /**
   * ALREADY_STARTED when this starter ran the name, or the store holds an upgrade record of it. `executionName` names
   * a resume execution (default: the input's name).
   */
  async start(input: UpgradeExecutionInput, executionName?: string): Promise<UpgradeStartResult> {
    const name = executionName ?? input.executionName;
    const recorded = (await this.options.deps.store.listUpgradeRecords(input.cluster.arn)).some(
      (record) => record.executionName === name,
    );
    if (this.names.has(name) || recorded) {
      return {
        code: 'ALREADY_STARTED',
        executionArn: null,
        reason: `an execution named ${name} already ran: this upgrade was started today`,
      };
    }
    this.names.add(name);
    // As Step Functions keeps a name for 90 days, the store keeps it across runs: a rerun after a crash refuses it
    // (the execution that was RUNNING is reconciled at the start of `nightly`, never started again).
    const store = this.options.deps.store;
    if (!(await store.startExecution(name, JSON.stringify(input), this.options.deps.clock().toISOString()))) {
      return {
        code: 'ALREADY_STARTED',
        executionArn: null,
        reason: `an execution named ${name} already ran: this upgrade was started today`,
      };
    }
    const definition = this.options.definition ?? (await loadUpgradeDefinition());
    // Let the dispatcher announce the start before the execution's first state runs.
    const completion = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runUpgradeLocally(input, { ...this.options, definition }))
      .then(
        async (result): Promise<ExecutionOutcome> => {
          this.results.set(name, result);
          await store.finishExecution(name, result.status, this.options.deps.clock().toISOString());
          return { status: result.status, error: result.error, cause: result.cause };
        },
        (error: unknown): ExecutionOutcome => ({
          status: 'FAILED',
          error: error instanceof Error ? error.name : 'Error',
          cause: error instanceof Error ? error.message : String(error),
        }),
      );
    return { code: 'STARTED', executionArn: null, reason: `local execution ${name} started`, completion };
  }
}

/**
 * A clock that starts at `start` and advances with real time: local runs pin the product clock (`--now`) yet need
 * simulated updates to finish. Give the same clock to the simulator and the upgrade deps.
 */
export function advancingClock(start: Date, realNow: () => number = Date.now): () => Date {
  const origin = realNow();
  return () => new Date(start.getTime() + (realNow() - origin));
}

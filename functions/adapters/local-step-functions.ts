/**
 * Runs an Amazon States Language definition locally (aws-local-stepfunctions), every Task wired to an
 * in-process handler: how `fleet-auditor nightly` and the tests execute the same state machines that run in AWS.
 * Waits and retry intervals are shortened (the simulator's updates are fast); the control flow is not changed.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A Task's local implementation: receives the state's effective input, returns its result. */
export type LocalTask = (input: Json) => Promise<unknown>;

export interface LocalExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output: unknown;
  /** The named error the execution failed with (`UpgradeFailedError`, `States.TaskFailed`, …). */
  readonly error: string | null;
  readonly cause: string | null;
  /** States entered, in order (Map iterations included), for tests and logs. */
  readonly statesEntered: readonly string[];
  /** The largest input or output any state of this execution carried, in bytes of JSON (UTF-8). */
  readonly maxStatePayloadBytes: number;
  /**
   * The history events this execution would have in AWS: every local event (execution, state entered and exited,
   * Map iteration) plus, per Task state entered, its TaskScheduled, TaskStarted and TaskSucceeded or TaskFailed.
   */
  readonly historyEvents: number;
}

function payloadBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions needs. */
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Replaces `${Name}` definition substitutions (as CDK does) with the given values. */
export function substituteDefinition(text: string, substitutions: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => substitutions[name] ?? whole);
}

interface StateLike {
  Type?: string;
  Retry?: unknown[];
  Iterator?: { States?: Record<string, StateLike> };
  ItemProcessor?: { States?: Record<string, StateLike> };
  Branches?: { States?: Record<string, StateLike> }[];
}

/** Every state of the definition, nested Map and Parallel states included, by name. */
function allStates(states: Record<string, StateLike> | undefined): [string, StateLike][] {
  return Object.entries(states ?? {}).flatMap(([name, state]) => [
    [name, state] as [string, StateLike],
    ...allStates(state.Iterator?.States ?? state.ItemProcessor?.States),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

/** Runs one execution to its end. Task errors keep their `name`, so Retry/Catch match them as in AWS. */
export async function runLocalStateMachine(options: {
  definition: unknown;
  input: unknown;
  tasks: Readonly<Record<string, LocalTask>>;
  /** Milliseconds every Wait state pauses locally (default 5). */
  waitMs?: number;
  /** Milliseconds between retries locally (default 5). */
  retryMs?: number;
  /** The execution's context object (`$$.Execution.Id` …); default: none. */
  context?: { Execution?: { Id?: string; Name?: string } };
}): Promise<LocalExecutionResult> {
  polyfillWithResolvers();
  const definition = options.definition as StateMachineDefinition & { States: Record<string, StateLike> };
  const states = allStates(definition.States);
  const missing = states.filter(([name, s]) => s.Type === 'Task' && options.tasks[name] === undefined).map(([n]) => n);
  if (missing.length > 0) throw new Error(`no local handler for Task state(s): ${missing.join(', ')}`);
  const waitTimeOverrides = Object.fromEntries(
    states.filter(([, s]) => s.Type === 'Wait').map(([name]) => [name, options.waitMs ?? 5]),
  );
  const retryIntervalOverrides = Object.fromEntries(
    states.filter(([, s]) => s.Retry !== undefined).map(([name]) => [name, options.retryMs ?? 5]),
  );
  // Not validated here: compiling the ASL schemas costs about a second of CPU per process (every `nightly` run).
  // Every shipped definition is validated by asl-validator (the validator aws-local-stepfunctions uses) in the
  // tests: test/handlers/nightly-state-machine.test.ts and test/statemachines/upgrade-definition.test.ts.
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const execution = machine.run(options.input as Json, {
    ...(options.context === undefined ? {} : { context: options.context }),
    overrides: {
      taskResourceLocalHandlers: options.tasks as Record<string, (input: Json) => Promise<Json>>,
      waitTimeOverrides,
      retryIntervalOverrides,
    },
  });
  const statesEntered: string[] = [];
  let maxStatePayloadBytes = payloadBytes(options.input);
  let historyEvents = 0;
  const events = (async () => {
    for await (const event of execution.eventLogs) {
      historyEvents += 1;
      if (event.type === 'StateEntered' || event.type === 'StateExited') {
        const { state } = event;
        maxStatePayloadBytes = Math.max(maxStatePayloadBytes, payloadBytes(state.input), payloadBytes(state.output));
        if (event.type === 'StateEntered') {
          statesEntered.push(state.name);
          if (state.type === 'Task') historyEvents += 3;
        }
      }
    }
  })();
  try {
    const output = await execution.result;
    await events;
    return {
      status: 'SUCCEEDED',
      output,
      error: null,
      cause: null,
      statesEntered,
      maxStatePayloadBytes,
      historyEvents,
    };
  } catch (error) {
    await events.catch(() => undefined);
    const failure = error as { name?: string; message?: string; cause?: unknown };
    const caught = failure.cause as { name?: string; message?: string } | undefined;
    return {
      status: 'FAILED',
      output: null,
      error: caught?.name ?? failure.name ?? 'Error',
      cause: caught?.message ?? failure.message ?? null,
      statesEntered,
      maxStatePayloadBytes,
      historyEvents,
    };
  }
}

/**
 * Reading the state machines in `statemachines/` and the Lambda entries in `functions/handlers/entry/` the way the
 * hub stack wires them: every `${Name}` in a definition is a definition substitution the stack must provide, and
 * `${<Task>FunctionArn}` is the function built from the entry module named after that task.
 *
 * Pure file reading and string work, no CDK, so the conventions are tested on their own.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One `*.asl.json` file and what it asks the stack to substitute. */
export interface StateMachineDefinition {
  /** File name without `.asl.json`, e.g. `nightly-audit`. */
  readonly name: string;
  readonly path: string;
  /** The definition text exactly as written (substitutions still in it). */
  readonly text: string;
  /** Every distinct `${Name}`, sorted. */
  readonly substitutions: readonly string[];
  /** Every Task state, with its `TimeoutSeconds` and the `${...}` naming its target. */
  readonly tasks: readonly TaskState[];
}

/** A Task state of a definition, wherever it is nested (Map and Parallel included). */
export interface TaskState {
  readonly stateName: string;
  /** The substitution naming the task's target (`Resource`, or `Parameters.FunctionName`), e.g. `StartRunFunctionArn`. */
  readonly resourceSubstitution: string | null;
  readonly timeoutSeconds: number | null;
}

/** Thrown when a definition or an entry does not follow the conventions above. */
export class DefinitionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DefinitionError';
  }
}

const SUBSTITUTION = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const FUNCTION_ARN = /^([A-Z][A-Za-z0-9]*)FunctionArn$/;

/** Every distinct `${Name}` in `text`, sorted. */
export function substitutionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(SUBSTITUTION)].map((match) => match[1] ?? ''))].sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name when `value` is exactly one `${Name}`, else null. */
function wholeSubstitution(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(value)?.[1] ?? null;
}

/** Walks `States` (and the nested ones of Map and Parallel) and collects every Task state. */
function collectTasks(states: unknown, into: TaskState[]): void {
  if (!isRecord(states)) return;
  for (const [stateName, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    if (state['Type'] === 'Task') {
      const parameters = isRecord(state['Parameters']) ? state['Parameters'] : {};
      const timeout = state['TimeoutSeconds'];
      into.push({
        stateName,
        // `"Resource": "${XFunctionArn}"`, or the `lambda:invoke` integration's `"FunctionName": "${XFunctionArn}"`.
        resourceSubstitution: wholeSubstitution(state['Resource']) ?? wholeSubstitution(parameters['FunctionName']),
        timeoutSeconds: typeof timeout === 'number' ? timeout : null,
      });
    }
    for (const nested of [state['ItemProcessor'], state['Iterator']]) {
      if (isRecord(nested)) collectTasks(nested['States'], into);
    }
    if (Array.isArray(state['Branches'])) {
      for (const branch of state['Branches']) if (isRecord(branch)) collectTasks(branch['States'], into);
    }
  }
}

/** Parses one definition file; throws DefinitionError when it is not JSON with `States`. */
export function readDefinition(path: string): StateMachineDefinition {
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new DefinitionError(`${path} is not valid JSON`, { cause: error });
  }
  if (!isRecord(parsed) || !isRecord(parsed['States'])) throw new DefinitionError(`${path} has no States`);
  const tasks: TaskState[] = [];
  collectTasks(parsed['States'], tasks);
  return { name: basename(path, '.asl.json'), path, text, substitutions: substitutionsIn(text), tasks };
}

/** Every `*.asl.json` in `directory`, sorted by name (none when the directory does not exist). */
export function readDefinitions(directory: string): StateMachineDefinition[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.asl.json'))
    .sort()
    .map((file) => readDefinition(join(directory, file)));
}

/** Entry module names (`nightly-start-run`) in `directory`, sorted; test files are not entries. */
export function listEntries(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => basename(file, '.ts'))
    .sort();
}

/** `StartRun` → `start-run`, `AcquireLock` → `acquire-lock`. */
export function kebabCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** The task name of a `${<Task>FunctionArn}` substitution, or null when it names something else. */
export function functionTaskName(substitution: string): string | null {
  return FUNCTION_ARN.exec(substitution)?.[1] ?? null;
}

/**
 * The entry module that implements `${<Task>FunctionArn}` of the state machine `definitionName`: the entries are
 * named `<family>-<task>` (family = the definition's first word: `nightly-audit` → `nightly`), or `<task>` alone.
 *
 * @example entryForFunction('nightly-audit', 'StartRunFunctionArn', ['nightly-start-run']) // 'nightly-start-run'
 */
export function entryForFunction(
  definitionName: string,
  substitution: string,
  entries: readonly string[],
): string | null {
  const task = functionTaskName(substitution);
  if (task === null) return null;
  const family = definitionName.split('-')[0] ?? definitionName;
  const kebab = kebabCase(task);
  const candidates = [`${family}-${kebab}`, kebab];
  return candidates.find((candidate) => entries.includes(candidate)) ?? null;
}

const STATE_MACHINE_ARN = /^([A-Z][A-Za-z0-9]*)StateMachineArn$/;

/**
 * The definition a `${<Name>StateMachineArn}` substitution of `definitionName` names, by the same convention as
 * the entries: `<family>-<name>` (`nightly-audit` + `AuditBatchStateMachineArn` → `nightly-audit-batch`), or
 * `<name>` alone; null when no such definition exists or the substitution names no state machine. A definition
 * never names itself.
 *
 * @example stateMachineForSubstitution('nightly-audit', 'AuditBatchStateMachineArn', ['nightly-audit-batch']) // 'nightly-audit-batch'
 */
export function stateMachineForSubstitution(
  definitionName: string,
  substitution: string,
  definitionNames: readonly string[],
): string | null {
  const name = STATE_MACHINE_ARN.exec(substitution)?.[1];
  if (name === undefined) return null;
  const family = definitionName.split('-')[0] ?? definitionName;
  const kebab = kebabCase(name);
  const candidates = [`${family}-${kebab}`, kebab].filter((candidate) => candidate !== definitionName);
  return candidates.find((candidate) => definitionNames.includes(candidate)) ?? null;
}

/**
 * `definition` without its top-level Task state whose target is `${substitution}`: the states that went to it go
 * where it went (its `Next`, or the end). Used for the audit-only deployment, which has no upgrade dispatcher.
 * Returns the definition unchanged when no such state exists.
 */
export function withoutTask(definition: StateMachineDefinition, substitution: string): StateMachineDefinition {
  const parsed = JSON.parse(definition.text) as { StartAt?: string; States: Record<string, Record<string, unknown>> };
  const removed = Object.entries(parsed.States).find(
    ([, state]) =>
      state['Type'] === 'Task' &&
      (wholeSubstitution(state['Resource']) === substitution ||
        (isRecord(state['Parameters']) && wholeSubstitution(state['Parameters']['FunctionName']) === substitution)),
  );
  if (removed === undefined) return definition;
  const [name, state] = removed;
  const next = typeof state['Next'] === 'string' ? state['Next'] : null;
  if (parsed.StartAt === name) {
    if (next === null) throw new DefinitionError(`${definition.path}: cannot remove ${name}, the only state`);
    parsed.StartAt = next;
  }
  const { [name]: _dropped, ...rest } = parsed.States;
  for (const other of Object.values(rest)) {
    if (other['Next'] !== name) continue;
    if (next === null) {
      delete other['Next'];
      other['End'] = true;
    } else {
      other['Next'] = next;
    }
  }
  const text = JSON.stringify({ ...parsed, States: rest }, null, 2);
  const tasks: TaskState[] = [];
  collectTasks(rest, tasks);
  // Every task calling that function goes (the nightly machine dispatches from two states).
  return withoutTask({ ...definition, text, substitutions: substitutionsIn(text), tasks }, substitution);
}

/**
 * The upgrade state machine's definition as a document: valid ASL (asl-validator 4.0.0) once CDK's substitutions
 * are in, every Task served by a real task function, retries only for retryable named errors, every working state
 * caught into the failure chain, and every state documented. How it runs is upgrade-cluster.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { substituteDefinition } from '../../functions/adapters/local-step-functions.ts';
import { UPGRADE_STEPS } from '../../functions/core/upgrade-execution.ts';
import { RETRYABLE_ERRORS, UPDATE_IN_PROGRESS_ERROR } from '../../functions/application/upgrade/errors.ts';
import { UPGRADE_FUNCTIONS, UPGRADE_TASK_STATES } from '../../functions/application/upgrade/upgrade-tasks.ts';

interface Retrier {
  ErrorEquals: string[];
}
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Result?: unknown;
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Next: string }[];
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

type AslValidator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: unknown[] };

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as AslValidator;

const TEXT = readFileSync(new URL('../../statemachines/upgrade-cluster.asl.json', import.meta.url), 'utf8');
const README = readFileSync(new URL('../../statemachines/README.md', import.meta.url), 'utf8');
const DEFINITION = JSON.parse(TEXT) as Definition;
const STATES = Object.entries(DEFINITION.States);
const TASKS = STATES.filter(([, s]) => s.Type === 'Task');

/** As CDK deploys it: each `${XFunctionArn}` replaced by that function's ARN. */
function deployed(): unknown {
  const arns = Object.fromEntries(
    Object.keys(UPGRADE_FUNCTIONS).map((name) => [name, `arn:aws:lambda:eu-west-1:123456789012:function:${name}`]),
  );
  return JSON.parse(substituteDefinition(TEXT, arns));
}

function successors(state: State): string[] {
  return [
    ...(state.Next === undefined ? [] : [state.Next]),
    ...(state.Default === undefined ? [] : [state.Default]),
    ...(state.Choices ?? []).map((c) => c.Next),
    ...(state.Catch ?? []).map((c) => c.Next),
  ];
}

describe('statemachines/upgrade-cluster.asl.json', () => {
  it('passes asl-validator with its function ARNs substituted', () => {
    const { isValid, errors } = validate(deployed());

    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('serves every Task state with the task function of its substitution', () => {
    expect(TASKS.map(([name]) => name).sort()).toEqual(Object.keys(UPGRADE_TASK_STATES).sort());
    for (const [name, state] of TASKS) expect(state.Resource).toBe(`\${${UPGRADE_TASK_STATES[name]}}`);
  });

  it('uses only the substitutions the upgrade functions provide', () => {
    const used = new Set([...TEXT.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));

    expect([...used].sort()).toEqual(Object.keys(UPGRADE_FUNCTIONS).sort());
  });

  it('retries only retryable named errors, never States.ALL', () => {
    const retried = new Set(TASKS.flatMap(([, s]) => (s.Retry ?? []).flatMap((r) => r.ErrorEquals)));

    expect([...retried].sort()).toEqual([...RETRYABLE_ERRORS, UPDATE_IN_PROGRESS_ERROR].sort());
  });

  it('retries UpdateInProgressError only where an update is started (idempotent by token)', () => {
    const retrying = TASKS.filter(([, s]) =>
      (s.Retry ?? []).some((r) => r.ErrorEquals.includes('UpdateInProgressError')),
    );

    expect(retrying.map(([name]) => UPGRADE_TASK_STATES[name]).sort()).toEqual(
      [...Array<string>(4).fill('StartUpdateFunctionArn'), 'RollbackFunctionArn'].sort(),
    );
  });

  it('catches every error of every working state into a FailedAt… state that names a step and records the failure', () => {
    const chain = new Set([
      'RecordFailure',
      'NotifyFailure',
      'ReleaseLockAfterFailure',
      'NotifySuccess',
      'ReleaseLock',
      'RecordRollback',
      'ReleaseLockAfterRollback',
      'RecordRollbackFailure',
      'ReleaseLockAfterRollbackFailure',
    ]);
    const steps = new Set<unknown>();
    for (const [name, state] of TASKS) {
      if (chain.has(name)) continue;
      const [catcher] = state.Catch ?? [];
      expect(catcher, name).toMatchObject({ ErrorEquals: ['States.ALL'], ResultPath: '$.failure' });
      const failed = DEFINITION.States[catcher?.Next ?? ''];
      // A failed rollback has its own chain: it holds the cluster and is never retried.
      const record = failed?.Result === 'ROLLBACK' ? 'RecordRollbackFailure' : 'RecordFailure';
      expect(failed, name).toMatchObject({ Type: 'Pass', ResultPath: '$.failedStep', Next: record });
      steps.add(failed?.Result);
    }
    expect([...steps].sort()).toEqual([...UPGRADE_STEPS].sort());
  });

  it('releases the lock on every path to an end state but Baking', () => {
    const ends = STATES.filter(([, s]) => s.Type === 'Succeed' || s.Type === 'Fail').map(([name]) => name);
    const before = new Map<string, string[]>();
    for (const [name, state] of STATES) {
      for (const next of new Set(successors(state))) before.set(next, [...(before.get(next) ?? []), name]);
    }

    expect(ends.sort()).toEqual(['Baking', 'RollbackFailed', 'RolledBack', 'UpgradeFailed', 'UpgradeSucceeded']);
    expect(before.get('UpgradeSucceeded')).toEqual(['ReleaseLock']);
    expect(before.get('UpgradeFailed')).toEqual(['ReleaseLockAfterFailure']);
    expect(before.get('RolledBack')).toEqual(['ReleaseLockAfterRollback']);
    expect(before.get('RollbackFailed')).toEqual(['ReleaseLockAfterRollbackFailure']);
    // Baking keeps the lock on purpose: the lease covers the bake, and only its own checks end there.
    expect(before.get('Baking')?.sort()).toEqual(['BakeDecision', 'BakeStarted']);
    expect(DEFINITION.States['UpgradeFailed']).toMatchObject({ ErrorPath: '$.failure.Error' });
  });

  it('reaches every state from the start', () => {
    const seen = new Set<string>();
    const queue = [DEFINITION.StartAt];
    while (queue.length > 0) {
      const name = queue.shift() ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...successors(DEFINITION.States[name] ?? { Type: 'Succeed' }));
    }

    expect([...seen].sort()).toEqual(STATES.map(([name]) => name).sort());
  });

  it('documents every state name in statemachines/README.md', () => {
    const undocumented = STATES.map(([name]) => name).filter((name) => !README.includes(`\`${name}\``));

    expect(undocumented).toEqual([]);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DefinitionError,
  entryForFunction,
  functionTaskName,
  kebabCase,
  listEntries,
  readDefinition,
  readDefinitions,
  stateMachineForSubstitution,
  substitutionsIn,
} from '../../infra/definitions.ts';

function tempFile(name: string, text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'fleet-auditor-asl-'));
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('substitutionsIn', () => {
  it('lists each ${Name} once, sorted', () => {
    expect(substitutionsIn('{"a":"${B}","b":"${A}","c":"${B}","d":"$.notOne","e":"${not-a-name}"}')).toEqual([
      'A',
      'B',
    ]);
  });
});

describe('kebabCase', () => {
  it.each([
    ['StartRun', 'start-run'],
    ['AuditAccountRegion', 'audit-account-region'],
    ['RecordAccountRegionFailure', 'record-account-region-failure'],
    ['PreFlight', 'pre-flight'],
    ['UpgradeV2', 'upgrade-v2'],
  ])('turns %s into %s', (pascal, kebab) => {
    expect(kebabCase(pascal)).toBe(kebab);
  });
});

describe('functionTaskName', () => {
  it.each([
    ['StartRunFunctionArn', 'StartRun'],
    ['TopicArn', null],
    ['FunctionArn', null],
    ['startRunFunctionArn', null],
  ])('reads %s as task %s', (substitution, task) => {
    expect(functionTaskName(substitution)).toBe(task);
  });
});

describe('entryForFunction', () => {
  const entries = ['nightly-start-run', 'upgrade-acquire-lock', 'notify', 'nightly-notify'];

  it('finds the entry named <family>-<task> for the definition', () => {
    expect(entryForFunction('nightly-audit', 'StartRunFunctionArn', entries)).toBe('nightly-start-run');
    expect(entryForFunction('upgrade-cluster', 'AcquireLockFunctionArn', entries)).toBe('upgrade-acquire-lock');
  });

  it('prefers the family entry over a bare one, and falls back to the bare one', () => {
    expect(entryForFunction('nightly-audit', 'NotifyFunctionArn', entries)).toBe('nightly-notify');
    expect(entryForFunction('upgrade-cluster', 'NotifyFunctionArn', entries)).toBe('notify');
  });

  it('finds nothing for a task without an entry, or for a substitution that is not a function', () => {
    expect(entryForFunction('nightly-audit', 'AcquireLockFunctionArn', entries)).toBeNull();
    expect(entryForFunction('nightly-audit', 'TopicArn', entries)).toBeNull();
  });
});

describe('stateMachineForSubstitution', () => {
  const names = ['nightly-audit', 'nightly-audit-batch', 'upgrade-cluster', 'cleanup'];

  it.each([
    ['nightly-audit', 'AuditBatchStateMachineArn', 'nightly-audit-batch'],
    ['nightly-audit', 'CleanupStateMachineArn', 'cleanup'],
    ['nightly-audit', 'NoSuchStateMachineArn', null],
    ['nightly-audit', 'AuditBatchFunctionArn', null],
    ['nightly-audit-batch', 'AuditBatchStateMachineArn', null],
  ])('reads %s ${%s} as the definition %s', (definition, substitution, expected) => {
    expect(stateMachineForSubstitution(definition, substitution, names)).toBe(expected);
  });
});

describe('readDefinition', () => {
  it('collects Task states at every depth, with their timeouts and target substitutions', () => {
    const path = tempFile(
      'demo-flow.asl.json',
      JSON.stringify({
        StartAt: 'First',
        States: {
          First: { Type: 'Task', Resource: '${FirstFunctionArn}', TimeoutSeconds: 60, Next: 'Fan' },
          Fan: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Inner',
              States: {
                Inner: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: '${InnerFunctionArn}' },
                  End: true,
                },
              },
            },
            Next: 'Both',
          },
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Publish',
                States: {
                  Publish: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::sns:publish',
                    Parameters: { TopicArn: '${TopicArn}' },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        },
      }),
    );

    const definition = readDefinition(path);

    expect(definition.name).toBe('demo-flow');
    expect(definition.substitutions).toEqual(['FirstFunctionArn', 'InnerFunctionArn', 'TopicArn']);
    expect(definition.tasks).toEqual([
      { stateName: 'First', resourceSubstitution: 'FirstFunctionArn', timeoutSeconds: 60 },
      { stateName: 'Inner', resourceSubstitution: 'InnerFunctionArn', timeoutSeconds: null },
      { stateName: 'Publish', resourceSubstitution: null, timeoutSeconds: null },
    ]);
  });

  it.each([
    ['text that is not JSON', '{ "StartAt": '],
    ['JSON without States', '{ "StartAt": "A" }'],
  ])('refuses %s with a DefinitionError', (_label, text) => {
    expect(() => readDefinition(tempFile('broken.asl.json', text))).toThrow(DefinitionError);
  });
});

describe('readDefinitions and listEntries', () => {
  it('find nothing in a directory that does not exist', () => {
    expect(readDefinitions('/nonexistent/statemachines')).toEqual([]);
    expect(listEntries('/nonexistent/entry')).toEqual([]);
  });

  it('list entry modules by name, leaving out tests and declarations', () => {
    const directory = mkdtempSync(join(tmpdir(), 'fleet-auditor-entries-'));
    for (const file of ['b-task.ts', 'a-task.ts', 'a-task.test.ts', 'types.d.ts', 'README.md']) {
      writeFileSync(join(directory, file), '');
    }

    expect(listEntries(directory)).toEqual(['a-task', 'b-task']);
  });
});

/**
 * The AWS side of upgrade reconciliation in the synthesized hub (with cdk-nag on): the EventBridge rule on the
 * upgrade machine's executions that end FAILED, TIMED_OUT or ABORTED, the function it invokes and what its role
 * holds, and DescribeExecution for the nightly reconciliation on the upgrade machine's executions only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '../../infra/function-access.ts';
import { actionsOf, configWith, resourcesOf, sharedSynthesis, statementsOf } from './infra-fixtures.ts';
import type { SynthesizedApp, Statement } from './infra-fixtures.ts';

let app: SynthesizedApp;
let auditOnly: SynthesizedApp;
beforeAll(() => {
  app = sharedSynthesis();
  auditOnly = sharedSynthesis(configWith({ maxConcurrentUpgrades: 0 }));
}, 240_000);

type Resource = { Properties: Record<string, unknown> };

function logicalIdOf(template: SynthesizedApp['hub'], type: string, match: (r: Resource) => boolean): string {
  const found = Object.entries(resourcesOf(template, type)).find(([, r]) => match(r));
  if (found === undefined) throw new Error(`no ${type} matches`);
  return found[0];
}

function functionId(entry: string): string {
  return logicalIdOf(app.hub, 'AWS::Lambda::Function', (fn) =>
    String(fn.Properties['Description']).endsWith(` task ${entry}`),
  );
}

/** The statements of the policies attached to the role of `entry`'s function. */
function roleStatements(entry: string): Statement[] {
  const fn = resourcesOf(app.hub, 'AWS::Lambda::Function')[functionId(entry)];
  const role = (fn?.Properties['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';
  return Object.values(resourcesOf(app.hub, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties['Roles']).includes(`"${role}"`))
    .flatMap((policy) => statementsOf(policy.Properties['PolicyDocument']));
}

const upgradeMachineId = (): string =>
  logicalIdOf(app.hub, 'AWS::StepFunctions::StateMachine', (m) =>
    String(m.Properties['StateMachineName']).endsWith('-upgrade-cluster'),
  );

describe('the upgrade execution status rule', () => {
  it('matches the upgrade machine’s executions that end FAILED, TIMED_OUT or ABORTED and invokes the function', () => {
    const rules = Object.values(resourcesOf(app.hub, 'AWS::Events::Rule'));
    const rule = rules.find((r) => JSON.stringify(r.Properties['EventPattern']).includes('Execution Status Change'));

    expect(rule?.Properties['EventPattern']).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: upgradeMachineId() }] },
    });
    expect(rule?.Properties['Targets']).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [functionId('upgrade-reconcile-execution'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    ]);
  });

  it('lets EventBridge invoke the function through that rule only', () => {
    const permissions = Object.values(resourcesOf(app.hub, 'AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties['FunctionName']).includes(functionId('upgrade-reconcile-execution')),
    );

    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [expect.stringContaining('ExecutionEnded') as unknown, 'Arn'] },
    });
  });

  it('gives the function writes of locks and upgrade records, publishing, and no Step Functions or member role', () => {
    const statements = roleStatements('upgrade-reconcile-execution');
    const actions = statements.flatMap(actionsOf);
    const writes = statements.find((s) => s.Sid === 'WriteOwnItemKinds');

    expect(JSON.stringify(writes?.Condition)).toContain('"LOCK#*","UPGRADE#*"');
    expect(actions).toContain('sns:Publish');
    expect(actions.filter((a) => a.startsWith('states:') || a.startsWith('sts:'))).toEqual([]);
    expect(FUNCTION_ACCESS['upgrade-reconcile-execution']?.upgradePath).toBe(true);
  });
});

describe('DescribeExecution for the nightly reconciliation', () => {
  it('is held by the dispatcher only, on the upgrade machine’s executions only', () => {
    const describe = roleStatements('nightly-dispatch-upgrades').filter((s) =>
      actionsOf(s).includes('states:DescribeExecution'),
    );
    const holders = Object.keys(FUNCTION_ACCESS).filter((entry) => {
      try {
        return roleStatements(entry).some((s) => actionsOf(s).includes('states:DescribeExecution'));
      } catch {
        return false;
      }
    });

    expect(describe).toHaveLength(1);
    expect(actionsOf(describe[0] as Statement)).toEqual(['states:DescribeExecution']);
    expect(JSON.stringify(describe[0]?.Resource)).toMatch(/:execution:fleet-auditor-upgrade-cluster:\*"/);
    expect(holders).toEqual(['nightly-dispatch-upgrades']);
  });
});

describe('an audit-only deployment', () => {
  it('has neither the rule nor its function', () => {
    const rules = Object.values(resourcesOf(auditOnly.hub, 'AWS::Events::Rule'));
    const functions = Object.values(resourcesOf(auditOnly.hub, 'AWS::Lambda::Function'));

    expect(JSON.stringify(rules)).not.toContain('Execution Status Change');
    expect(functions.some((fn) => String(fn.Properties['Description']).includes('reconcile'))).toBe(false);
  });

  it('has neither the hourly bake-check schedule nor its function', () => {
    const schedules = Object.values(resourcesOf(auditOnly.hub, 'AWS::Scheduler::Schedule'));
    const functions = Object.values(resourcesOf(auditOnly.hub, 'AWS::Lambda::Function'));

    expect(schedules.map((s) => s.Properties['Name'])).toEqual([`${configWith({}).namespace}-nightly-audit`]);
    expect(functions.some((fn) => String(fn.Properties['Description']).includes('resume-bakes'))).toBe(false);
  });
});

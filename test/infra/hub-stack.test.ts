import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { roleNames } from '../../functions/core/naming.ts';
import { readEnvironment } from '../../functions/handlers/environment.ts';
import { DefinitionError, entryForFunction, listEntries, readDefinitions } from '../../infra/definitions.ts';
import { PROJECT_ROOT, addFleetAuditorStacks } from '../../infra/fleet-auditor-app.ts';
import type { BuildOptions, FleetAuditorStacks } from '../../infra/fleet-auditor-app.ts';
import { LAMBDA_RUNTIME } from '../../infra/function-factory.ts';
import type { FunctionFactory } from '../../infra/function-factory.ts';
import { HANDLER_METRICS } from '../../infra/constructs/monitoring.ts';
import { handlerEnvironment } from '../../infra/stacks/hub-stack.ts';
import {
  CDK_CONTEXT,
  CHECKED_IN_CONFIG,
  actionsOf,
  configWith,
  evaluate,
  resourcesOf,
  sharedSynthesis,
  statementsOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
} from './infra-fixtures.ts';
import type { Statement, SynthesizedApp } from './infra-fixtures.ts';
import { EVENT_ENTRIES, FUNCTION_ACCESS } from '../../infra/function-access.ts';

const DEFINITIONS = readDefinitions(join(PROJECT_ROOT, 'statemachines'));
const NAMES = roleNames(CHECKED_IN_CONFIG.namespace);

let app: SynthesizedApp;
// The first synthesis of a worker loads all of aws-cdk-lib: seconds, more on a busy machine.
beforeAll(() => {
  app = sharedSynthesis();
}, 120_000);

type Resource = { Properties: Record<string, unknown> };

function stateMachineNamed(name: string): [string, Resource] {
  const found = Object.entries(resourcesOf(app.hub, 'AWS::StepFunctions::StateMachine')).find(
    ([, machine]) => machine.Properties['StateMachineName'] === `${CHECKED_IN_CONFIG.namespace}-${name}`,
  );
  if (found === undefined) throw new Error(`no state machine ${name}`);
  return found;
}

function functionNamed(entry: string): Resource {
  const found = Object.values(resourcesOf(app.hub, 'AWS::Lambda::Function')).find(
    (fn) => String(fn.Properties['Description']).split(' task ')[1] === entry,
  );
  if (found === undefined) throw new Error(`no function for ${entry}`);
  return found;
}

function roleOfFunction(entry: string): string {
  return (functionNamed(entry).Properties['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';
}

const HUB_PSEUDO = {
  'AWS::Partition': 'aws',
  'AWS::Region': CHECKED_IN_CONFIG.hubRegion,
  'AWS::AccountId': CHECKED_IN_CONFIG.hubAccountId,
};

function policiesOfRole(logicalId: string): ReturnType<typeof statementsOf> {
  return Object.values(resourcesOf(app.hub, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties['Roles']) === JSON.stringify([{ Ref: logicalId }]))
    .flatMap((policy) => statementsOf(evaluate(policy.Properties['PolicyDocument'], { 'AWS::Partition': 'aws' })));
}

/** Replaces what CloudFormation fills in at deploy time by plausible literals, as Lambda would see them. */
function deployedEnvironment(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      if (key === 'TOPIC_ARN') return [key, 'arn:aws:sns:eu-west-1:111111111111:fleet-auditor-alerts'];
      return [key, `resolved-${key.toLowerCase()}`];
    }),
  );
}

describe('HubStack state machines', () => {
  it('loads every definition in statemachines/', () => {
    expect(DEFINITIONS.map((definition) => definition.name)).toEqual(
      expect.arrayContaining(['nightly-audit', 'nightly-audit-batch', 'upgrade-cluster']),
    );
    for (const definition of DEFINITIONS) stateMachineNamed(definition.name);
  });

  it.each(DEFINITIONS.map((definition) => [definition.name, definition] as const))(
    'keeps %s exactly as written and provides every ${...} it uses as a substitution',
    (name, definition) => {
      const [, machine] = stateMachineNamed(name);

      expect(machine.Properties['DefinitionString']).toBe(definition.text);
      expect(Object.keys(machine.Properties['DefinitionSubstitutions'] as object).sort()).toEqual(
        [...definition.substitutions].sort(),
      );
    },
  );

  it.each(DEFINITIONS.map((definition) => [definition.name] as const))(
    'runs each task of %s on a function of this stack that its role may invoke',
    (name) => {
      const [logicalId, machine] = stateMachineNamed(name);
      const substitutions = machine.Properties['DefinitionSubstitutions'] as Record<string, unknown>;
      const functions = resourcesOf(app.hub, 'AWS::Lambda::Function');
      const role = (machine.Properties['RoleArn'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const invokable = policiesOfRole(role)
        .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
        .flatMap((statement) => statement.Resource as unknown[]);

      for (const [key, value] of Object.entries(substitutions).filter(([key]) => key.endsWith('FunctionArn'))) {
        const target = (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
        expect(functions[target[0]], `${logicalId} ${key}`).toBeDefined();
        expect(invokable).toContainEqual(value);
      }
    },
  );

  it('has the nightly run start the batch machine (startExecution.sync:2), with what that needs and no more', () => {
    const [batch] = stateMachineNamed('nightly-audit-batch');
    const [, nightly] = stateMachineNamed('nightly-audit');
    const substitutions = nightly.Properties['DefinitionSubstitutions'] as Record<string, unknown>;
    const role = (nightly.Properties['RoleArn'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = policiesOfRole(role);
    const granted = (action: string): unknown[] =>
      statements.filter((s) => actionsOf(s).includes(action)).flatMap((s) => [s.Resource].flat());
    const executions = `:execution:${CHECKED_IN_CONFIG.namespace}-nightly-audit-batch:*`;

    expect(substitutions['AuditBatchStateMachineArn']).toEqual({ Ref: batch });
    expect(granted('states:StartExecution')).toEqual([{ Ref: batch }]);
    for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(granted(action)).toEqual([expect.stringMatching(/^arn:aws:states:[a-z0-9-]+:\d{12}:execution:/)]);
      expect(String(granted(action)[0]).endsWith(executions)).toBe(true);
    }
    for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
      expect(granted(action)).toEqual([
        expect.stringMatching(
          /^arn:aws:events:[a-z0-9-]+:\d{12}:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule$/,
        ),
      ]);
    }
  });

  it.each(DEFINITIONS.map((definition) => [definition.name] as const))(
    'logs every execution event of %s (ALL, with data) and traces it with X-Ray',
    (name) => {
      const [, machine] = stateMachineNamed(name);

      expect(machine.Properties['LoggingConfiguration']).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      expect(machine.Properties['TracingConfiguration']).toEqual({ Enabled: true });
    },
  );
});

describe('HubStack wiring of statemachines/', { timeout: SYNTH_TIMEOUT_MS }, () => {
  /** Builds functions without bundling or a project root: the wiring, not the code, is under test. */
  const inlineFunctions: FunctionFactory = (scope, id, spec) =>
    new lambda.Function(scope, id, {
      runtime: LAMBDA_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      role: spec.role,
      environment: { ...spec.environment },
      logGroup: spec.logGroup,
      timeout: spec.timeout,
    });

  function workspace(asl: Record<string, unknown>, entries: readonly string[]): BuildOptions {
    const root = mkdtempSync(join(tmpdir(), 'fleet-auditor-wiring-'));
    const statemachinesDirectory = join(root, 'statemachines');
    const entryDirectory = join(root, 'entry');
    mkdirSync(statemachinesDirectory);
    mkdirSync(entryDirectory);
    writeFileSync(join(statemachinesDirectory, 'nightly-audit.asl.json'), JSON.stringify(asl));
    for (const name of entries) writeFileSync(join(entryDirectory, `${name}.ts`), 'export const handler = 1;\n');
    return { statemachinesDirectory, entryDirectory, functionFactory: inlineFunctions };
  }

  const build = (options: BuildOptions): FleetAuditorStacks => {
    const flags = Object.fromEntries(Object.entries(CDK_CONTEXT).filter(([key]) => key !== 'fleetAuditor'));
    return addFleetAuditorStacks(new App({ context: flags }), CHECKED_IN_CONFIG, options);
  };

  it('fails the synth naming every substitution the stack does not provide', () => {
    const options = workspace(
      {
        StartAt: 'A',
        States: {
          A: {
            Type: 'Task',
            Resource: '${StartRunFunctionArn}',
            Parameters: { Bucket: '${ReportBucketName}' },
            End: true,
          },
        },
      },
      ['nightly-start-run'],
    );

    expect(() => build(options)).toThrow(DefinitionError);
    expect(() => build(options)).toThrow(/nightly-audit\.asl\.json .*: ReportBucketName$/);
  });

  it('fails the synth naming a task function that has no entry module', () => {
    const options = workspace(
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${DispatchUpgradesFunctionArn}', End: true } } },
      ['nightly-start-run'],
    );

    expect(() => build(options)).toThrow(
      /DispatchUpgradesFunctionArn \(no entry functions\/handlers\/entry\/nightly-<task>\.ts/,
    );
  });

  it('provides the table and topic to direct service integrations, with the grants they need', () => {
    const options = workspace(
      {
        StartAt: 'Save',
        States: {
          Save: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: '${TableName}', Item: {} },
            Next: 'Tell',
          },
          Tell: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sns:publish',
            Parameters: { TopicArn: '${TopicArn}', Message: 'done' },
            End: true,
          },
        },
      },
      [],
    );

    const template = Template.fromStack(build(options).hub);
    const machine = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'))[0];
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    expect(Object.keys(machine?.Properties['DefinitionSubstitutions'] as object).sort()).toEqual([
      'TableName',
      'TopicArn',
    ]);
    expect(policies).toContain('dynamodb:PutItem');
    expect(policies).toContain('sns:Publish');
  });
});

describe('HubStack functions', () => {
  const functions = (): Resource[] => Object.values(resourcesOf(app.hub, 'AWS::Lambda::Function'));

  it('build exactly one function per entry module the definitions name', () => {
    const entries = listEntries(join(PROJECT_ROOT, 'functions', 'handlers', 'entry'));
    const named = new Set(
      DEFINITIONS.flatMap((definition) =>
        definition.substitutions.flatMap((name) => entryForFunction(definition.name, name, entries) ?? []),
      ),
    );
    const described = functions().map((fn) => String(fn.Properties['Description']).split(' task ')[1]);

    // Plus the functions an event invokes (the upgrade execution status rule's).
    expect(described.sort()).toEqual([...named, ...EVENT_ENTRIES].sort());
  });

  it('run on Node.js 24, ARM64, into their own log group with the configured retention', () => {
    const logGroups = resourcesOf(app.hub, 'AWS::Logs::LogGroup');
    for (const fn of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      const group = (fn.Properties['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[group]?.Properties['RetentionInDays']).toBe(CHECKED_IN_CONFIG.logRetentionDays);
    }
  });

  it('get an environment the handlers accept (functions/handlers/environment.ts), carrying the configuration', () => {
    for (const fn of functions()) {
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      const env = readEnvironment(deployedEnvironment(variables));

      expect(env).toMatchObject({
        REGIONS: CHECKED_IN_CONFIG.regions,
        ACCOUNTS: CHECKED_IN_CONFIG.accounts.ids,
        ORGANIZATIONAL_UNIT_IDS: CHECKED_IN_CONFIG.accounts.organizationalUnitIds,
        READ_ROLE_NAME: NAMES.read,
        UPGRADE_ROLE_NAME: NAMES.upgrade,
        TAG_PREFIX: CHECKED_IN_CONFIG.tagPrefix,
        SOAK_DAYS: CHECKED_IN_CONFIG.thresholds.soakDays,
        MAX_CONCURRENT_UPGRADES: CHECKED_IN_CONFIG.maxConcurrentUpgrades,
        LOCK_TTL_SECONDS: CHECKED_IN_CONFIG.thresholds.lockTtlSeconds,
      });
    }
  });

  it("pass the StackSet's OUs as ORGANIZATIONAL_UNIT_IDS, which the handlers accept", () => {
    const config = configWith({
      accounts: { ids: [], organizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'], organizationId: 'o-a1b2c3d4e5' },
    });
    const variables = handlerEnvironment(config, {
      tableName: 'fleet',
      topicArn: 'arn:aws:sns:eu-west-1:111111111111:fleet-alerts',
    });

    expect(variables['ORGANIZATIONAL_UNIT_IDS']).toBe('ou-ab12-cdef3456,r-ab12');
    expect(readEnvironment(variables).ORGANIZATIONAL_UNIT_IDS).toEqual(['ou-ab12-cdef3456', 'r-ab12']);
  });

  it('each run with a role of their own, which only Lambda of this account may assume', () => {
    const roles = functions().map((fn) => (fn.Properties['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);

    expect(new Set(roles).size).toBe(roles.length);
    for (const role of roles) {
      const trust = resourcesOf(app.hub, 'AWS::IAM::Role')[role ?? '']?.Properties['AssumeRolePolicyDocument'];
      expect(statementsOf(evaluate(trust))).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': CHECKED_IN_CONFIG.hubAccountId } },
        },
      ]);
    }
  });

  it('trace with X-Ray and log into a KMS-encrypted, retained log group of the configured retention', () => {
    const logGroups = resourcesOf(app.hub, 'AWS::Logs::LogGroup');
    const raw = app.hub.toJSON() as { Resources: Record<string, { DeletionPolicy?: string }> };

    expect(Object.keys(logGroups).length).toBeGreaterThan(functions().length);
    for (const fn of functions()) expect(fn.Properties['TracingConfig']).toEqual({ Mode: 'Active' });
    for (const [id, group] of Object.entries(logGroups)) {
      expect(group.Properties['KmsKeyId'], id).toBeDefined();
      expect(JSON.stringify(group.Properties['KmsKeyId']), id).toMatch(/FleetAuditorState|Key/);
      expect(group.Properties['RetentionInDays'], id).toBe(CHECKED_IN_CONFIG.logRetentionDays);
      expect(raw.Resources[id]?.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('tell only the dispatcher (and the hourly bake check) which upgrade state machine to start, and let only their roles start it', () => {
    const [upgradeId] = stateMachineNamed('upgrade-cluster');
    const dispatcher = functionNamed('nightly-dispatch-upgrades');
    const resumer = functionNamed('upgrade-resume-bakes');
    const starters = functions().filter(
      (fn) =>
        (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['UPGRADE_STATE_MACHINE_ARN'],
    );
    const startingRoles = Object.keys(resourcesOf(app.hub, 'AWS::IAM::Role')).filter((role) =>
      policiesOfRole(role).some(
        (statement) =>
          actionsOf(statement).includes('states:StartExecution') &&
          JSON.stringify(statement.Resource).includes(JSON.stringify({ Ref: upgradeId })),
      ),
    );

    expect(starters).toEqual([dispatcher, resumer]);
    expect(
      (dispatcher.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables[
        'UPGRADE_STATE_MACHINE_ARN'
      ],
    ).toEqual({ Ref: upgradeId });
    expect(startingRoles.sort()).toEqual(
      [roleOfFunction('nightly-dispatch-upgrades'), roleOfFunction('upgrade-resume-bakes')].sort(),
    );
    expect(policiesOfRole(roleOfFunction('nightly-dispatch-upgrades'))).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: upgradeId } }),
    );
  });
});

describe('HubStack roles', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('keep the audit function from starting executions and from writing upgrade, lock or alert items', () => {
    const statements = policiesOfRole(roleOfFunction('nightly-audit-account-region'));
    const actions = statements.flatMap(actionsOf);
    const writes = statements.filter((statement) =>
      actionsOf(statement).some((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action)),
    );

    expect(actions.filter((action) => action.startsWith('states:'))).toEqual([]);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CLUSTER#*', 'RUN#*'] },
    });
  });

  it('let only the audit function assume the member read role, and only the EKS upgrade tasks the upgrade role', () => {
    const assumers = (member: string): string[] =>
      Object.entries(FUNCTION_ACCESS)
        .filter(([entry]) =>
          policiesOfRole(roleOfFunction(entry)).some((statement) =>
            JSON.stringify(statement.Resource ?? '').includes(`:role/${member}`),
          ),
        )
        .map(([entry]) => entry)
        .sort();

    expect(assumers(NAMES.read)).toEqual(['nightly-audit-account-region']);
    expect(assumers(NAMES.upgrade)).toEqual([
      'upgrade-bake',
      'upgrade-poll-update',
      'upgrade-post-flight',
      'upgrade-pre-flight',
      'upgrade-rollback',
      'upgrade-start-update',
    ]);
    for (const entry of [...assumers(NAMES.read), ...assumers(NAMES.upgrade)]) {
      const member = entry === 'nightly-audit-account-region' ? NAMES.read : NAMES.upgrade;
      const assume = policiesOfRole(roleOfFunction(entry)).filter((statement) =>
        actionsOf(statement).includes('sts:AssumeRole'),
      );
      expect(assume).toHaveLength(1);
      expect(actionsOf(assume[0] as Statement)).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
      expect(assume[0]?.Resource).toEqual(
        CHECKED_IN_CONFIG.accounts.ids.map((account) => `arn:aws:iam::${account}:role/${member}`),
      );
    }
  });

  it('let each state machine role be assumed by Step Functions only for that state machine', () => {
    for (const definition of DEFINITIONS) {
      const [, machine] = stateMachineNamed(definition.name);
      const roleId = (machine.Properties['RoleArn'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';
      const trust = resourcesOf(app.hub, 'AWS::IAM::Role')[roleId]?.Properties['AssumeRolePolicyDocument'];

      expect(statementsOf(evaluate(trust, HUB_PSEUDO))).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'states.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': CHECKED_IN_CONFIG.hubAccountId },
            ArnEquals: {
              'aws:SourceArn': `arn:aws:states:${CHECKED_IN_CONFIG.hubRegion}:${CHECKED_IN_CONFIG.hubAccountId}:stateMachine:${CHECKED_IN_CONFIG.namespace}-${definition.name}`,
            },
          },
        },
      ]);
    }
  });

  it('lists the organization and assumes the read role only inside the organization when no account list is configured', () => {
    const orgWide = synthesize(
      configWith({ accounts: { ids: [], organizationalUnitIds: [], organizationId: 'o-a1b2c3d4e5' } }),
    );
    try {
      const audit = Object.entries(resourcesOf(orgWide.hub, 'AWS::IAM::Role')).find(
        ([, role]) => role.Properties['RoleName'] === NAMES.hubAudit,
      )?.[0];
      const statements = Object.values(resourcesOf(orgWide.hub, 'AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties['Roles']) === JSON.stringify([{ Ref: audit }]))
        .flatMap((policy) => statementsOf(evaluate(policy.Properties['PolicyDocument'], { 'AWS::Partition': 'aws' })));
      const listers = Object.values(resourcesOf(orgWide.hub, 'AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy.Properties['PolicyDocument']).includes('organizations:ListAccounts'),
      );

      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Resource: `arn:aws:iam::*:role/${NAMES.read}`,
          Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
        }),
      );
      // Only the function that discovers the accounts (StartRun) may list the organization.
      expect(listers).toHaveLength(1);
      expect(JSON.stringify(listers[0]?.Properties['Roles'])).toContain('nightlystartrun');
    } finally {
      rmSync(orgWide.outdir, { recursive: true, force: true });
    }
  });
});

describe('HubStack nightly schedule', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('starts the nightly audit on the configured cron, in the configured time zone, with a dead-letter queue', () => {
    const [nightly] = stateMachineNamed('nightly-audit');
    const queue = Object.keys(resourcesOf(app.hub, 'AWS::SQS::Queue'))[0];

    app.hub.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: CHECKED_IN_CONFIG.schedule.expression,
      ScheduleExpressionTimezone: CHECKED_IN_CONFIG.schedule.timeZone,
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { Ref: nightly },
        Input: '{}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21_600 },
      }),
    });
  });

  it('follows another schedule and time zone from the configuration', () => {
    const berlin = synthesize(
      configWith({ schedule: { expression: 'cron(30 1 ? * MON-FRI *)', timeZone: 'Europe/Berlin' } }),
    );
    try {
      berlin.hub.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(30 1 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
      });
    } finally {
      rmSync(berlin.outdir, { recursive: true, force: true });
    }
  });

  it('keeps dead-lettered starts encrypted and behind TLS', () => {
    app.hub.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 1_209_600,
    });
    app.hub.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('HubStack hourly bake check', () => {
  const schedules = (): [string, Resource][] => Object.entries(resourcesOf(app.hub, 'AWS::Scheduler::Schedule'));
  const bakeCheck = (): Resource => {
    const found = schedules().find(([, s]) => s.Properties['Name'] === `${CHECKED_IN_CONFIG.namespace}-bake-check`);
    if (found === undefined) throw new Error('no bake-check schedule');
    return found[1];
  };
  const functionId = (): string => {
    const found = Object.entries(resourcesOf(app.hub, 'AWS::Lambda::Function')).find(
      ([, fn]) => String(fn.Properties['Description']).split(' task ')[1] === 'upgrade-resume-bakes',
    );
    if (found === undefined) throw new Error('no upgrade-resume-bakes function');
    return found[0];
  };
  const roleStatementsOf = (roleId: string): Statement[] =>
    Object.values(resourcesOf(app.hub, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties['Roles']) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((policy) => statementsOf(policy.Properties['PolicyDocument']));

  it('invokes the resume-bakes function every hour (UTC), encrypted with the fleet key, with the dead-letter queue', () => {
    const queue = Object.keys(resourcesOf(app.hub, 'AWS::SQS::Queue'))[0];

    expect(bakeCheck().Properties).toMatchObject({
      ScheduleExpression: 'cron(7 * * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      KmsKeyArn: { 'Fn::ImportValue': expect.stringMatching(/Key/) as unknown },
      Target: {
        Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
        Input: '{}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3000 },
      },
    });
  });

  it('has a Scheduler role of its own: trusted for this account’s default group, invoking only that function', () => {
    const target = bakeCheck().Properties['Target'] as { RoleArn: { 'Fn::GetAtt': string[] } };
    const roleId = target.RoleArn['Fn::GetAtt'][0] ?? '';
    const role = resourcesOf(app.hub, 'AWS::IAM::Role')[roleId];
    const nightlyTarget = schedules().find(([, s]) => s !== bakeCheck())?.[1].Properties['Target'] as {
      RoleArn: { 'Fn::GetAtt': string[] };
    };
    const statements = roleStatementsOf(roleId);
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));

    expect(roleId).not.toBe(nightlyTarget.RoleArn['Fn::GetAtt'][0]);
    const trust = JSON.stringify(role?.Properties['AssumeRolePolicyDocument']);
    expect(trust).toContain('"Service":"scheduler.amazonaws.com"');
    expect(trust).toContain('aws:SourceAccount');
    expect(trust).toContain(':schedule-group/default');
    expect(invoke.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(invoke[0]?.Resource)).toContain(functionId());
    expect(
      statements
        .flatMap(actionsOf)
        .filter((a) => !/^(lambda:InvokeFunction|sqs:SendMessage|kms:(Decrypt|GenerateDataKey))$/.test(a)),
    ).toEqual([]);
  });

  it('gives the function table reads and StartExecution on the upgrade machine only, and its ARN in the environment', () => {
    const [upgrade] = stateMachineNamed('upgrade-cluster');
    const statements = roleStatementsOf(roleOfFunction('upgrade-resume-bakes'));
    const actions = statements.flatMap(actionsOf);
    const start = statements.find((s) => actionsOf(s).includes('states:StartExecution'));
    const variables = (
      functionNamed('upgrade-resume-bakes').Properties['Environment'] as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(start?.Resource).toEqual({ Ref: upgrade });
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete)Item$/.test(a))).toEqual([]);
    expect(actions.filter((a) => /^(sns|sts|eks|cloudwatch):/.test(a))).toEqual([]);
    expect(variables['UPGRADE_STATE_MACHINE_ARN']).toEqual({ Ref: upgrade });
  });
});

describe('HubStack alarms and dashboard', () => {
  const alarms = (): Resource[] => Object.values(resourcesOf(app.hub, 'AWS::CloudWatch::Alarm'));
  const named = (suffix: string): Resource | undefined =>
    alarms().find((alarm) => alarm.Properties['AlarmName'] === `${CHECKED_IN_CONFIG.namespace}-${suffix}`);

  it('alarms on failed account-regions from the handlers own metric, at the configured threshold', () => {
    expect(named('failed-targets')?.Properties).toMatchObject({
      Namespace: HANDLER_METRICS.namespace,
      MetricName: 'TargetsFailed',
      Dimensions: [{ Name: 'service', Value: HANDLER_METRICS.dimensions.service }],
      Threshold: CHECKED_IN_CONFIG.thresholds.failedTargetsAlarm,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('reads the metric namespace and service the handlers publish under', () => {
    const observability = readFileSync(join(PROJECT_ROOT, 'functions', 'adapters', 'powertools-telemetry.ts'), 'utf8');

    expect(observability).toContain(`namespace: '${HANDLER_METRICS.namespace}'`);
    expect(observability).toContain(`serviceName: '${HANDLER_METRICS.dimensions.service}'`);
  });

  it.each([
    ['upgrade-failed', 'upgrade-cluster'],
    ['nightly-run-failed', 'nightly-audit'],
  ])('alarms %s on failed, timed-out or aborted executions of %s', (alarm, machine) => {
    const [machineId] = stateMachineNamed(machine);
    const metrics = named(alarm)?.Properties['Metrics'] as { MetricStat?: { Metric: Record<string, unknown> } }[];
    const names = metrics.flatMap((metric) => (metric.MetricStat === undefined ? [] : [metric.MetricStat.Metric]));

    expect(names.map((metric) => metric['MetricName']).sort()).toEqual([
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    for (const metric of names)
      expect(metric['Dimensions']).toEqual([{ Name: 'StateMachineArn', Value: { Ref: machineId } }]);
  });

  it('alarms on the errors of every handler', () => {
    const functionIds = Object.keys(resourcesOf(app.hub, 'AWS::Lambda::Function'));
    const watched = alarms()
      .filter((alarm) => alarm.Properties['MetricName'] === 'Errors')
      .map((alarm) => (alarm.Properties['Dimensions'] as { Value: { Ref: string } }[])[0]?.Value.Ref);

    expect(watched.sort()).toEqual(functionIds.sort());
  });

  it('alarms when the dead-letter queue holds a message', () => {
    expect(named('dead-letter-queue')?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('sends every alarm to the alarm topic, never to the alert topic subscribers parse', () => {
    for (const alarm of alarms()) {
      const actions = JSON.stringify(alarm.Properties['AlarmActions']);
      expect(actions).toContain('AlarmTopic');
      expect(actions).not.toContain('AlertTopic');
    }
  });

  it('draws one dashboard named after the namespace', () => {
    app.hub.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    app.hub.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: CHECKED_IN_CONFIG.namespace });
  });
});

describe('resources of renamed entries', () => {
  // An existing hub must update in place: the fixed-name audit role under a new logical id would be created again
  // before the old one is deleted ("already exists"), and a recreated role loses the member roles' trust.
  it('keep the logical ids they were first deployed under', () => {
    const roles = resourcesOf(app.hub, 'AWS::IAM::Role');
    const audit = Object.entries(roles).find(([, role]) => role.Properties['RoleName'] === NAMES.hubAudit);
    expect(audit?.[0]).toMatch(/nightlyaudittarget/i);
    const functions = Object.keys(resourcesOf(app.hub, 'AWS::Lambda::Function'));
    expect(functions.some((id) => /NightlyAuditTargetFunction/.test(id))).toBe(true);
    expect(functions.some((id) => /NightlyRecordTargetFailureFunction/.test(id))).toBe(true);
    expect(functions.some((id) => /AccountRegion/.test(id))).toBe(false);
  });
});

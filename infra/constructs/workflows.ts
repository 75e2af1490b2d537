/**
 * The state machines of `statemachines/` and the functions their tasks run. Each definition is loaded as written
 * and every `${...}` in it is provided here as a definition substitution, or the synth fails naming the ones that
 * are not. Functions are built from `functions/handlers/entry/<family>-<task>.ts` for `${<Task>FunctionArn}`.
 */
import { join } from 'node:path';
import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DefinitionError, entryForFunction, functionTaskName, stateMachineForSubstitution } from '../definitions.ts';
import type { StateMachineDefinition } from '../definitions.ts';
import { DEFAULT_TIMEOUT } from '../function-factory.ts';
import { nagPartition } from '../stacks/member-roles-stack.ts';
import { grantFleetTable } from './grants.ts';
import type { HubRoles } from './hub-roles.ts';
import { EVENT_ENTRIES, FUNCTION_ACCESS, constructIdOf } from '../function-access.ts';
import type { FunctionFactory } from '../function-factory.ts';

/** The definition whose executions the nightly run starts; its tasks run with the hub upgrade role. */
export const UPGRADE_DEFINITION = 'upgrade-cluster';

/** Memory of every function: the audit is network-bound, and 1 GB buys the CPU the SDK's JSON parsing wants. */
export const FUNCTION_MEMORY_MB = 1024;

/** Longest a Lambda function may run. */
const MAX_LAMBDA_SECONDS = 900;

/** The definitions and entries to wire, the roles their tasks run as, and what substitutions may name. */
export interface WorkflowsProps {
  readonly namespace: string;
  readonly definitions: readonly StateMachineDefinition[];
  /** Entry module names available in `entryDirectory`. */
  readonly entries: readonly string[];
  readonly entryDirectory: string;
  readonly functionFactory: FunctionFactory;
  /** Builds each function's own role. */
  readonly roles: HubRoles;
  /** Environment of every function (the handlers' `environment.ts` contract). */
  readonly environment: Readonly<Record<string, string>>;
  readonly table: dynamodb.ITable;
  readonly key: kms.IKey;
  readonly topic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts every log group (its key policy lets CloudWatch Logs of this region use it). */
  readonly logKey: kms.IKey;
}

/** A function the workflows built, and the entry module it runs. */
export interface WorkflowFunction {
  readonly entry: string;
  readonly fn: lambda.IFunction;
}

/** Turns `nightly-start-run` into `NightlyStartRun`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Builds the upgrade state machine first, so the other definitions (and their functions, through
 * `UPGRADE_STATE_MACHINE_ARN`) can start its executions; then the child machines another definition names by a
 * `${<Name>StateMachineArn}` substitution (`nightly-audit-batch`), then the rest, so every ARN exists when used.
 */
export class Workflows extends Construct {
  readonly stateMachines = new Map<string, sfn.StateMachine>();
  readonly functions: WorkflowFunction[] = [];
  private readonly props: WorkflowsProps;
  private readonly built = new Map<string, { fn: lambda.IFunction; family: string }>();

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.props = props;
    const names = props.definitions.map((definition) => definition.name);
    const children = new Set(
      props.definitions.flatMap((definition) =>
        definition.substitutions.flatMap((name) => stateMachineForSubstitution(definition.name, name, names) ?? []),
      ),
    );
    const rank = (name: string): number => (name === UPGRADE_DEFINITION ? 0 : children.has(name) ? 1 : 2);
    const ordered = [...props.definitions].sort((a, b) => rank(a.name) - rank(b.name));
    for (const definition of ordered) this.stateMachines.set(definition.name, this.buildStateMachine(definition));

    const referenced = new Set(this.functions.map((f) => f.entry));
    const unused = props.entries.filter((entry) => !referenced.has(entry) && !EVENT_ENTRIES.has(entry));
    if (unused.length > 0) {
      Annotations.of(this).addWarningV2(
        'fleet-auditor:unused-entries',
        `Lambda entries not named by any state machine, so not deployed: ${unused.join(', ')}`,
      );
    }
  }

  /** The upgrade state machine, when `statemachines/` holds its definition. */
  get upgradeStateMachine(): sfn.StateMachine | undefined {
    return this.stateMachines.get(UPGRADE_DEFINITION);
  }

  private buildStateMachine(definition: StateMachineDefinition): sfn.StateMachine {
    const { props } = this;
    const isUpgrade = definition.name === UPGRADE_DEFINITION;
    const family = definition.name.split('-')[0] ?? definition.name;
    // Everything the definition needs is checked before anything is built, so the error lists all of it.
    const missing = definition.substitutions.flatMap((name): string[] => {
      if (functionTaskName(name) === null) return this.provide(name, definition, isUpgrade) === null ? [name] : [];
      return entryForFunction(definition.name, name, props.entries) === null
        ? [`${name} (no entry functions/handlers/entry/${family}-<task>.ts for it)`]
        : [];
    });
    if (missing.length > 0) {
      throw new DefinitionError(
        `statemachines/${definition.name}.asl.json uses substitutions the hub stack does not provide: ${missing.join(', ')}`,
      );
    }

    const substitutions: Record<string, string> = {};
    const invoked: string[] = [];
    const grants: ((role: iam.IRole) => void)[] = [];
    for (const name of definition.substitutions) {
      const entry = entryForFunction(definition.name, name, props.entries);
      if (entry !== null) {
        const fn = this.functionFor(entry, family, definition, isUpgrade);
        substitutions[name] = fn.functionArn;
        invoked.push(fn.functionArn);
        continue;
      }
      const provided = this.provide(name, definition, isUpgrade);
      if (provided === null) continue;
      substitutions[name] = provided.value;
      grants.push(provided.grant);
    }

    const id = pascalCase(definition.name);
    const logGroup = this.logGroup(`${id}Logs`, `/aws/vendedlogs/states/${props.namespace}-${definition.name}`);
    const stateMachineName = `${props.namespace}-${definition.name}`;
    const stack = Stack.of(this);
    // Step Functions may assume this role only for this one state machine of this account.
    const role = new iam.Role(this, `${id}Role`, {
      description: `EKS Fleet Auditor (${props.namespace}): the ${definition.name} state machine`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: {
            'aws:SourceArn': stack.formatArn({
              service: 'states',
              resource: 'stateMachine',
              resourceName: stateMachineName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    const stateMachine = new sfn.StateMachine(this, id, {
      stateMachineName,
      role,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition.text),
      definitionSubstitutions: substitutions,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    if (invoked.length > 0) {
      stateMachine.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'InvokeTaskFunctions', actions: ['lambda:InvokeFunction'], resources: invoked }),
      );
    }
    for (const grant of grants) grant(stateMachine.role);
    acknowledgeStateMachineRole(stateMachine);
    return stateMachine;
  }

  /** Values for the substitutions that are not functions; null for a name this stack does not know. */
  private provide(
    name: string,
    definition: StateMachineDefinition,
    isUpgrade: boolean,
  ): { value: string; grant: (role: iam.IRole) => void } | null {
    const { props } = this;
    const childName =
      name === 'UpgradeStateMachineArn'
        ? null
        : stateMachineForSubstitution(
            definition.name,
            name,
            props.definitions.map((d) => d.name),
          );
    if (childName !== null) {
      const child = this.stateMachines.get(childName);
      if (child === undefined) return null;
      return { value: child.stateMachineArn, grant: (role) => this.grantSyncStart(role, childName, child) };
    }
    switch (name) {
      case 'TableName':
        return { value: props.table.tableName, grant: (role) => grantFleetTable(role, props.table, props.key) };
      case 'TopicArn':
        return { value: props.topic.topicArn, grant: (role) => props.topic.grantPublish(role) };
      case 'UpgradeStateMachineArn': {
        const upgrade = this.upgradeStateMachine;
        if (isUpgrade || upgrade === undefined) return null;
        return { value: upgrade.stateMachineArn, grant: (role) => upgrade.grantStartExecution(role) };
      }
      default:
        return null;
    }
  }

  /**
   * What a `states:startExecution.sync:2` Task of the parent's role needs: start the child, describe and stop its
   * executions, and the managed EventBridge rule through which Step Functions learns that a child ended.
   */
  private grantSyncStart(role: iam.IRole, childName: string, child: sfn.StateMachine): void {
    const stack = Stack.of(this);
    const machineName = `${this.props.namespace}-${childName}`;
    child.grantStartExecution(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: `${machineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
          }),
        ],
      }),
    );
    Validations.of(role).acknowledge({
      id:
        `AwsSolutions-IAM5[Resource::arn:${nagPartition(stack.partition)}:states:` +
        `${nagLiteral(stack.region, '<AWS::Region>')}:${nagLiteral(stack.account, '<AWS::AccountId>')}:` +
        `execution:${machineName}:*]`,
      reason:
        `Running ${childName} as a child execution (startExecution.sync:2) means describing and stopping its ` +
        'executions, whose names Step Functions generates: every execution of that one state machine, and no other.',
    });
  }

  /** A log group encrypted with the fleet key, kept when the stack goes, for the configured retention. */
  private logGroup(id: string, logGroupName?: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      ...(logGroupName === undefined ? {} : { logGroupName }),
      retention: this.props.logRetention,
      encryptionKey: this.props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private functionFor(
    entry: string,
    family: string,
    definition: StateMachineDefinition,
    isUpgrade: boolean,
  ): lambda.IFunction {
    const existing = this.built.get(entry);
    if (existing !== undefined) {
      if (existing.family !== family) {
        throw new DefinitionError(`entry ${entry} is a task of two workflows (${existing.family}, ${family})`);
      }
      return existing.fn;
    }
    const { props } = this;
    const id = pascalCase(constructIdOf(entry));
    const access = FUNCTION_ACCESS[entry];
    if (access === undefined) {
      throw new DefinitionError(
        `entry ${entry} is not listed in infra/function-access.ts: say what its function does, so its role can hold it`,
      );
    }
    if (access.upgradePath !== isUpgrade && !(access.upgradePath && access.startsUpgrades)) {
      throw new DefinitionError(
        `entry ${entry}: infra/function-access.ts disagrees about its being on the upgrade path`,
      );
    }
    const role = props.roles.roleFor(entry, access);
    const logGroup = this.logGroup(`${id}Logs`);
    logGroup.grantWrite(role);
    const upgrade = this.upgradeStateMachine;
    const environment: Record<string, string> = { ...props.environment };
    if (access.startsUpgrades && upgrade !== undefined) {
      environment['UPGRADE_STATE_MACHINE_ARN'] = upgrade.stateMachineArn;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'StartUpgradeExecutions',
          actions: ['states:StartExecution'],
          resources: [upgrade.stateMachineArn],
        }),
      );
    }
    if (access.describesUpgrades === true && upgrade !== undefined) grantDescribeUpgrades(role, props.namespace);
    const fn = props.functionFactory(this, `${id}Function`, {
      entry: join(props.entryDirectory, `${entry}.ts`),
      description: `EKS Fleet Auditor (${props.namespace}): ${definition.name} task ${entry}`,
      role,
      environment,
      logGroup,
      timeout: taskTimeout(definition, entry),
      memorySize: FUNCTION_MEMORY_MB,
    });
    this.built.set(entry, { fn, family });
    this.functions.push({ entry, fn });
    return fn;
  }
}

/** The Lambda timeout of `entry`: the longest `TimeoutSeconds` of the tasks that run it (at most 15 minutes). */
function taskTimeout(definition: StateMachineDefinition, entry: string): Duration {
  const seconds = definition.tasks
    .filter((task) => task.resourceSubstitution !== null)
    .filter((task) => entryForFunction(definition.name, task.resourceSubstitution ?? '', [entry]) === entry)
    .map((task) => task.timeoutSeconds)
    .filter((timeout): timeout is number => timeout !== null);
  if (seconds.length === 0) return DEFAULT_TIMEOUT;
  return Duration.seconds(Math.min(MAX_LAMBDA_SECONDS, Math.max(...seconds)));
}

/**
 * states:DescribeExecution on the executions of the upgrade state machine only (the nightly reconciliation of open
 * upgrade records). Execution ARNs name the machine, so the grant names it and wildcards only the execution name.
 */
export function grantDescribeUpgrades(role: iam.IRole, namespace: string): void {
  const stack = Stack.of(role);
  const machineName = `${namespace}-${UPGRADE_DEFINITION}`;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeUpgradeExecutions',
      actions: ['states:DescribeExecution'],
      resources: [
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${machineName}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  Validations.of(role).acknowledge({
    id:
      `AwsSolutions-IAM5[Resource::arn:${nagPartition(stack.partition)}:states:` +
      `${nagLiteral(stack.region, '<AWS::Region>')}:${nagLiteral(stack.account, '<AWS::AccountId>')}:` +
      `execution:${machineName}:*]`,
    reason:
      'The nightly reconciliation describes the execution behind each open upgrade record; execution names are ' +
      'per cluster and night: every execution of the upgrade state machine, and of no other, read only.',
  });
}

/** How cdk-nag writes `value` in a finding id: the value itself, or `placeholder` while it is a deploy-time token. */
function nagLiteral(value: string, placeholder: string): string {
  return Token.isUnresolved(value) ? placeholder : value;
}

function acknowledgeStateMachineRole(stateMachine: sfn.StateMachine): void {
  Validations.of(stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Logging ALL to CloudWatch Logs (logs:*LogDelivery*, DescribeLogGroups, resource policies) and X-Ray tracing ' +
      '(PutTraceSegments, PutTelemetryRecords, sampling) support no resource-level permissions.',
  });
}

/**
 * The hourly bake check in AWS (DESIGN §7.1): an EventBridge Scheduler schedule that invokes, once an hour, the
 * function of functions/handlers/entry/upgrade-resume-bakes.ts, which starts one resume execution of the upgrade
 * state machine per baking cluster (the dispatcher's resume path, nothing new). Between nightly runs a bad signal
 * during a bake is so acted on within the hour. Built only with the upgrade path (never audit-only).
 */
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_ACCESS } from '../function-access.ts';
import { schedulerRole as createSchedulerRole } from './scheduler-role.ts';
import type { FunctionFactory } from '../function-factory.ts';
import type { HubRoles } from './hub-roles.ts';
import { FUNCTION_MEMORY_MB } from './workflows.ts';
import type { WorkflowFunction } from './workflows.ts';

/** The entry the schedule invokes. */
export const RESUME_BAKES_ENTRY = 'upgrade-resume-bakes';

/**
 * Minute 7 of every hour, UTC: resume executions are named per UTC hour, so each hour's check gets a name of its own
 * and a retry (or the nightly dispatch) within the same hour is refused as ALREADY_STARTED.
 */
export const BAKE_CHECK_EXPRESSION = 'cron(7 * * * ? *)';

/** What the schedule and its function are built from. */
export interface BakeCheckScheduleProps {
  readonly namespace: string;
  readonly upgrade: sfn.IStateMachine;
  readonly entryDirectory: string;
  readonly functionFactory: FunctionFactory;
  readonly roles: HubRoles;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** The fleet key: log group, dead-letter queue and the schedule's target input are encrypted with it. */
  readonly key: kms.IKey;
  /** The hub's schedule dead-letter queue (its depth is alarmed). */
  readonly deadLetterQueue: sqs.IQueue;
}

/** The hourly bake-check schedule and the function it invokes. */
export class BakeCheckSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly function: WorkflowFunction;

  constructor(scope: Construct, id: string, props: BakeCheckScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const access = FUNCTION_ACCESS[RESUME_BAKES_ENTRY];
    if (access === undefined) throw new Error(`${RESUME_BAKES_ENTRY} is not listed in infra/function-access.ts`);
    const role = props.roles.roleFor(RESUME_BAKES_ENTRY, access);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartUpgradeExecutions',
        actions: ['states:StartExecution'],
        resources: [props.upgrade.stateMachineArn],
      }),
    );
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(role);
    const fn: lambda.IFunction = props.functionFactory(this, 'Function', {
      entry: join(props.entryDirectory, `${RESUME_BAKES_ENTRY}.ts`),
      description: `EKS Fleet Auditor (${props.namespace}): hourly bake-check schedule task ${RESUME_BAKES_ENTRY}`,
      role,
      environment: { ...props.environment, UPGRADE_STATE_MACHINE_ARN: props.upgrade.stateMachineArn },
      logGroup,
      timeout: Duration.minutes(5),
      memorySize: FUNCTION_MEMORY_MB,
    });
    this.function = { entry: RESUME_BAKES_ENTRY, fn };

    const schedulerRole = createSchedulerRole(this, 'SchedulerRole', {
      description: `EKS Fleet Auditor (${props.namespace}): invokes the hourly bake check`,
      deadLetterQueue: props.deadLetterQueue,
      key: props.key,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `${props.namespace}-bake-check`,
      description: `EKS Fleet Auditor (${props.namespace}): hourly check of baking upgrades (resume executions)`,
      schedule: scheduler.ScheduleExpression.expression(BAKE_CHECK_EXPRESSION, TimeZone.ETC_UTC),
      key: props.key,
      target: new targets.LambdaInvoke(fn, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 2,
        // A check not delivered within the hour is superseded by the next one.
        maxEventAge: Duration.minutes(50),
      }),
    });
    const functionId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'The Scheduler target grant (LambdaInvoke) covers the function and its versions/aliases: this one function ' +
        'only, invoke only.',
    });
  }
}

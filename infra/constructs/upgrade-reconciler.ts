/**
 * The AWS side of upgrade reconciliation: an EventBridge rule on the upgrade state machine's "Step Functions
 * Execution Status Change" events with status FAILED, TIMED_OUT or ABORTED, and the function it invokes
 * (functions/handlers/entry/upgrade-reconcile-execution.ts), which closes the execution's open upgrade record,
 * announces UPGRADE_FAILED and releases the lock. An execution stopped or timed out outside its own Catch no longer
 * leaves its record RUNNING and its lock held. The nightly run's reconciliation (DescribeExecution) catches what an
 * event missed.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENDED_STATUSES } from '../../functions/core/upgrade-reconciliation.ts';
import { FUNCTION_ACCESS } from '../function-access.ts';
import type { FunctionFactory } from '../function-factory.ts';
import type { HubRoles } from './hub-roles.ts';
import { FUNCTION_MEMORY_MB, UPGRADE_DEFINITION } from './workflows.ts';
import type { WorkflowFunction } from './workflows.ts';

/** The entry the rule invokes. */
export const RECONCILE_ENTRY = 'upgrade-reconcile-execution';

/** The `detail-type` of Step Functions' execution status events. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** What the rule and its function are built from. */
export interface UpgradeReconcilerProps {
  readonly namespace: string;
  readonly upgrade: sfn.IStateMachine;
  readonly entryDirectory: string;
  readonly functionFactory: FunctionFactory;
  readonly roles: HubRoles;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
}

/** The status-change rule of the upgrade state machine and its reconciling function. */
export class UpgradeReconciler extends Construct {
  readonly rule: events.Rule;
  readonly function: WorkflowFunction;

  constructor(scope: Construct, id: string, props: UpgradeReconcilerProps) {
    super(scope, id);
    const access = FUNCTION_ACCESS[RECONCILE_ENTRY];
    if (access === undefined) throw new Error(`${RECONCILE_ENTRY} is not listed in infra/function-access.ts`);
    const role = props.roles.roleFor(RECONCILE_ENTRY, access);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(role);
    const fn: lambda.IFunction = props.functionFactory(this, 'Function', {
      entry: join(props.entryDirectory, `${RECONCILE_ENTRY}.ts`),
      description: `EKS Fleet Auditor (${props.namespace}): ${UPGRADE_DEFINITION} execution-status rule task ${RECONCILE_ENTRY}`,
      role,
      environment: props.environment,
      logGroup,
      timeout: Duration.minutes(1),
      memorySize: FUNCTION_MEMORY_MB,
    });
    this.function = { entry: RECONCILE_ENTRY, fn };
    this.rule = new events.Rule(this, 'ExecutionEnded', {
      description:
        `EKS Fleet Auditor (${props.namespace}): an upgrade execution ended ${ENDED_STATUSES.join(', ')}; ` +
        'reconcile its record and lock',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: { status: [...ENDED_STATUSES], stateMachineArn: [props.upgrade.stateMachineArn] },
      },
      // Retried by EventBridge, then by Lambda's asynchronous invocation; what is still lost, the nightly run closes.
      targets: [new eventsTargets.LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
  }
}

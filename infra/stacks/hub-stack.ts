/**
 * The hub's functions and workflows: the two hub roles, the state machines of `statemachines/` with their Lambda
 * tasks, the nightly EventBridge Scheduler schedule (with a dead-letter queue), alarms and the dashboard. Everything
 * here can be replaced; the data lives in the state stack.
 */
import { CfnOutput, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { roleNames } from '../../functions/core/naming.ts';
import type { FleetAuditorConfig } from '../config.ts';
import type { StateMachineDefinition } from '../definitions.ts';
import type { FunctionFactory } from '../function-factory.ts';
import { HubRoles } from '../constructs/hub-roles.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { UPGRADE_DEFINITION, Workflows } from '../constructs/workflows.ts';
import type { HubStateStack } from './hub-state-stack.ts';

/** The definition the schedule starts every night. */
export const NIGHTLY_DEFINITION = 'nightly-audit';

/** The configuration, the state stack it uses, and what to build the workflows from. */
export interface HubStackProps extends StackProps {
  readonly config: FleetAuditorConfig;
  readonly state: HubStateStack;
  readonly definitions: readonly StateMachineDefinition[];
  readonly entries: readonly string[];
  readonly entryDirectory: string;
  readonly functionFactory: FunctionFactory;
}

/** The environment every handler reads (functions/handlers/environment.ts), from the configuration. */
export function handlerEnvironment(
  config: FleetAuditorConfig,
  resources: { readonly tableName: string; readonly topicArn: string },
): Record<string, string> {
  const names = roleNames(config.namespace);
  return {
    TABLE_NAME: resources.tableName,
    TOPIC_ARN: resources.topicArn,
    REGIONS: config.regions.join(','),
    ACCOUNTS: config.accounts.ids.join(','),
    // The StackSet's targets: without an account list, the audit covers exactly the accounts that have the roles.
    ORGANIZATIONAL_UNIT_IDS: config.accounts.organizationalUnitIds.join(','),
    READ_ROLE_NAME: names.read,
    UPGRADE_ROLE_NAME: names.upgrade,
    TAG_PREFIX: config.tagPrefix,
    SOAK_DAYS: String(config.thresholds.soakDays),
    MAX_CONCURRENT_UPGRADES: String(config.maxConcurrentUpgrades),
    LOCK_TTL_SECONDS: String(config.thresholds.lockTtlSeconds),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}

/** Functions, state machines, schedule, alarms and dashboard of the hub. */
export class HubStack extends Stack {
  readonly roles: HubRoles;
  readonly workflows: Workflows;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule | undefined;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const { config, state } = props;

    this.roles = new HubRoles(this, 'Roles', {
      namespace: config.namespace,
      accountIds: config.accounts.ids,
      table: state.table,
      key: state.key,
      topic: state.topic,
    });

    this.workflows = new Workflows(this, 'Workflows', {
      namespace: config.namespace,
      definitions: props.definitions,
      entries: props.entries,
      entryDirectory: props.entryDirectory,
      functionFactory: props.functionFactory,
      auditRole: this.roles.audit,
      upgradeRole: this.roles.upgrade,
      environment: handlerEnvironment(config, { tableName: state.table.tableName, topicArn: state.topic.topicArn }),
      table: state.table,
      key: state.key,
      topic: state.topic,
      logRetention: config.logRetentionDays as logs.RetentionDays,
    });
    const nightly = this.workflows.stateMachines.get(NIGHTLY_DEFINITION);
    const upgrade = this.workflows.stateMachines.get(UPGRADE_DEFINITION);

    this.deadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: state.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the nightly schedule (EventBridge Scheduler DeadLetterConfig); ' +
        'its depth is alarmed.',
    });

    if (nightly !== undefined) {
      const schedulerRole = new iam.Role(this, 'SchedulerRole', {
        description: `EKS Fleet Auditor (${config.namespace}): starts the nightly audit`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      });
      // The queue is encrypted with the fleet key: sending needs the key too, which the target alone does not grant.
      this.deadLetterQueue.grantSendMessages(schedulerRole);
      Validations.of(schedulerRole).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Encrypting dead-lettered schedule events with the one fleet key (data-key actions only on that key).',
      });
      Validations.of(schedulerRole).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: 'Granted with SQS send on the KMS-encrypted dead-letter queue, on the one fleet key only.',
      });
      this.schedule = new scheduler.Schedule(this, 'NightlySchedule', {
        scheduleName: `${config.namespace}-nightly-audit`,
        description: `EKS Fleet Auditor (${config.namespace}): nightly audit`,
        schedule: scheduler.ScheduleExpression.expression(
          config.schedule.expression,
          TimeZone.of(config.schedule.timeZone),
        ),
        target: new targets.StepFunctionsStartExecution(nightly, {
          role: schedulerRole,
          input: scheduler.ScheduleTargetInput.fromObject({}),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
        }),
      });
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      namespace: config.namespace,
      alarmTopic: state.alarmTopic,
      nightly,
      upgrade,
      functions: this.workflows.functions,
      deadLetterQueue: this.deadLetterQueue,
      failedTargetsThreshold: config.thresholds.failedTargetsAlarm,
    });

    if (nightly !== undefined) new CfnOutput(this, 'NightlyStateMachineArn', { value: nightly.stateMachineArn });
    if (upgrade !== undefined) new CfnOutput(this, 'UpgradeStateMachineArn', { value: upgrade.stateMachineArn });
    new CfnOutput(this, 'HubAuditRoleArn', { value: this.roles.audit.roleArn });
    new CfnOutput(this, 'HubUpgradeRoleArn', { value: this.roles.upgrade.roleArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}

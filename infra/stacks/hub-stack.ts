/**
 * The hub's functions and workflows: the two hub roles, the state machines of `statemachines/` with their Lambda
 * tasks, the nightly EventBridge Scheduler schedule (with a dead-letter queue), alarms and the dashboard. Everything
 * here can be replaced; the data lives in the state stack.
 */
import { CfnOutput, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
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
import { UPGRADE_DEFINITION, Workflows, pascalCase } from '../constructs/workflows.ts';
import { RECONCILE_ENTRY, UpgradeReconciler } from '../constructs/upgrade-reconciler.ts';
import { BakeCheckSchedule, RESUME_BAKES_ENTRY } from '../constructs/bake-check-schedule.ts';
import { withoutTask } from '../definitions.ts';
import type { HubStateStack } from './hub-state-stack.ts';
import { schedulerRole as createSchedulerRole } from '../constructs/scheduler-role.ts';

/** The definition the schedule starts every night. */
export const NIGHTLY_DEFINITION = 'nightly-audit';

/** The nightly task that starts upgrades; an audit-only deployment leaves it out of the nightly definition. */
export const DISPATCH_SUBSTITUTION = 'DispatchUpgradesFunctionArn';

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
  /** The rule on upgrade executions that end outside their Catch, and its function (absent when audit-only). */
  readonly reconciler: UpgradeReconciler | undefined;
  /** The hourly bake-check schedule and its function (absent when audit-only). */
  readonly bakeCheck: BakeCheckSchedule | undefined;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const { config, state } = props;

    this.roles = new HubRoles(this, 'Roles', {
      namespace: config.namespace,
      accountIds: config.accounts.ids,
      organizationId: config.accounts.organizationId,
      table: state.table,
      key: state.key,
      topic: state.topic,
    });

    // Audit only: no upgrade state machine, no dispatcher, so nothing here can start or run an upgrade.
    const auditOnly = config.maxConcurrentUpgrades === 0;
    const definitions = auditOnly
      ? props.definitions
          .filter((definition) => definition.name !== UPGRADE_DEFINITION)
          .map((definition) => withoutTask(definition, DISPATCH_SUBSTITUTION))
      : props.definitions;
    this.workflows = new Workflows(this, 'Workflows', {
      namespace: config.namespace,
      definitions,
      entries: props.entries,
      entryDirectory: props.entryDirectory,
      functionFactory: props.functionFactory,
      roles: this.roles,
      environment: handlerEnvironment(config, { tableName: state.table.tableName, topicArn: state.topic.topicArn }),
      table: state.table,
      key: state.key,
      topic: state.topic,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      logKey: state.key,
    });
    const nightly = this.workflows.stateMachines.get(NIGHTLY_DEFINITION);
    const upgrade = this.workflows.stateMachines.get(UPGRADE_DEFINITION);
    this.reconciler =
      upgrade === undefined || !props.entries.includes(RECONCILE_ENTRY)
        ? undefined
        : new UpgradeReconciler(this, 'UpgradeReconciler', {
            namespace: config.namespace,
            upgrade,
            entryDirectory: props.entryDirectory,
            functionFactory: props.functionFactory,
            roles: this.roles,
            environment: handlerEnvironment(config, {
              tableName: state.table.tableName,
              topicArn: state.topic.topicArn,
            }),
            logRetention: config.logRetentionDays as logs.RetentionDays,
            logKey: state.key,
          });

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
      const schedulerRole = createSchedulerRole(this, 'SchedulerRole', {
        description: `EKS Fleet Auditor (${config.namespace}): starts the nightly audit`,
        deadLetterQueue: this.deadLetterQueue,
        key: state.key,
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

    this.bakeCheck =
      upgrade === undefined || !props.entries.includes(RESUME_BAKES_ENTRY)
        ? undefined
        : new BakeCheckSchedule(this, 'BakeCheck', {
            namespace: config.namespace,
            upgrade,
            entryDirectory: props.entryDirectory,
            functionFactory: props.functionFactory,
            roles: this.roles,
            environment: handlerEnvironment(config, {
              tableName: state.table.tableName,
              topicArn: state.topic.topicArn,
            }),
            logRetention: config.logRetentionDays as logs.RetentionDays,
            key: state.key,
            deadLetterQueue: this.deadLetterQueue,
          });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      namespace: config.namespace,
      alarmTopic: state.alarmTopic,
      nightly,
      upgrade,
      functions: [
        ...this.workflows.functions,
        ...(this.reconciler === undefined ? [] : [this.reconciler.function]),
        ...(this.bakeCheck === undefined ? [] : [this.bakeCheck.function]),
      ],
      deadLetterQueue: this.deadLetterQueue,
      failedAccountRegionsThreshold: config.thresholds.failedTargetsAlarm,
    });

    if (nightly !== undefined) new CfnOutput(this, 'NightlyStateMachineArn', { value: nightly.stateMachineArn });
    if (upgrade !== undefined) new CfnOutput(this, 'UpgradeStateMachineArn', { value: upgrade.stateMachineArn });
    for (const [entry, role] of this.roles.roles) {
      new CfnOutput(this, `${pascalCase(entry)}RoleArn`, { value: role.roleArn });
    }
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}

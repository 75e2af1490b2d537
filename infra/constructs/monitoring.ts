/**
 * Alarms and the dashboard of the hub. Alarms go to the operations topic, never to the alert topic: the alert
 * topic carries only the versioned events of DESIGN §5.4, which subscribers parse.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowFunction } from './workflows.ts';

/** Where the handlers publish their metrics (functions/adapters/powertools-telemetry.ts: Powertools `Metrics`). */
export const HANDLER_METRICS = {
  namespace: 'EksFleetAuditor',
  dimensions: { service: 'eks-fleet-auditor' },
} as const;

/** What to watch and where alarms go. */
export interface MonitoringProps {
  readonly namespace: string;
  readonly alarmTopic: sns.ITopic;
  readonly nightly: sfn.IStateMachine | undefined;
  readonly upgrade: sfn.IStateMachine | undefined;
  readonly functions: readonly WorkflowFunction[];
  readonly deadLetterQueue: sqs.IQueue;
  /** Failed account-regions in one run that raise the alarm. */
  readonly failedAccountRegionsThreshold: number;
}

function handlerMetric(metricName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: HANDLER_METRICS.namespace,
    metricName,
    dimensionsMap: { ...HANDLER_METRICS.dimensions },
    statistic: cloudwatch.Stats.SUM,
    period,
  });
}

/** Executions of `machine` that ended badly (failed, timed out or aborted), summed per period. */
function failedExecutions(machine: sfn.IStateMachine, label: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    usingMetrics: {
      failed: machine.metricFailed({ period }),
      timedOut: machine.metricTimedOut({ period }),
      aborted: machine.metricAborted({ period }),
    },
    label,
    period,
  });
}

/**
 * Alarms: failed account-regions (any account-region the nightly run could not read), failed nightly runs, failed
 * upgrades, errors of each handler, messages in the dead-letter queue. And one dashboard of all of it.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.alarmTopic);
    const alarm = (
      alarmId: string,
      alarmProps: cloudwatch.CreateAlarmOptions,
      metric: cloudwatch.Metric | cloudwatch.MathExpression,
    ): void => {
      const created = metric.createAlarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...alarmProps,
        alarmName: `${props.namespace}-${alarmProps.alarmName ?? alarmId}`,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };

    const hour = Duration.hours(1);
    const targetsFailed = handlerMetric('TargetsFailed', hour);
    alarm(
      'FailedTargets',
      {
        alarmName: 'failed-targets',
        alarmDescription:
          'Account-regions the nightly audit could not read (role missing or denied, throttled, unreachable). ' +
          'Their clusters keep their last report, marked stale; see the run record in the fleet table.',
        threshold: props.failedAccountRegionsThreshold,
        evaluationPeriods: 1,
      },
      targetsFailed,
    );
    if (props.nightly !== undefined) {
      alarm(
        'NightlyRunFailed',
        {
          alarmName: 'nightly-run-failed',
          alarmDescription: 'A nightly audit execution failed, timed out or was aborted.',
          threshold: 1,
          evaluationPeriods: 1,
        },
        failedExecutions(props.nightly, 'Nightly runs failed', hour),
      );
    }
    if (props.upgrade !== undefined) {
      alarm(
        'UpgradeFailed',
        {
          alarmName: 'upgrade-failed',
          alarmDescription:
            'A cluster upgrade execution failed, timed out or was aborted; the execution history names the step, ' +
            'the upgrade record in the fleet table says where the cluster stopped.',
          threshold: 1,
          evaluationPeriods: 1,
        },
        failedExecutions(props.upgrade, 'Upgrades failed', Duration.minutes(5)),
      );
    }
    for (const { entry, fn } of props.functions) {
      alarm(
        `${entry}-errors`,
        {
          alarmName: `errors-${entry}`,
          alarmDescription: `The ${entry} handler threw (after its own retries, the state machine may still retry).`,
          threshold: 1,
          evaluationPeriods: 1,
        },
        fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      );
    }
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    alarm(
      'DeadLetterQueueDepth',
      {
        alarmName: 'dead-letter-queue',
        alarmDescription: 'The nightly schedule could not start the audit; the failed start waits in the DLQ.',
        threshold: 1,
        evaluationPeriods: 1,
      },
      dlqDepth,
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.namespace,
      defaultInterval: Duration.days(7),
    });
    const day = Duration.days(1);
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Nightly audit',
        left: [handlerMetric('ClustersAudited', day), handlerMetric('TargetsScheduled', day)],
        right: [targetsFailed.with({ period: day }), handlerMetric('StaleClusters', day)],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Alerts',
        left: [handlerMetric('AlertsSent', day), handlerMetric('DigestsSent', day)],
        right: [handlerMetric('AlertsFailed', day)],
        width: 12,
      }),
    );
    const executions = [props.nightly, props.upgrade]
      .filter((machine): machine is sfn.IStateMachine => machine !== undefined)
      .map(
        (machine) =>
          new cloudwatch.GraphWidget({
            title: `Executions: ${machine === props.nightly ? 'nightly audit' : 'cluster upgrades'}`,
            left: [machine.metricStarted({ period: day }), machine.metricSucceeded({ period: day })],
            right: [failedExecutions(machine, 'Failed, timed out or aborted', day)],
            width: 12,
          }),
      );
    if (executions.length > 0) this.dashboard.addWidgets(...executions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Handler errors',
        left: props.functions.map(({ entry, fn }) => fn.metricErrors({ period: hour, label: entry })),
        right: [handlerMetric('TaskErrors', hour)],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Handler duration (p95)',
        left: props.functions.map(({ entry, fn }) =>
          fn.metricDuration({ period: hour, statistic: cloudwatch.Stats.p(95), label: entry }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue', left: [dlqDepth], width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Upgrades started',
        left: [handlerMetric('UpgradesStarted', hour)],
        right: props.upgrade === undefined ? [] : [props.upgrade.metricStarted({ period: hour })],
        width: 12,
      }),
    );
  }
}

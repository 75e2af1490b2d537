/**
 * The role an EventBridge Scheduler schedule of this stack runs as: trusted by the Scheduler service for schedules of
 * this account's default group only, and allowed to send a failed delivery to the hub's dead-letter queue (encrypted
 * with the fleet key: sending needs SQS send plus the two KMS actions SQS uses for it). What the schedule invokes is
 * granted by its caller.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** What {@link schedulerRole} needs. */
export interface SchedulerRoleProps {
  readonly description: string;
  readonly deadLetterQueue: sqs.IQueue;
  readonly key: kms.IKey;
}

/** A Scheduler role under `scope` with the id `id` (the trust and dead-letter statements of every hub schedule). */
export function schedulerRole(scope: Construct, id: string, props: SchedulerRoleProps): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    description: props.description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        // Schedules of the default group of this account only (the hub's schedules are in it).
        ArnEquals: {
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DeadLetterSchedule',
      actions: ['sqs:SendMessage'],
      resources: [props.deadLetterQueue.queueArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DeadLetterQueueKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [props.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
    }),
  );
  return role;
}

/**
 * The hub's stateful part, in its own stack so the functions can be replaced freely: the fleet table, the alert
 * topic and the key that encrypts both. All three are retained when the stack is deleted.
 */
import { ArnFormat, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/adapters/store/table-schema.ts';

/** Names and subscribers of the stateful resources. */
export interface HubStateStackProps extends StackProps {
  readonly namespace: string;
  /** E-mail addresses subscribed to the alert topic. */
  readonly alertEmails: readonly string[];
}

/**
 * Table (keys from `TABLE_SCHEMA`, PITR, TTL, KMS), alert and alarm topics (KMS, SSL only, e-mail subscribers) and
 * their KMS key, all retained.
 */
export class HubStateStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly topic: sns.Topic;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: HubStateStackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'Key', {
      description: `EKS Fleet Auditor (${props.namespace}): fleet table, alert topic, dead-letter queue, log groups`,
      alias: `alias/${props.namespace}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic as the CloudWatch service, not as a role of ours.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    // CloudWatch Logs of this region encrypts the hub's log groups (functions, state machines) with this key, and
    // only for log groups of this account (the encryption context names the log group).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    const { partitionKey, sortKey, byTarget, sparse, ttlAttribute } = TABLE_SCHEMA;
    this.table = new dynamodb.Table(this, 'FleetTable', {
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: byTarget.indexName,
      partitionKey: { name: byTarget.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byTarget.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // Sparse: the wave index of opted-in clusters and the failed account-regions of a run, a few attributes each.
    this.table.addGlobalSecondaryIndex({
      indexName: sparse.indexName,
      partitionKey: { name: sparse.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: sparse.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...sparse.projected],
    });

    // The product's events (DESIGN §5.4): subscribers parse them, so nothing else is published here.
    this.topic = this.encryptedTopic('AlertTopic', 'EKS Fleet Auditor', props.alertEmails);
    // CloudWatch alarms about the auditor itself, for the team that runs it.
    this.alarmTopic = this.encryptedTopic('AlarmTopic', 'EKS Fleet Auditor operations', props.alertEmails);

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'KeyArn', { value: this.key.keyArn });
  }

  private encryptedTopic(id: string, displayName: string, emails: readonly string[]): sns.Topic {
    const topic = new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
    topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}

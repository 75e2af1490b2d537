import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA, createTableInput } from '../../functions/adapters/store/table-schema.ts';
import { CHECKED_IN_CONFIG, resourcesOf, sharedSynthesis } from './infra-fixtures.ts';
import type { SynthesizedApp } from './infra-fixtures.ts';

let app: SynthesizedApp;
// The first synthesis of a worker loads all of aws-cdk-lib: seconds, more on a busy machine.
beforeAll(() => {
  app = sharedSynthesis();
}, 120_000);

function onlyResource(type: string): { logicalId: string; resource: Record<string, unknown> } {
  const found = app.state.findResources(type);
  const ids = Object.keys(found);
  expect(ids).toHaveLength(1);
  const logicalId = ids[0] ?? '';
  return { logicalId, resource: found[logicalId] as Record<string, unknown> };
}

describe('HubStateStack fleet table', () => {
  it('has the key schema, attributes and byTarget index of TABLE_SCHEMA, exactly as the local store creates them', () => {
    const local = createTableInput('fleet');

    app.state.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions ?? []),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
      BillingMode: TABLE_SCHEMA.billingMode,
    });
  });

  it('expires items by the TTL attribute of TABLE_SCHEMA', () => {
    app.state.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    });
  });

  it('keeps point-in-time recovery on and refuses deletion', () => {
    app.state.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('is encrypted with the stack key and retained when the stack goes', () => {
    const key = onlyResource('AWS::KMS::Key');

    app.state.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [key.logicalId, 'Arn'] },
        },
      }),
    });
  });
});

describe('HubStateStack key', () => {
  it('rotates yearly and is retained', () => {
    app.state.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('lets CloudWatch alarms of this account encrypt messages for the alarm topic', () => {
    app.state.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': CHECKED_IN_CONFIG.hubAccountId } },
          }),
        ]),
      },
    });
  });
});

describe('HubStateStack topics', () => {
  it('encrypts both topics (alerts, alarms) with the stack key and retains them', () => {
    const key = onlyResource('AWS::KMS::Key');
    const topics = app.state.findResources('AWS::SNS::Topic', {
      DeletionPolicy: 'Retain',
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [key.logicalId, 'Arn'] } },
    });

    expect(Object.keys(topics)).toHaveLength(2);
  });

  it('denies every publish or subscribe that does not use TLS, on both topics', () => {
    const policies = resourcesOf(app.state, 'AWS::SNS::TopicPolicy');
    const guarded = Object.values(policies).flatMap((policy) => {
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement;
      const denies = statements.some(
        (statement) =>
          statement['Effect'] === 'Deny' &&
          JSON.stringify(statement['Condition']) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      );
      return denies ? (policy.Properties['Topics'] as unknown[]) : [];
    });

    expect(guarded).toHaveLength(2);
  });

  it('subscribes every configured e-mail address to both topics', () => {
    for (const email of CHECKED_IN_CONFIG.alertEmails) {
      const subscriptions = app.state.findResources('AWS::SNS::Subscription', {
        Properties: { Protocol: 'email', Endpoint: email },
      });
      expect(Object.keys(subscriptions)).toHaveLength(2);
    }
  });

  it('exports what the hub and an operator need: table name, topic ARNs, key ARN', () => {
    for (const output of ['TableName', 'TopicArn', 'AlarmTopicArn', 'KeyArn']) {
      app.state.hasOutput(output, {});
    }
  });
});

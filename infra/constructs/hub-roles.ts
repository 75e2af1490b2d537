/**
 * The hub's two Lambda roles. Their names come from the naming module, because the member roles trust exactly
 * these two ARNs: every audit function shares the audit role, every upgrade function the upgrade role.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { roleArn, roleNames } from '../../functions/core/naming.ts';
import { nagPartition } from '../stacks/member-roles-stack.ts';
import { grantFleetTable } from './grants.ts';

/** The deployment, the accounts the roles may reach, and the resources they use. */
export interface HubRolesProps {
  readonly namespace: string;
  /** Member accounts to audit; empty = the whole organization (any account id in the member role ARN). */
  readonly accountIds: readonly string[];
  readonly table: dynamodb.ITable;
  /** The key of the table and the topic. */
  readonly key: kms.IKey;
  readonly topic: sns.ITopic;
}

/**
 * The audit role (may assume the member read roles, list the organization's accounts when no account list is
 * configured, use the table and publish alerts) and the upgrade role (may assume the member upgrade roles, use the
 * table and publish). Logging permissions are added per function by the caller, for its own log group only.
 */
export class HubRoles extends Construct {
  readonly audit: iam.Role;
  readonly upgrade: iam.Role;

  constructor(scope: Construct, id: string, props: HubRolesProps) {
    super(scope, id);
    const names = roleNames(props.namespace);
    const lambdaPrincipal = new iam.ServicePrincipal('lambda.amazonaws.com');
    const organizationWide = props.accountIds.length === 0;
    // A literal partition when the feature flag @aws-cdk/core:enablePartitionLiterals allows (the hub has an env).
    const partition = Stack.of(this).partition;
    const memberRoleArns = (name: string): string[] =>
      organizationWide
        ? [roleArn('*', name, partition)]
        : props.accountIds.map((account) => roleArn(account, name, partition));

    this.audit = new iam.Role(this, 'AuditRole', {
      roleName: names.hubAudit,
      description: `EKS Fleet Auditor (${props.namespace}): nightly audit functions; trusted by every member read role`,
      assumedBy: lambdaPrincipal,
    });
    this.audit.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberReadRoles',
        actions: ['sts:AssumeRole'],
        resources: memberRoleArns(names.read),
      }),
    );
    if (organizationWide) {
      this.audit.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DiscoverAccounts',
          actions: [
            'organizations:ListAccounts',
            'organizations:ListAccountsForParent',
            'organizations:ListOrganizationalUnitsForParent',
          ],
          resources: ['*'],
        }),
      );
      Validations.of(this.audit).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'organizations:ListAccounts has no resource-level permissions, and the roots and OUs of ' +
          'ListAccountsForParent/ListOrganizationalUnitsForParent are named by an organization id unknown at ' +
          'synthesis; all three only list accounts and OUs.',
      });
      Validations.of(this.audit).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagPartition(partition)}:iam::*:role/${names.read}]`,
        reason:
          'No account list is configured, so the audit covers every account of the organization: the hub may ' +
          'assume only the read role of this deployment, by exact name, in whichever account holds it.',
      });
    }
    grantFleetTable(this.audit, props.table, props.key);
    props.topic.grantPublish(this.audit);

    this.upgrade = new iam.Role(this, 'UpgradeRole', {
      roleName: names.hubUpgrade,
      description: `EKS Fleet Auditor (${props.namespace}): upgrade workflow functions; trusted by every member upgrade role`,
      assumedBy: lambdaPrincipal,
    });
    this.upgrade.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberUpgradeRoles',
        actions: ['sts:AssumeRole'],
        resources: memberRoleArns(names.upgrade),
      }),
    );
    if (organizationWide) {
      Validations.of(this.upgrade).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagPartition(partition)}:iam::*:role/${names.upgrade}]`,
        reason:
          'No account list is configured, so opted-in clusters may be in any account of the organization: the hub ' +
          'may assume only the upgrade role of this deployment, by exact name.',
      });
    }
    grantFleetTable(this.upgrade, props.table, props.key);
    props.topic.grantPublish(this.upgrade);

    for (const role of [this.audit, this.upgrade]) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to the KMS-encrypted alert topic (the SNS grant): data-key actions on the one fleet key only.',
      });
    }
  }
}

/**
 * One role per hub Lambda function, holding only what that function does (infra/function-access.ts). The roles of
 * the functions that assume member roles have fixed names from the naming module, because the member roles trust
 * exactly those ARNs; every other role has a generated name.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { roleArn, roleNames } from '../../functions/core/naming.ts';
import { TABLE_SCHEMA } from '../../functions/adapters/store/table-schema.ts';
import { constructIdOf, hubRoleName } from '../function-access.ts';
import type { FunctionAccess } from '../function-access.ts';
import { nagPartition } from '../stacks/member-roles-stack.ts';

/** DynamoDB actions of the store adapter's reads (GetCommand, QueryCommand, ScanCommand). */
export const TABLE_READ_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];

/** DynamoDB actions of the store adapter's writes (PutCommand, UpdateCommand, DeleteCommand). */
export const TABLE_WRITE_ACTIONS: readonly string[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** The deployment, the accounts the roles may reach, and the resources they use. */
export interface HubRolesProps {
  readonly namespace: string;
  /** Member accounts to audit; empty = the whole organization (any account id in the member role ARN). */
  readonly accountIds: readonly string[];
  /** The organization of hub and members, when configured (`aws:ResourceOrgID` on member role assumption). */
  readonly organizationId: string | null;
  readonly table: dynamodb.ITable;
  /** The key of the table and the topic. */
  readonly key: kms.IKey;
  readonly topic: sns.ITopic;
}

/** Builds the role of each function from what it does. */
export class HubRoles extends Construct {
  private readonly props: HubRolesProps;
  readonly roles = new Map<string, iam.Role>();

  constructor(scope: Construct, id: string, props: HubRolesProps) {
    super(scope, id);
    this.props = props;
  }

  /**
   * The role of the function built from `entry`: trusted by Lambda of this account only; table reads, and writes only
   * of the item kinds it owns; publishing, member-role assumption and organization listing only when it does them.
   * Starting upgrade executions is granted by the caller (the state machine must exist first).
   */
  roleFor(entry: string, access: FunctionAccess): iam.Role {
    const existing = this.roles.get(entry);
    if (existing !== undefined) return existing;
    const { props } = this;
    const stack = Stack.of(this);
    const fixedName = hubRoleName(props.namespace, entry);
    const role = new iam.Role(this, constructIdOf(entry), {
      ...(fixedName === null ? {} : { roleName: fixedName }),
      description: `EKS Fleet Auditor (${props.namespace}): the ${entry} function`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.roles.set(entry, role);

    const keyActions = new Set<string>();
    const prefixes = access.tableWritePrefixes;
    if (prefixes !== null) {
      const { table } = props;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadFleetTable',
          actions: [...TABLE_READ_ACTIONS],
          resources: [
            table.tableArn,
            `${table.tableArn}/index/${TABLE_SCHEMA.byTarget.indexName}`,
            `${table.tableArn}/index/${TABLE_SCHEMA.sparse.indexName}`,
          ],
        }),
      );
      keyActions.add('kms:Decrypt');
      if (prefixes.length > 0) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'WriteOwnItemKinds',
            actions: [...TABLE_WRITE_ACTIONS],
            resources: [table.tableArn],
            conditions: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
            },
          }),
        );
        keyActions.add('kms:Encrypt').add('kms:GenerateDataKey');
      }
    }
    if (access.publishes) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
      );
      keyActions.add('kms:Decrypt').add('kms:GenerateDataKey');
    }
    if (keyActions.size > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'FleetKeyViaTableAndTopic',
          actions: [...keyActions].sort(),
          resources: [props.key.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': [`dynamodb.${stack.region}.amazonaws.com`, `sns.${stack.region}.amazonaws.com`],
            },
          },
        }),
      );
    }
    if (access.assumes !== null) this.grantAssumeMemberRole(role, access.assumes);
    const listsOrganization = access.listsOrganization && props.accountIds.length === 0;
    if (listsOrganization) this.grantListOrganization(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing of the function (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level ' +
        'permissions.' +
        (listsOrganization
          ? ' organizations:ListAccounts has none either, and the roots and OUs of ListAccountsForParent and ' +
            'ListOrganizationalUnitsForParent are named by an organization id unknown at synthesis; all three only ' +
            'list accounts and OUs.'
          : ''),
    });
    return role;
  }

  /** sts:AssumeRole and sts:SetSourceIdentity on the member role `kind` of the audited accounts (or organization). */
  private grantAssumeMemberRole(role: iam.Role, kind: 'read' | 'upgrade'): void {
    const { props } = this;
    const partition = Stack.of(this).partition;
    const names = roleNames(props.namespace);
    const memberRole = kind === 'read' ? names.read : names.upgrade;
    const organizationWide = props.accountIds.length === 0;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberRole',
        actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        resources: organizationWide
          ? [roleArn('*', memberRole, partition)]
          : props.accountIds.map((account) => roleArn(account, memberRole, partition)),
        ...(props.organizationId === null
          ? {}
          : { conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } } }),
      }),
    );
    if (organizationWide) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagPartition(partition)}:iam::*:role/${memberRole}]`,
        reason:
          'No account list is configured, so the audit covers every account of the organization: this function may ' +
          'assume only the one member role of this deployment, by exact name, and only inside the organization ' +
          '(aws:ResourceOrgID condition).',
      });
    }
  }

  private grantListOrganization(role: iam.Role): void {
    role.addToPrincipalPolicy(
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
  }
}

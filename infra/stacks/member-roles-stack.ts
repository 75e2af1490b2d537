/**
 * The member-account stack: the two roles the hub assumes in every audited account. It has no assets, no
 * parameters and no bootstrap check, so the same template deploys with `cdk deploy`, with
 * `aws cloudformation deploy`, or as a service-managed StackSet over organizational units.
 */
import { Aws, CfnOutput, CliCredentialsStackSynthesizer, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { roleArn, roleNames } from '../../functions/core/naming.ts';

/** EKS actions of the audit: List/Describe only, nothing that changes a cluster. */
export const EKS_READ_ACTIONS: readonly string[] = [
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:DescribeClusterVersions',
  'eks:ListNodegroups',
  'eks:DescribeNodegroup',
  'eks:ListAddons',
  'eks:DescribeAddon',
  'eks:DescribeAddonVersions',
  'eks:ListFargateProfiles',
  'eks:DescribeFargateProfile',
  'eks:ListInsights',
  'eks:DescribeInsight',
  'eks:ListUpdates',
  'eks:DescribeUpdate',
  'eks:ListTagsForResource',
];

/** Tag on every resource of a deployment: which namespace it belongs to. */
export const NAMESPACE_TAG = 'fleet-auditor:namespace';

/** What the member roles need to know about the deployment: its names, hub, regions and opt-in tag. */
export interface MemberRolesStackProps extends StackProps {
  /** Deployment namespace: names the roles and the hub roles they trust. */
  readonly namespace: string;
  /** The hub account; its two named roles are the only principals trusted. */
  readonly hubAccountId: string;
  /** Regions the upgrade role may update clusters in. */
  readonly regions: readonly string[];
  /** Opt-in tag prefix; `<prefix>auto-upgrade = true` on a cluster lets the upgrade role update its version. */
  readonly tagPrefix: string;
  /**
   * The hub's partition (`aws`, `aws-cn`, ...), written into the ARNs literally so the template reads as IAM will.
   * Default: the partition of the account the stack is deployed to (the same, as roles cannot trust across).
   */
  readonly partition?: string;
}

/**
 * The read role (trusts only the hub audit role) and the upgrade role (trusts only the hub upgrade role; may update
 * the control plane only of clusters tagged for auto-upgrade, and node groups and add-ons in the audited regions).
 */
export class MemberRolesStack extends Stack {
  readonly readRole: iam.Role;
  readonly upgradeRole: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRolesStackProps) {
    // No bootstrap resources are needed (no assets), so no bootstrap-version rule: StackSets deploy it as is.
    super(scope, id, { synthesizer: new CliCredentialsStackSynthesizer(), ...props });
    const names = roleNames(props.namespace);
    Tags.of(this).add(NAMESPACE_TAG, props.namespace);
    const partition = props.partition ?? Aws.PARTITION;
    const hubRole = (name: string): iam.IPrincipal =>
      new iam.ArnPrincipal(roleArn(props.hubAccountId, name, partition));

    this.readRole = new iam.Role(this, 'ReadRole', {
      roleName: names.read,
      description: `EKS Fleet Auditor (${props.namespace}): read-only EKS inventory, assumed by the hub audit role`,
      assumedBy: hubRole(names.hubAudit),
      inlinePolicies: {
        EksRead: new iam.PolicyDocument({ statements: [eksReadStatement()] }),
        // The bake's health check reads the alarms a cluster's health-alarms tag names (DESIGN §7.1).
        HealthAlarmsRead: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'HealthAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }),
          ],
        }),
      },
    });
    Validations.of(this.readRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Read-only EKS List/Describe across the clusters of this account, which the audit discovers at run time; ' +
        'ListClusters, DescribeClusterVersions and DescribeAddonVersions support no resource-level scoping; ' +
        'cloudwatch:DescribeAlarms reads alarm state only, of alarms named by cluster tags at run time.',
    });

    this.upgradeRole = new iam.Role(this, 'UpgradeRole', {
      roleName: names.upgrade,
      description: `EKS Fleet Auditor (${props.namespace}): version updates of opted-in clusters, assumed by the hub upgrade role`,
      assumedBy: hubRole(names.hubUpgrade),
      inlinePolicies: {
        EksRead: new iam.PolicyDocument({ statements: [eksReadStatement()] }),
        EksUpgrade: new iam.PolicyDocument({
          statements: upgradeStatements(props.regions, props.tagPrefix, partition),
        }),
      },
    });
    Validations.of(this.upgradeRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Pre-flight re-reads the cluster with the same read-only EKS List/Describe actions as the read role.',
    });
    for (const region of props.regions) {
      for (const kind of ['cluster/*', 'nodegroup/*/*/*', 'addon/*/*/*']) {
        Validations.of(this.upgradeRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:${nagPartition(partition)}:eks:${region}:<AWS::AccountId>:${kind}]`,
          reason:
            kind === 'cluster/*'
              ? 'Opted-in clusters are known only at run time; UpdateClusterVersion is allowed only when the ' +
                'cluster carries the auto-upgrade opt-in tag (aws:ResourceTag condition).'
              : 'Node groups and add-ons carry their own tags, not the cluster opt-in tag, so IAM cannot condition ' +
                'on it; the update is scoped to this account and the audited regions, and the workflow touches ' +
                'them only for a cluster whose opt-in tag its pre-flight has just re-read.',
        });
      }
    }

    new CfnOutput(this, 'ReadRoleArn', { value: this.readRole.roleArn });
    new CfnOutput(this, 'UpgradeRoleArn', { value: this.upgradeRole.roleArn });
  }
}

function eksReadStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'EksReadOnly', actions: [...EKS_READ_ACTIONS], resources: ['*'] });
}

/** The opt-in tag key IAM checks, e.g. `aws:ResourceTag/fleet-auditor/auto-upgrade`. */
export function optInConditionKey(tagPrefix: string): string {
  return `aws:ResourceTag/${tagPrefix}auto-upgrade`;
}

/** How cdk-nag writes `partition` in a finding id: the literal, or the pseudo parameter it refers to. */
export function nagPartition(partition: string): string {
  return Token.isUnresolved(partition) ? '<AWS::Partition>' : partition;
}

function upgradeStatements(regions: readonly string[], tagPrefix: string, partition: string): iam.PolicyStatement[] {
  const arns = (kind: string): string[] =>
    regions.map((region) => `arn:${partition}:eks:${region}:${Aws.ACCOUNT_ID}:${kind}`);
  return [
    new iam.PolicyStatement({
      sid: 'ControlPlaneOfOptedInClusters',
      actions: ['eks:UpdateClusterVersion'],
      resources: arns('cluster/*'),
      // The core reads the tag value case-insensitively (`TRUE` opts in too); IAM does the same here.
      conditions: { StringEqualsIgnoreCase: { [optInConditionKey(tagPrefix)]: 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'NodegroupsInAuditedRegions',
      actions: ['eks:UpdateNodegroupVersion'],
      resources: arns('nodegroup/*/*/*'),
    }),
    new iam.PolicyStatement({
      sid: 'AddonsInAuditedRegions',
      actions: ['eks:UpdateAddon'],
      resources: arns('addon/*/*/*'),
    }),
  ];
}

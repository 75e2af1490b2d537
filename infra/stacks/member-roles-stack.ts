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
import { hubRolesAssuming } from '../function-access.ts';
import type { MemberRoleKind } from '../function-access.ts';

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

/** CloudWatch actions of the bake's health check (the `health-alarms` tag): alarm state only. */
export const HEALTH_READ_ACTIONS: readonly string[] = ['cloudwatch:DescribeAlarms'];

/** Tag on every resource of a deployment: which namespace it belongs to. */
export const NAMESPACE_TAG = 'fleet-auditor:namespace';

/** What the member roles need to know about the deployment: its names, hub, regions and opt-in tag. */
export interface MemberRolesStackProps extends StackProps {
  /** Deployment namespace: names the roles and the hub roles they trust. */
  readonly namespace: string;
  /** The hub account; its named function roles are the only principals trusted. */
  readonly hubAccountId: string;
  /** The organization of hub and members: when set, trust also requires `aws:PrincipalOrgID` = it. */
  readonly organizationId: string | null;
  /** Regions the upgrade role may update clusters in. */
  readonly regions: readonly string[];
  /** Opt-in tag prefix; `<prefix>auto-upgrade = true` on a cluster, node group or add-on lets the upgrade role update it. */
  readonly tagPrefix: string;
  /** False for an audit-only deployment (`maxConcurrentUpgrades = 0`): no upgrade role at all. */
  readonly upgrades: boolean;
  /**
   * The hub's partition (`aws`, `aws-cn`, ...), written into the ARNs literally so the template reads as IAM will.
   * Default: the partition of the account the stack is deployed to (the same, as roles cannot trust across).
   */
  readonly partition?: string;
}

/**
 * The read role (trusts only the hub audit function's role) and, unless audit-only, the upgrade role (trusts only
 * the roles of the upgrade functions that call EKS; may update a cluster's control plane, a node group or an add-on
 * only when that very resource carries `<prefix>auto-upgrade = true`, exactly, in the audited regions).
 */
export class MemberRolesStack extends Stack {
  readonly readRole: iam.Role;
  readonly upgradeRole: iam.Role | null;

  constructor(scope: Construct, id: string, props: MemberRolesStackProps) {
    // No bootstrap resources are needed (no assets), so no bootstrap-version rule: StackSets deploy it as is.
    super(scope, id, { synthesizer: new CliCredentialsStackSynthesizer(), ...props });
    const names = roleNames(props.namespace);
    Tags.of(this).add(NAMESPACE_TAG, props.namespace);
    const partition = props.partition ?? Aws.PARTITION;
    const readTrust = hubTrust(props, 'read', partition);

    this.readRole = new iam.Role(this, 'ReadRole', {
      roleName: names.read,
      description: `EKS Fleet Auditor (${props.namespace}): read-only EKS inventory, assumed by the hub audit function`,
      assumedBy: readTrust,
      inlinePolicies: { EksRead: new iam.PolicyDocument({ statements: [eksReadStatement()] }) },
    });
    allowSourceIdentity(this.readRole, readTrust);
    Validations.of(this.readRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Read-only EKS List/Describe across the clusters of this account, which the audit discovers at run time; ' +
        'ListClusters, DescribeClusterVersions and DescribeAddonVersions support no resource-level scoping; ' +
        'cloudwatch:DescribeAlarms reads alarm state only, of alarms named by cluster tags at run time.',
    });
    new CfnOutput(this, 'ReadRoleArn', { value: this.readRole.roleArn });

    if (!props.upgrades) {
      this.upgradeRole = null;
      return;
    }
    const upgradeTrust = hubTrust(props, 'upgrade', partition);
    const upgradeRole = new iam.Role(this, 'UpgradeRole', {
      roleName: names.upgrade,
      description: `EKS Fleet Auditor (${props.namespace}): version updates of opted-in resources, assumed by the hub upgrade functions`,
      assumedBy: upgradeTrust,
      inlinePolicies: {
        EksRead: new iam.PolicyDocument({ statements: [eksReadStatement(), healthReadStatement()] }),
        EksUpgrade: new iam.PolicyDocument({
          statements: upgradeStatements(props.regions, props.tagPrefix, partition),
        }),
      },
    });
    this.upgradeRole = upgradeRole;
    allowSourceIdentity(upgradeRole, upgradeTrust);
    Validations.of(upgradeRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Pre-flight re-reads the cluster with the same read-only EKS List/Describe actions as the read role; the ' +
        'bake check reads alarm state only (cloudwatch:DescribeAlarms) of alarms named by cluster tags at run time.',
    });
    for (const region of props.regions) {
      for (const kind of UPGRADE_RESOURCE_KINDS) {
        Validations.of(upgradeRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:${nagPartition(partition)}:eks:${region}:<AWS::AccountId>:${kind}]`,
          reason:
            'Opted-in clusters, node groups and add-ons are known only at run time; every update is allowed only ' +
            'when the resource it changes carries the auto-upgrade opt-in tag with the exact value true ' +
            '(aws:ResourceTag condition, StringEquals), in this account and the audited regions.',
        });
      }
    }
    new CfnOutput(this, 'UpgradeRoleArn', { value: upgradeRole.roleArn });
  }
}

/**
 * Who may assume a member role: exactly the hub function roles that assume it (never an account root), with a
 * SourceIdentity (so CloudTrail here names the run or execution that acted), from the hub account and, when the
 * organization is configured, from inside it.
 */
function hubTrust(props: MemberRolesStackProps, kind: MemberRoleKind, partition: string): iam.IPrincipal {
  const arns = hubRolesAssuming(props.namespace, kind).map((name) => roleArn(props.hubAccountId, name, partition));
  const conditions: Record<string, Record<string, unknown>> = {
    StringEquals: {
      'aws:PrincipalAccount': props.hubAccountId,
      ...(props.organizationId === null ? {} : { 'aws:PrincipalOrgID': props.organizationId }),
    },
    Null: { 'sts:SourceIdentity': 'false' },
  };
  const [first, ...rest] = arns.map((arn) => new iam.ArnPrincipal(arn));
  if (first === undefined) throw new RangeError(`no hub function assumes the ${kind} role`);
  const principal = rest.length === 0 ? first : new iam.CompositePrincipal(first, ...rest);
  return new iam.PrincipalWithConditions(principal, conditions);
}

/** Lets the trusted hub roles set a SourceIdentity on their sessions, under the same conditions as AssumeRole. */
function allowSourceIdentity(role: iam.Role, principal: iam.IPrincipal): void {
  role.assumeRolePolicy?.addStatements(
    new iam.PolicyStatement({ actions: ['sts:SetSourceIdentity'], principals: [principal] }),
  );
}

/** The EKS resources the upgrade role updates, as ARN resource parts. */
const UPGRADE_RESOURCE_KINDS = ['cluster/*', 'nodegroup/*/*/*', 'addon/*/*/*'] as const;

function eksReadStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'EksReadOnly', actions: [...EKS_READ_ACTIONS], resources: ['*'] });
}

function healthReadStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'HealthAlarmsRead', actions: [...HEALTH_READ_ACTIONS], resources: ['*'] });
}

/** The opt-in tag key IAM checks, e.g. `aws:ResourceTag/fleet-auditor/auto-upgrade`. */
export function optInConditionKey(tagPrefix: string): string {
  return `aws:ResourceTag/${tagPrefix}auto-upgrade`;
}

/** How cdk-nag writes `partition` in a finding id: the literal, or the pseudo parameter it refers to. */
export function nagPartition(partition: string): string {
  return Token.isUnresolved(partition) ? '<AWS::Partition>' : partition;
}

/** EKS write actions of the upgrade path (functions/adapters/eks-upgrader.ts), each on the resource it changes. */
export const EKS_UPGRADE_ACTIONS: Readonly<Record<string, (typeof UPGRADE_RESOURCE_KINDS)[number]>> = {
  'eks:UpdateClusterVersion': 'cluster/*',
  'eks:UpdateNodegroupVersion': 'nodegroup/*/*/*',
  'eks:UpdateAddon': 'addon/*/*/*',
};

function upgradeStatements(regions: readonly string[], tagPrefix: string, partition: string): iam.PolicyStatement[] {
  const arns = (kind: string): string[] =>
    regions.map((region) => `arn:${partition}:eks:${region}:${Aws.ACCOUNT_ID}:${kind}`);
  // EKS tags a cluster, each node group and each add-on separately; IAM compares the value exactly (no trimming,
  // no case folding), as the product parses it, so `" true"` or `TRUE` opts nothing in.
  const optedIn = { StringEquals: { [optInConditionKey(tagPrefix)]: 'true' } };
  const sids: Record<string, string> = {
    'eks:UpdateClusterVersion': 'ControlPlaneOfOptedInClusters',
    'eks:UpdateNodegroupVersion': 'OptedInNodegroups',
    'eks:UpdateAddon': 'OptedInAddons',
  };
  return Object.entries(EKS_UPGRADE_ACTIONS).map(
    ([action, kind]) =>
      new iam.PolicyStatement({ sid: sids[action], actions: [action], resources: arns(kind), conditions: optedIn }),
  );
}

/**
 * EKS resources in their wire shapes (DescribeCluster's `cluster`, DescribeNodegroup's `nodegroup`, …), built from
 * the simulator's state. Timestamps are epoch seconds, as restJson1 sends them.
 */
import { defaultInsightNames } from './defaults.ts';
import { LOG_TYPES, podIdentityAssociationArn } from './cluster-config.ts';
import { stableHex, stableUuid } from './ids.ts';
import { clusterEndpoint } from './state.ts';
import type { SimAddon, SimCluster, SimInsightSpec, SimNodegroup } from './state.ts';
import { addonStatus, clusterStatus, nodegroupStatus } from './updates.ts';
import { nextMinor } from './version-math.ts';
import { rollbackReadinessInsights } from './version-rollback.ts';

const seconds = (ms: number): number => ms / 1000;

/** DescribeCluster's `cluster`. */
export function renderCluster(cluster: SimCluster): Record<string, unknown> {
  const account = cluster.accountId;
  return {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: seconds(cluster.createdAtMs),
    version: cluster.version,
    endpoint: clusterEndpoint(cluster),
    roleArn: cluster.config.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...cluster.config.subnetIds],
      securityGroupIds: [...cluster.config.securityGroupIds],
      clusterSecurityGroupId: `sg-0${stableHex(cluster.arn, 16)}`,
      vpcId: `vpc-0${stableHex(`${account}/${cluster.region}`, 16)}`,
      endpointPublicAccess: cluster.config.endpointPublicAccess,
      endpointPrivateAccess: cluster.config.endpointPrivateAccess,
      publicAccessCidrs: [...cluster.config.publicAccessCidrs],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: cluster.config.serviceIpv4Cidr,
      ipFamily: cluster.config.ipFamily,
      elasticLoadBalancing: { enabled: cluster.autoMode },
    },
    logging: renderLogging(cluster.config.enabledLogTypes),
    ...(cluster.config.encryptionKeyArn === null
      ? {}
      : { encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: cluster.config.encryptionKeyArn } }] }),
    identity: {
      oidc: {
        issuer: `https://oidc.eks.${cluster.region}.amazonaws.com/id/${stableHex(cluster.arn, 32).toUpperCase()}`,
      },
    },
    status: clusterStatus(cluster),
    certificateAuthority: { data: Buffer.from(`simulated CA of ${cluster.arn}`).toString('base64') },
    platformVersion: cluster.platformVersion,
    tags: cluster.tags,
    health: { issues: [] },
    accessConfig: { authenticationMode: cluster.config.authenticationMode },
    upgradePolicy: { supportType: cluster.supportType },
    computeConfig: cluster.autoMode
      ? {
          enabled: true,
          nodePools: ['general-purpose', 'system'],
          nodeRoleArn: `arn:aws:iam::${account}:role/eks-auto-node-role`,
        }
      : { enabled: false },
    storageConfig: { blockStorage: { enabled: cluster.autoMode } },
    deletionProtection: false,
  };
}

/** DescribeNodegroup's `nodegroup`; custom-AMI node groups carry amiType CUSTOM and their launch template. */
export function renderNodegroup(cluster: SimCluster, ng: SimNodegroup): Record<string, unknown> {
  const uuid = ng.arn.split('/').at(-1) ?? '';
  return {
    nodegroupName: ng.name,
    nodegroupArn: ng.arn,
    clusterName: cluster.name,
    version: ng.version,
    releaseVersion: ng.releaseVersion,
    createdAt: seconds(ng.createdAtMs),
    modifiedAt: seconds(ng.modifiedAtMs),
    status: nodegroupStatus(cluster, ng.name),
    capacityType: ng.config.capacityType,
    scalingConfig: { ...ng.config.scaling },
    instanceTypes: [...ng.config.instanceTypes],
    subnets: [...ng.config.subnets],
    amiType: ng.amiType,
    nodeRole: ng.config.nodeRole,
    labels: { ...ng.config.labels },
    ...(ng.config.taints.length === 0
      ? {}
      : {
          taints: ng.config.taints.map((taint) => ({
            key: taint.key,
            ...(taint.value === null ? {} : { value: taint.value }),
            effect: taint.effect,
          })),
        }),
    resources: { autoScalingGroups: [{ name: `eks-${ng.name}-${uuid}` }] },
    health: { issues: [] },
    updateConfig: { maxUnavailable: 1 },
    ...(ng.config.launchTemplate === null
      ? {}
      : { launchTemplate: { ...ng.config.launchTemplate, version: String(ng.launchTemplateVersion) } }),
    ...(ng.config.diskSize === null ? {} : { diskSize: ng.config.diskSize }),
    tags: ng.tags,
  };
}

/** DescribeAddon's `addon`. */
export function renderAddon(cluster: SimCluster, addon: SimAddon): Record<string, unknown> {
  return {
    addonName: addon.name,
    clusterName: cluster.name,
    status: addonStatus(cluster, addon.name),
    addonVersion: addon.version,
    health: { issues: [] },
    addonArn: addon.arn,
    createdAt: seconds(addon.createdAtMs),
    modifiedAt: seconds(addon.modifiedAtMs),
    tags: addon.tags,
    publisher: 'eks',
    owner: 'aws',
    ...(addon.config.configurationValues === null ? {} : { configurationValues: addon.config.configurationValues }),
    ...(addon.config.serviceAccountRoleArn === null
      ? {}
      : { serviceAccountRoleArn: addon.config.serviceAccountRoleArn }),
    ...(addon.config.podIdentityAssociationIds.length === 0
      ? {}
      : {
          podIdentityAssociations: addon.config.podIdentityAssociationIds.map((id) =>
            podIdentityAssociationArn(cluster, id),
          ),
        }),
  };
}

/** DescribeCluster's `logging`: the enabled types, then the disabled ones (as EKS groups them). */
function renderLogging(enabled: readonly string[]): Record<string, unknown> {
  const disabled = LOG_TYPES.filter((type) => !enabled.includes(type));
  return {
    clusterLogging: [
      ...(enabled.length === 0 ? [] : [{ types: [...enabled], enabled: true }]),
      ...(disabled.length === 0 ? [] : [{ types: disabled, enabled: false }]),
    ],
  };
}

const DESCRIPTIONS: readonly [string, (kv: string) => string][] = [
  [
    'Kubelet version skew',
    () =>
      'Checks for kubelet versions of worker nodes in the cluster to see if upgrade would cause noncompliance with supported Kubernetes kubelet version skew policy.',
  ],
  [
    'kube-proxy version skew',
    () =>
      'Checks version of kube-proxy in cluster to see if upgrade would cause noncompliance with supported Kubernetes kube-proxy version skew policy.',
  ],
  [
    'Deprecated APIs removed in Kubernetes',
    (kv) =>
      `Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v${kv}. Upgrading your cluster before migrating to the updated APIs supported by v${kv} could cause application impact.`,
  ],
  [
    'Amazon EKS add-on version compatibility',
    () => 'Checks version of installed EKS add-ons to ensure they are compatible with the next version of Kubernetes.',
  ],
  [
    'Cluster health issues',
    () => 'Checks for any cluster health issues that prevent successful upgrade to the next Kubernetes version on EKS.',
  ],
];

const REASONS: Readonly<Record<string, string>> = {
  PASSING: 'No issues found.',
  WARNING: 'Issue found, but it does not block the next upgrade.',
  ERROR: 'Issues found that must be addressed before upgrading.',
  UNKNOWN: 'Unable to determine status.',
};

/** A cluster's insights: the fleet file's, or the PASSING set EKS reports for a healthy cluster. */
export function clusterInsights(cluster: SimCluster, nowMs: number): SimInsightSpec[] {
  const rollback = rollbackReadinessInsights(cluster, cluster.insights ?? [], nowMs);
  if (cluster.insights !== null) {
    return [...cluster.insights.filter((i) => i.category !== 'ROLLBACK_READINESS'), ...rollback];
  }
  const kubernetesVersion = nextMinor(cluster.version);
  return [
    ...defaultInsightNames(cluster.version).map((name): SimInsightSpec => ({
      name,
      status: 'PASSING',
      kubernetesVersion,
      reason: null,
      category: 'UPGRADE_READINESS',
    })),
    ...rollback,
  ];
}

/** The stable id of an insight of `cluster`. */
export function insightId(cluster: SimCluster, insight: SimInsightSpec): string {
  return stableUuid(`${cluster.arn}/insight/${insight.name}/${insight.kubernetesVersion}`);
}

/** ListInsights' InsightSummary. */
export function renderInsightSummary(
  cluster: SimCluster,
  insight: SimInsightSpec,
  nowMs: number,
): Record<string, unknown> {
  const describe = DESCRIPTIONS.find(([prefix]) => insight.name.startsWith(prefix))?.[1];
  return {
    id: insightId(cluster, insight),
    name: insight.name,
    category: insight.category,
    kubernetesVersion: insight.kubernetesVersion,
    lastRefreshTime: seconds(nowMs),
    lastTransitionTime: seconds(cluster.createdAtMs),
    description:
      describe?.(insight.kubernetesVersion) ??
      `Checks ${insight.name} before an upgrade to Kubernetes v${insight.kubernetesVersion}.`,
    insightStatus: { status: insight.status, reason: insight.reason ?? REASONS[insight.status] ?? '' },
  };
}

/** DescribeInsight's `insight`: the summary plus recommendation and details. */
export function renderInsight(cluster: SimCluster, insight: SimInsightSpec, nowMs: number): Record<string, unknown> {
  return {
    ...renderInsightSummary(cluster, insight, nowMs),
    recommendation:
      insight.status === 'PASSING'
        ? 'No action required.'
        : `Resolve the reported issue before upgrading to Kubernetes v${insight.kubernetesVersion}.`,
    additionalInfo: {},
    resources: [],
    categorySpecificSummary: { deprecationDetails: [], addonCompatibilityDetails: [] },
  };
}

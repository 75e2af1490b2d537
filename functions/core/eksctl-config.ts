/**
 * The replacement cluster of a blue/green plan as an eksctl ClusterConfig (`apiVersion: eksctl.io/v1alpha5`),
 * built from the plan's own Create* requests so both forms carry exactly the same facts.
 *
 * Decisions where eksctl and the EKS API differ:
 * - Subnets are listed under `vpc.subnets.private` by id: whether a subnet is public or private is not in the EKS
 *   API (a comment in the file says so; move public ones under `public`).
 * - `amiFamily` is derived from the AMI type (AL2023_* → AmazonLinux2023, …); eksctl derives the architecture and
 *   GPU variant from the instance types. Custom-AMI node groups carry only their launch template.
 * - Taint effects use Kubernetes' spelling (`NoSchedule`), capacity type SPOT becomes `spot: true`.
 */
import type { BlueGreenPlan, PlanRequest } from './blue-green-plan.ts';
import { toYaml, type YamlValue } from './yaml-writer.ts';

type Obj = { readonly [key: string]: YamlValue };

const TAINT_EFFECT: Readonly<Record<string, string>> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

/** eksctl's `amiFamily` for an EKS AMI type, or null when eksctl has none (custom AMI, unknown). */
export function amiFamilyOf(amiType: string | undefined): string | null {
  if (amiType === undefined) return null;
  if (amiType.startsWith('AL2023_')) return 'AmazonLinux2023';
  if (amiType.startsWith('AL2_')) return 'AmazonLinux2';
  if (amiType.startsWith('BOTTLEROCKET_')) return 'Bottlerocket';
  const windows = /^WINDOWS_(CORE|FULL)_(\d{4})_/.exec(amiType);
  if (windows !== null) return `WindowsServer${windows[2]}${windows[1] === 'CORE' ? 'Core' : 'Full'}Container`;
  return null;
}

function obj(value: unknown): Obj {
  return (typeof value === 'object' && value !== null ? value : {}) as Obj;
}

function list(value: unknown): readonly YamlValue[] {
  return Array.isArray(value) ? (value as YamlValue[]) : [];
}

function defined(entries: Record<string, YamlValue | undefined>): Obj {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Obj;
}

function inputsOf(plan: BlueGreenPlan, operation: PlanRequest['operation']): Obj[] {
  return plan.requests.filter((r) => r.operation === operation).map((r) => r.input as Obj);
}

function accessEntries(plan: BlueGreenPlan): YamlValue[] {
  const policies = inputsOf(plan, 'AssociateAccessPolicy');
  return inputsOf(plan, 'CreateAccessEntry').map((entry) =>
    defined({
      principalARN: entry.principalArn,
      type: entry.type,
      kubernetesUsername: entry.username,
      kubernetesGroups: entry.kubernetesGroups,
      accessPolicies: policies
        .filter((p) => p.principalArn === entry.principalArn)
        .map((p) => ({ policyARN: p.policyArn ?? null, accessScope: obj(p.accessScope) })),
      tags: entry.tags,
    }),
  );
}

function addons(plan: BlueGreenPlan): YamlValue[] {
  return inputsOf(plan, 'CreateAddon').map((addon) =>
    defined({
      name: addon.addonName,
      version: addon.addonVersion,
      resolveConflicts: 'overwrite',
      configurationValues: addon.configurationValues,
      serviceAccountRoleARN: addon.serviceAccountRoleArn,
      podIdentityAssociations:
        addon.podIdentityAssociations === undefined
          ? undefined
          : list(addon.podIdentityAssociations).map((a) => ({
              namespace: 'kube-system',
              serviceAccountName: obj(a).serviceAccount ?? null,
              roleARN: obj(a).roleArn ?? null,
            })),
      tags: addon.tags,
    }),
  );
}

function nodegroups(plan: BlueGreenPlan): YamlValue[] {
  return inputsOf(plan, 'CreateNodegroup').map((ng) => {
    const scaling = obj(ng.scalingConfig);
    const family = amiFamilyOf(typeof ng.amiType === 'string' ? ng.amiType : undefined);
    return defined({
      name: ng.nodegroupName,
      amiFamily: family ?? undefined,
      instanceTypes: ng.instanceTypes,
      desiredCapacity: scaling.desiredSize,
      minSize: scaling.minSize,
      maxSize: scaling.maxSize,
      volumeSize: ng.diskSize,
      spot: ng.capacityType === 'SPOT' ? true : undefined,
      subnets: ng.subnets,
      labels: ng.labels,
      taints:
        ng.taints === undefined
          ? undefined
          : list(ng.taints).map((t) =>
              defined({
                key: obj(t).key,
                value: obj(t).value,
                effect: TAINT_EFFECT[String(obj(t).effect)] ?? obj(t).effect ?? null,
              }),
            ),
      iam: { instanceRoleARN: ng.nodeRole ?? null },
      launchTemplate: ng.launchTemplate,
      updateConfig: ng.updateConfig,
      tags: ng.tags,
    });
  });
}

function fargateProfiles(plan: BlueGreenPlan): YamlValue[] {
  return inputsOf(plan, 'CreateFargateProfile').map((fp) =>
    defined({
      name: fp.fargateProfileName,
      podExecutionRoleARN: fp.podExecutionRoleArn,
      selectors: fp.selectors,
      subnets: fp.subnets,
      tags: fp.tags,
    }),
  );
}

/** The eksctl ClusterConfig of the plan's replacement cluster, as a plain object. */
export function eksctlClusterConfig(plan: BlueGreenPlan, vpcId: string | null): Obj {
  const cluster = inputsOf(plan, 'CreateCluster')[0] ?? {};
  const vpc = obj(cluster.resourcesVpcConfig);
  const net = obj(cluster.kubernetesNetworkConfig);
  const access = obj(cluster.accessConfig);
  const compute = cluster.computeConfig === undefined ? null : obj(cluster.computeConfig);
  const securityGroups = list(vpc.securityGroupIds);
  const irsa = inputsOf(plan, 'CreateAddon').some((a) => a.serviceAccountRoleArn !== undefined);
  const ipFamily = net.ipFamily === undefined ? undefined : String(net.ipFamily) === 'ipv6' ? 'IPv6' : 'IPv4';
  const logTypes = list(obj(list(obj(cluster.logging).clusterLogging)[0]).types);
  const keyArn = obj(obj(list(cluster.encryptionConfig)[0]).provider).keyArn;
  return defined({
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: defined({
      name: cluster.name,
      region: plan.source.region,
      version: cluster.version,
      tags: cluster.tags,
    }),
    iam: defined({ serviceRoleARN: cluster.roleArn, withOIDC: irsa ? true : undefined }),
    vpc: defined({
      id: vpcId ?? undefined,
      subnets: {
        private: Object.fromEntries(list(vpc.subnetIds).map((id) => [String(id), { id }])),
      },
      securityGroup: securityGroups.length === 1 ? securityGroups[0] : undefined,
      clusterEndpoints: {
        publicAccess: vpc.endpointPublicAccess ?? null,
        privateAccess: vpc.endpointPrivateAccess ?? null,
      },
      publicAccessCIDRs: vpc.publicAccessCidrs,
    }),
    kubernetesNetworkConfig: defined({ ipFamily, serviceIPv4CIDR: net.serviceIpv4Cidr }),
    cloudWatch: logTypes.length === 0 ? undefined : { clusterLogging: { enableTypes: logTypes } },
    secretsEncryption: keyArn === undefined ? undefined : { keyARN: keyArn },
    accessConfig: defined({
      authenticationMode: access.authenticationMode,
      bootstrapClusterCreatorAdminPermissions: access.bootstrapClusterCreatorAdminPermissions,
      accessEntries: accessEntries(plan),
    }),
    upgradePolicy: cluster.upgradePolicy,
    autoModeConfig:
      compute === null
        ? undefined
        : defined({ enabled: true, nodePools: compute.nodePools, nodeRoleARN: compute.nodeRoleArn }),
    addons: addons(plan),
    managedNodeGroups: nodegroups(plan),
    fargateProfiles: fargateProfiles(plan),
  });
}

/** The plan's replacement cluster as eksctl ClusterConfig YAML, with a header saying where it came from. */
export function eksctlYaml(plan: BlueGreenPlan, vpcId: string | null): string {
  const config = eksctlClusterConfig(plan, vpcId);
  const securityGroups = list(obj(inputsOf(plan, 'CreateCluster')[0]?.resourcesVpcConfig).securityGroupIds);
  return toYaml(config, [
    `Replacement of ${plan.source.arn} (${plan.source.version}) at ${plan.replacement.version}, written by fleet-auditor blue-green.`,
    'Subnets are listed under private by id: the EKS API does not say which are public; move those under vpc.subnets.public.',
    ...(securityGroups.length > 1
      ? [
          `eksctl takes one control-plane security group; the old cluster also had ${securityGroups.slice(1).join(', ')}.`,
        ]
      : []),
    `Not cloned (see the JSON plan): ${plan.notCloned.map((n) => n.what).join('; ')}.`,
  ]);
}

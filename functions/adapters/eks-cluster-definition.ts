/**
 * Reads one cluster's definition for a blue/green replacement (DESIGN §7.2): DescribeCluster, every
 * DescribeNodegroup, DescribeAddon (with its pod identity associations), access entries with their associated
 * access policies, and Fargate profiles. DescribeCluster must answer; any other read that fails is named in
 * `unread` and that part is left out — never guessed.
 */
import {
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  DescribePodIdentityAssociationCommand,
  paginateListAccessEntries,
  paginateListAddons,
  paginateListAssociatedAccessPolicies,
  paginateListFargateProfiles,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import type { Cluster, EKSClient, Nodegroup } from '@aws-sdk/client-eks';
import type {
  AccessEntryDefinition,
  AddonDefinition,
  ClusterDefinition,
  FargateProfileDefinition,
  NodegroupDefinition,
  PodIdentityDefinition,
  UnreadPart,
} from '../core/cluster-definition.ts';
import { ClusterNotFoundError, translateAwsError } from './aws-errors.ts';

/** Where the cluster lives and the client that reads it (signed for its account and region). */
interface DefinitionTarget {
  readonly accountId: string;
  readonly region: string;
  readonly eks: EKSClient;
}

async function drain<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** Runs one part's read; a failure is recorded in `unread` and yields `fallback`. */
async function part<T>(unread: UnreadPart[], operation: string, fallback: T, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    unread.push({ operation, message: translateAwsError(error, operation).message });
    return fallback;
  }
}

function toNodegroup(ng: Nodegroup): NodegroupDefinition {
  const scaling = ng.scalingConfig;
  return {
    name: ng.nodegroupName ?? '',
    version: ng.version ?? null,
    amiType: ng.amiType ?? null,
    capacityType: ng.capacityType ?? null,
    scaling:
      scaling?.minSize === undefined || scaling.maxSize === undefined || scaling.desiredSize === undefined
        ? null
        : { minSize: scaling.minSize, maxSize: scaling.maxSize, desiredSize: scaling.desiredSize },
    instanceTypes: [...(ng.instanceTypes ?? [])],
    labels: { ...ng.labels },
    taints: (ng.taints ?? []).map((t) => ({
      key: t.key ?? '',
      value: t.value ?? null,
      effect: t.effect ?? 'NO_SCHEDULE',
    })),
    diskSize: ng.diskSize ?? null,
    subnets: [...(ng.subnets ?? [])],
    nodeRole: ng.nodeRole ?? null,
    launchTemplate:
      ng.launchTemplate === undefined
        ? null
        : {
            id: ng.launchTemplate.id ?? null,
            name: ng.launchTemplate.name ?? null,
            version: ng.launchTemplate.version ?? null,
          },
    maxUnavailable: ng.updateConfig?.maxUnavailable ?? null,
    maxUnavailablePercentage: ng.updateConfig?.maxUnavailablePercentage ?? null,
    remoteAccessKey: ng.remoteAccess?.ec2SshKey ?? null,
    tags: { ...ng.tags },
  };
}

async function readNodegroups(eks: EKSClient, cluster: string): Promise<NodegroupDefinition[]> {
  const names = await drain(paginateListNodegroups({ client: eks }, { clusterName: cluster }), (p) => p.nodegroups);
  const described = await Promise.all(
    names.map((nodegroupName) => eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }))),
  );
  return described.flatMap((d) => (d.nodegroup === undefined ? [] : [toNodegroup(d.nodegroup)]));
}

async function readAddons(eks: EKSClient, cluster: string): Promise<AddonDefinition[]> {
  const names = await drain(paginateListAddons({ client: eks }, { clusterName: cluster }), (p) => p.addons);
  return Promise.all(
    names.map(async (addonName): Promise<AddonDefinition> => {
      const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName }));
      const associations = await Promise.all(
        (addon?.podIdentityAssociations ?? []).map(async (arn): Promise<PodIdentityDefinition> => {
          const associationId = arn.split('/').at(-1) ?? arn;
          const { association } = await eks.send(
            new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId }),
          );
          return {
            serviceAccount: association?.serviceAccount ?? '',
            namespace: association?.namespace ?? 'kube-system',
            roleArn: association?.roleArn ?? '',
          };
        }),
      );
      return {
        name: addonName,
        version: addon?.addonVersion ?? 'unknown',
        configurationValues: addon?.configurationValues ?? null,
        serviceAccountRoleArn: addon?.serviceAccountRoleArn ?? null,
        podIdentityAssociations: associations,
        tags: { ...addon?.tags },
      };
    }),
  );
}

async function readAccessEntries(eks: EKSClient, cluster: string): Promise<AccessEntryDefinition[]> {
  const principals = await drain(
    paginateListAccessEntries({ client: eks }, { clusterName: cluster }),
    (p) => p.accessEntries,
  );
  return Promise.all(
    principals.map(async (principalArn): Promise<AccessEntryDefinition> => {
      const { accessEntry } = await eks.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn }));
      const policies = await drain(
        paginateListAssociatedAccessPolicies({ client: eks }, { clusterName: cluster, principalArn }),
        (p) => p.associatedAccessPolicies,
      );
      return {
        principalArn,
        type: accessEntry?.type ?? 'STANDARD',
        username: accessEntry?.username ?? null,
        kubernetesGroups: [...(accessEntry?.kubernetesGroups ?? [])],
        policies: policies.map((p) => ({
          policyArn: p.policyArn ?? '',
          scopeType: p.accessScope?.type ?? 'cluster',
          namespaces: [...(p.accessScope?.namespaces ?? [])],
        })),
        tags: { ...accessEntry?.tags },
      };
    }),
  );
}

async function readFargateProfiles(eks: EKSClient, cluster: string): Promise<FargateProfileDefinition[]> {
  const names = await drain(
    paginateListFargateProfiles({ client: eks }, { clusterName: cluster }),
    (p) => p.fargateProfileNames,
  );
  return Promise.all(
    names.map(async (fargateProfileName): Promise<FargateProfileDefinition> => {
      const { fargateProfile } = await eks.send(
        new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName }),
      );
      return {
        name: fargateProfileName,
        podExecutionRoleArn: fargateProfile?.podExecutionRoleArn ?? null,
        subnets: [...(fargateProfile?.subnets ?? [])],
        selectors: (fargateProfile?.selectors ?? []).map((s) => ({
          namespace: s.namespace ?? '',
          labels: { ...s.labels },
        })),
        tags: { ...fargateProfile?.tags },
      };
    }),
  );
}

function enabledLogTypes(cluster: Cluster): string[] {
  return (cluster.logging?.clusterLogging ?? []).filter((g) => g.enabled === true).flatMap((g) => g.types ?? []);
}

/**
 * Reads `name`'s definition. Throws ClusterNotFoundError (or another AdapterError) when DescribeCluster fails;
 * every other failed read is listed in `unread`.
 */
export async function readClusterDefinition(target: DefinitionTarget, name: string): Promise<ClusterDefinition> {
  const { eks } = target;
  let cluster: Cluster | undefined;
  try {
    cluster = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (error) {
    throw translateAwsError(error, `DescribeCluster ${name} in ${target.accountId}/${target.region}`);
  }
  if (cluster?.version === undefined) throw new ClusterNotFoundError(`DescribeCluster ${name}: no cluster returned`);
  const unread: UnreadPart[] = [];
  const [nodegroups, addons, accessEntries, fargateProfiles] = await Promise.all([
    part(unread, 'ListNodegroups/DescribeNodegroup', [], () => readNodegroups(eks, name)),
    part(unread, 'ListAddons/DescribeAddon', [], () => readAddons(eks, name)),
    cluster.accessConfig?.authenticationMode === 'CONFIG_MAP'
      ? Promise.resolve([])
      : part(unread, 'ListAccessEntries/DescribeAccessEntry', [], () => readAccessEntries(eks, name)),
    part(unread, 'ListFargateProfiles/DescribeFargateProfile', [], () => readFargateProfiles(eks, name)),
  ]);
  const vpc = cluster.resourcesVpcConfig;
  const net = cluster.kubernetesNetworkConfig;
  const compute = cluster.computeConfig;
  const supportType = cluster.upgradePolicy?.supportType;
  return {
    accountId: target.accountId,
    region: target.region,
    name,
    arn: cluster.arn ?? '',
    version: cluster.version,
    roleArn: cluster.roleArn ?? null,
    tags: { ...cluster.tags },
    networking: {
      vpcId: vpc?.vpcId ?? null,
      subnetIds: [...(vpc?.subnetIds ?? [])],
      securityGroupIds: [...(vpc?.securityGroupIds ?? [])],
      endpointPublicAccess: vpc?.endpointPublicAccess ?? true,
      endpointPrivateAccess: vpc?.endpointPrivateAccess ?? false,
      publicAccessCidrs: [...(vpc?.publicAccessCidrs ?? [])],
      serviceIpv4Cidr: net?.serviceIpv4Cidr ?? null,
      ipFamily: net?.ipFamily ?? null,
    },
    enabledLogTypes: enabledLogTypes(cluster),
    encryptionKeyArn: cluster.encryptionConfig?.[0]?.provider?.keyArn ?? null,
    authenticationMode: cluster.accessConfig?.authenticationMode ?? null,
    supportType: supportType === 'STANDARD' || supportType === 'EXTENDED' ? supportType : null,
    autoMode:
      compute?.enabled === true
        ? { nodePools: [...(compute.nodePools ?? [])], nodeRoleArn: compute.nodeRoleArn ?? null }
        : null,
    nodegroups: nodegroups.sort((a, b) => a.name.localeCompare(b.name)),
    addons: addons.sort((a, b) => a.name.localeCompare(b.name)),
    accessEntries,
    fargateProfiles,
    unread,
  };
}

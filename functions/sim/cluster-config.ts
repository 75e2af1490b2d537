/**
 * The configuration facts of simulated clusters, node groups and add-ons that a replacement cluster clones
 * (DESIGN §7.2): networking, endpoint access, logging, encryption, access entries, Fargate profiles with their
 * selectors, node-group scaling / instance types / labels / taints, add-on configuration values, IRSA roles and pod
 * identity associations. Built from the fleet file with the values a freshly created EKS cluster would have, and
 * written back (only what differs from those defaults) in snapshots.
 */
import type {
  FleetAccessEntry,
  FleetAddon,
  FleetCluster,
  FleetFargateProfile,
  FleetNodegroup,
  FleetTaint,
} from './fleet-file.ts';
import { stableHex, stableUuid } from './ids.ts';

/** The access policy EKS associates with the cluster creator. */
const CLUSTER_ADMIN_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Every control-plane log type; a fresh cluster has all of them disabled. */
export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

interface SimAccessPolicy {
  readonly policyArn: string;
  readonly accessScope: { readonly type: 'cluster' | 'namespace'; readonly namespaces: readonly string[] };
  readonly associatedAtMs: number;
}

export interface SimAccessEntry {
  readonly principalArn: string;
  readonly type: string;
  readonly username: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: SimAccessPolicy[];
  readonly tags: Record<string, string>;
  readonly createdAtMs: number;
}

interface SimFargateProfile {
  readonly name: string;
  readonly podExecutionRoleArn: string;
  readonly subnets: readonly string[];
  readonly selectors: readonly { readonly namespace: string; readonly labels: Readonly<Record<string, string>> }[];
  readonly tags: Record<string, string>;
  readonly createdAtMs: number;
}

interface SimPodIdentityAssociation {
  readonly id: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
  /** The add-on that owns it. */
  readonly ownerArn: string | null;
  readonly createdAtMs: number;
}

/** Cluster-level configuration. */
export interface SimClusterConfig {
  readonly roleArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly serviceIpv4Cidr: string;
  readonly ipFamily: string;
  readonly enabledLogTypes: readonly string[];
  readonly encryptionKeyArn: string | null;
  readonly authenticationMode: string;
  readonly accessEntries: Map<string, SimAccessEntry>;
  readonly fargateProfiles: Map<string, SimFargateProfile>;
  readonly podIdentityAssociations: Map<string, SimPodIdentityAssociation>;
}

export interface SimTaint {
  readonly key: string;
  readonly value: string | null;
  readonly effect: string;
}

/** Node-group configuration. */
export interface SimNodegroupConfig {
  readonly scaling: { readonly minSize: number; readonly maxSize: number; readonly desiredSize: number };
  readonly instanceTypes: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly SimTaint[];
  readonly capacityType: string;
  /** Null when a launch template sets the disk. */
  readonly diskSize: number | null;
  readonly subnets: readonly string[];
  readonly nodeRole: string;
  /** The launch template a custom-AMI node group was created from; null when none. */
  readonly launchTemplate: { readonly name: string; readonly id: string } | null;
}

/** Add-on configuration. */
export interface SimAddonConfig {
  readonly configurationValues: string | null;
  readonly serviceAccountRoleArn: string | null;
  /** Ids of the pod identity associations the add-on owns. */
  readonly podIdentityAssociationIds: readonly string[];
}

/** Identity of a cluster as the defaults need it. */
interface ClusterIdentity {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly createdAtMs: number;
}

/** The two subnets a cluster without configured networking reports. */
function defaultSubnets(clusterArn: string): string[] {
  return [`subnet-0${stableHex(`${clusterArn}/a`, 16)}`, `subnet-0${stableHex(`${clusterArn}/b`, 16)}`];
}

/** The node role of node groups without one configured. */
function defaultNodeRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/eks-node-role`;
}

/** The principal that created a fleet-file cluster (and holds its cluster-admin access entry). */
function defaultCreatorArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/eks-admin`;
}

/** The username EKS gives an access entry of `type` when none is set. */
export function defaultUsername(principalArn: string, type: string): string {
  if (type === 'EC2_LINUX' || type === 'EC2_WINDOWS') return 'system:node:{{EC2PrivateDNSName}}';
  if (type === 'FARGATE_LINUX') return 'system:node:{{SessionName}}';
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  return role === null ? principalArn : `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/{{SessionName}}`;
}

function accessEntryOf(spec: FleetAccessEntry, createdAtMs: number): SimAccessEntry {
  const type = spec.type ?? 'STANDARD';
  return {
    principalArn: spec.principalArn,
    type,
    username: spec.username ?? defaultUsername(spec.principalArn, type),
    kubernetesGroups: [...(spec.kubernetesGroups ?? [])],
    policies: (spec.accessPolicies ?? []).map((policy) => ({
      policyArn: policy.policyArn,
      accessScope: {
        type: policy.accessScope?.type ?? 'cluster',
        namespaces: [...(policy.accessScope?.namespaces ?? [])],
      },
      associatedAtMs: createdAtMs,
    })),
    tags: {},
    createdAtMs,
  };
}

/** The access entries of a fresh cluster: its creator as cluster admin, and the node role of its node groups. */
function defaultAccessEntries(identity: ClusterIdentity, spec: FleetCluster): FleetAccessEntry[] {
  const entries: FleetAccessEntry[] = [
    {
      principalArn: defaultCreatorArn(identity.accountId),
      accessPolicies: [{ policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: 'cluster' } }],
    },
  ];
  const roles = new Set((spec.nodegroups ?? []).map((ng) => ng.nodeRole ?? defaultNodeRole(identity.accountId)));
  for (const role of [...roles].sort()) entries.push({ principalArn: role, type: 'EC2_LINUX' });
  return entries;
}

function fargateProfileOf(
  identity: ClusterIdentity,
  spec: string | FleetFargateProfile,
  subnets: readonly string[],
): SimFargateProfile {
  const profile = typeof spec === 'string' ? { name: spec } : spec;
  return {
    name: profile.name,
    podExecutionRoleArn:
      profile.podExecutionRoleArn ?? `arn:aws:iam::${identity.accountId}:role/eks-fargate-pod-execution-role`,
    subnets: [...(profile.subnets ?? subnets)],
    selectors: (profile.selectors ?? [{ namespace: profile.name }]).map((selector) => ({
      namespace: selector.namespace,
      labels: { ...selector.labels },
    })),
    tags: {},
    createdAtMs: identity.createdAtMs,
  };
}

/** A fleet-file cluster's configuration, with a fresh cluster's defaults for what it does not say. */
export function clusterConfigOf(identity: ClusterIdentity, spec: FleetCluster): SimClusterConfig {
  const net = spec.networking ?? {};
  const subnetIds = [...(net.subnetIds ?? defaultSubnets(identity.arn))];
  const entries = spec.accessEntries ?? defaultAccessEntries(identity, spec);
  return {
    roleArn: spec.roleArn ?? `arn:aws:iam::${identity.accountId}:role/eks-cluster-role`,
    subnetIds,
    securityGroupIds: [...(net.securityGroupIds ?? [])],
    endpointPublicAccess: net.endpointPublicAccess ?? true,
    endpointPrivateAccess: net.endpointPrivateAccess ?? true,
    publicAccessCidrs: [...(net.publicAccessCidrs ?? ['0.0.0.0/0'])],
    serviceIpv4Cidr: net.serviceIpv4Cidr ?? '10.100.0.0/16',
    ipFamily: net.ipFamily ?? 'ipv4',
    enabledLogTypes: [...(spec.enabledLogTypes ?? [])],
    encryptionKeyArn: spec.encryptionKeyArn ?? null,
    authenticationMode: spec.authenticationMode ?? 'API_AND_CONFIG_MAP',
    accessEntries: new Map(entries.map((e) => [e.principalArn, accessEntryOf(e, identity.createdAtMs)])),
    fargateProfiles: new Map(
      (spec.fargateProfiles ?? []).map((p) => {
        const profile = fargateProfileOf(identity, p, subnetIds);
        return [profile.name, profile];
      }),
    ),
    podIdentityAssociations: new Map(),
  };
}

function taintOf(taint: FleetTaint): SimTaint {
  return { key: taint.key, value: taint.value ?? null, effect: taint.effect };
}

/** A fleet-file node group's configuration, with a fresh node group's defaults. */
export function nodegroupConfigOf(
  cluster: ClusterIdentity & { readonly config: SimClusterConfig },
  spec: FleetNodegroup,
  customAmi: boolean,
): SimNodegroupConfig {
  return {
    scaling: { minSize: 1, maxSize: 4, desiredSize: 2, ...spec.scaling },
    instanceTypes: [...(spec.instanceTypes ?? ['m6i.large'])],
    labels: { ...spec.labels },
    taints: (spec.taints ?? []).map(taintOf),
    capacityType: spec.capacityType ?? 'ON_DEMAND',
    diskSize: customAmi ? null : (spec.diskSize ?? 20),
    subnets: [...(spec.subnets ?? cluster.config.subnetIds)],
    nodeRole: spec.nodeRole ?? defaultNodeRole(cluster.accountId),
    launchTemplate: customAmi
      ? { name: `${spec.name}-custom-ami`, id: `lt-0${stableHex(`${cluster.arn}/lt/${spec.name}`, 16)}` }
      : null,
  };
}

/**
 * A fleet-file add-on's configuration; its pod identity associations are added to the cluster's (in kube-system,
 * where EKS add-ons run).
 */
export function addonConfigOf(
  cluster: ClusterIdentity & { readonly config: SimClusterConfig },
  addonArn: string,
  spec: FleetAddon,
): SimAddonConfig {
  const ids: string[] = [];
  for (const association of spec.podIdentityAssociations ?? []) {
    const id = `a-${stableHex(`${addonArn}/${association.serviceAccount}`, 17)}`;
    cluster.config.podIdentityAssociations.set(id, {
      id,
      namespace: association.namespace ?? 'kube-system',
      serviceAccount: association.serviceAccount,
      roleArn: association.roleArn,
      ownerArn: addonArn,
      createdAtMs: cluster.createdAtMs,
    });
    ids.push(id);
  }
  return {
    configurationValues: spec.configurationValues ?? null,
    serviceAccountRoleArn: spec.serviceAccountRoleArn ?? null,
    podIdentityAssociationIds: ids,
  };
}

/** The ARN of an access entry, as EKS forms it. */
export function accessEntryArn(cluster: ClusterIdentity, principalArn: string): string {
  const principal = principalArn.replace(/^arn:aws[a-z-]*:iam::/, '').replace(':', '/');
  return `arn:aws:eks:${cluster.region}:${cluster.accountId}:access-entry/${cluster.name}/${principal}/${stableUuid(`${cluster.arn}/${principalArn}`)}`;
}

/** The ARN of a pod identity association. */
export function podIdentityAssociationArn(cluster: ClusterIdentity, id: string): string {
  return `arn:aws:eks:${cluster.region}:${cluster.accountId}:podidentityassociation/${cluster.name}/${id}`;
}

/** The ARN of a Fargate profile. */
export function fargateProfileArn(cluster: ClusterIdentity, name: string): string {
  return `arn:aws:eks:${cluster.region}:${cluster.accountId}:fargateprofile/${cluster.name}/${name}/${stableUuid(`${cluster.arn}/fp/${name}`)}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A cluster's configuration in fleet-file form, every fact explicit (snapshots). */
export function snapshotClusterConfig(config: SimClusterConfig): Partial<Mutable<FleetCluster>> {
  return {
    roleArn: config.roleArn,
    networking: {
      subnetIds: [...config.subnetIds],
      securityGroupIds: [...config.securityGroupIds],
      endpointPublicAccess: config.endpointPublicAccess,
      endpointPrivateAccess: config.endpointPrivateAccess,
      publicAccessCidrs: [...config.publicAccessCidrs],
      serviceIpv4Cidr: config.serviceIpv4Cidr,
      ipFamily: config.ipFamily === 'ipv6' ? 'ipv6' : 'ipv4',
    },
    enabledLogTypes: [...config.enabledLogTypes],
    ...(config.encryptionKeyArn === null ? {} : { encryptionKeyArn: config.encryptionKeyArn }),
    authenticationMode: config.authenticationMode as FleetCluster['authenticationMode'],
    accessEntries: [...config.accessEntries.values()].map((entry) => ({
      principalArn: entry.principalArn,
      type: entry.type,
      username: entry.username,
      kubernetesGroups: [...entry.kubernetesGroups],
      accessPolicies: entry.policies.map((policy) => ({
        policyArn: policy.policyArn,
        accessScope: { type: policy.accessScope.type, namespaces: [...policy.accessScope.namespaces] },
      })),
    })),
    fargateProfiles: [...config.fargateProfiles.values()].map((profile) => ({
      name: profile.name,
      selectors: profile.selectors.map((selector) => ({
        namespace: selector.namespace,
        labels: { ...selector.labels },
      })),
      subnets: [...profile.subnets],
      podExecutionRoleArn: profile.podExecutionRoleArn,
    })),
  };
}

/** A node group's configuration in fleet-file form. */
export function snapshotNodegroupConfig(config: SimNodegroupConfig): Partial<Mutable<FleetNodegroup>> {
  return {
    scaling: { ...config.scaling },
    instanceTypes: [...config.instanceTypes],
    labels: { ...config.labels },
    taints: config.taints.map((taint) => ({
      key: taint.key,
      ...(taint.value === null ? {} : { value: taint.value }),
      effect: taint.effect as FleetTaint['effect'],
    })),
    capacityType: config.capacityType as FleetNodegroup['capacityType'],
    ...(config.diskSize === null ? {} : { diskSize: config.diskSize }),
    subnets: [...config.subnets],
    nodeRole: config.nodeRole,
  };
}

/** An add-on's configuration in fleet-file form. */
export function snapshotAddonConfig(
  config: SimAddonConfig,
  associations: ReadonlyMap<string, SimPodIdentityAssociation>,
): Partial<Mutable<FleetAddon>> {
  const owned = config.podIdentityAssociationIds.flatMap((id) => {
    const association = associations.get(id);
    return association === undefined ? [] : [association];
  });
  return {
    ...(config.configurationValues === null ? {} : { configurationValues: config.configurationValues }),
    ...(config.serviceAccountRoleArn === null ? {} : { serviceAccountRoleArn: config.serviceAccountRoleArn }),
    ...(owned.length === 0
      ? {}
      : {
          podIdentityAssociations: owned.map((a) => ({
            serviceAccount: a.serviceAccount,
            roleArn: a.roleArn,
            namespace: a.namespace,
          })),
        }),
  };
}

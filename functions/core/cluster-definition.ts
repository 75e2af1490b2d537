/**
 * What the EKS API tells of a running cluster's definition (DescribeCluster, DescribeNodegroup, DescribeAddon,
 * access entries, Fargate profiles): the facts a replacement cluster is cloned from (DESIGN §7.2). Independent of
 * the SDK's shapes; a fact the API did not give is null (never guessed).
 */
import type { SupportType, Version } from './types.ts';

interface NetworkingDefinition {
  readonly vpcId: string | null;
  readonly subnetIds: readonly string[];
  /** Additional control-plane security groups (not the cluster security group EKS creates). */
  readonly securityGroupIds: readonly string[];
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly serviceIpv4Cidr: string | null;
  readonly ipFamily: string | null;
}

interface AutoModeDefinition {
  readonly nodePools: readonly string[];
  readonly nodeRoleArn: string | null;
}

interface TaintDefinition {
  readonly key: string;
  readonly value: string | null;
  readonly effect: string;
}

export interface NodegroupDefinition {
  readonly name: string;
  readonly version: Version | null;
  readonly amiType: string | null;
  readonly capacityType: string | null;
  readonly scaling: { readonly minSize: number; readonly maxSize: number; readonly desiredSize: number } | null;
  readonly instanceTypes: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly TaintDefinition[];
  readonly diskSize: number | null;
  readonly subnets: readonly string[];
  readonly nodeRole: string | null;
  readonly launchTemplate: {
    readonly id: string | null;
    readonly name: string | null;
    readonly version: string | null;
  } | null;
  readonly maxUnavailable: number | null;
  readonly maxUnavailablePercentage: number | null;
  /** An SSH key for remote access: named in "not cloned" (its security group is not readable here). */
  readonly remoteAccessKey: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

export interface PodIdentityDefinition {
  readonly serviceAccount: string;
  readonly namespace: string;
  readonly roleArn: string;
}

export interface AddonDefinition {
  readonly name: string;
  readonly version: string;
  readonly configurationValues: string | null;
  readonly serviceAccountRoleArn: string | null;
  readonly podIdentityAssociations: readonly PodIdentityDefinition[];
  readonly tags: Readonly<Record<string, string>>;
}

interface AccessPolicyDefinition {
  readonly policyArn: string;
  readonly scopeType: string;
  readonly namespaces: readonly string[];
}

export interface AccessEntryDefinition {
  readonly principalArn: string;
  readonly type: string;
  readonly username: string | null;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly AccessPolicyDefinition[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface FargateProfileDefinition {
  readonly name: string;
  readonly podExecutionRoleArn: string | null;
  readonly subnets: readonly string[];
  readonly selectors: readonly { readonly namespace: string; readonly labels: Readonly<Record<string, string>> }[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A read that failed: the part it would have told is listed as not cloned. */
export interface UnreadPart {
  readonly operation: string;
  readonly message: string;
}

/** One cluster's definition as the EKS API tells it. */
export interface ClusterDefinition {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: Version;
  readonly roleArn: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly networking: NetworkingDefinition;
  readonly enabledLogTypes: readonly string[];
  readonly encryptionKeyArn: string | null;
  readonly authenticationMode: string | null;
  readonly supportType: SupportType | null;
  /** Null unless EKS Auto Mode is enabled. */
  readonly autoMode: AutoModeDefinition | null;
  readonly nodegroups: readonly NodegroupDefinition[];
  readonly addons: readonly AddonDefinition[];
  readonly accessEntries: readonly AccessEntryDefinition[];
  readonly fargateProfiles: readonly FargateProfileDefinition[];
  readonly unread: readonly UnreadPart[];
}

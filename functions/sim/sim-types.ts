/**
 * The shapes of the simulated fleet's live state: accounts, clusters, node groups, add-ons, insights and updates.
 * Apart from the state (`state.ts`) so the fleet-file snapshot can read them without importing the state.
 */
import type { InsightStatus, SupportType } from '../core/types.ts';
import type {
  AddonStatusValue,
  ClusterFaultValue,
  ClusterStatusValue,
  InsightCategoryValue,
  NodegroupStatusValue,
} from './fleet-file.ts';
import type { SimAddonConfig, SimClusterConfig, SimNodegroupConfig } from './cluster-config.ts';

export type UpdateScope = { kind: 'cluster' } | { kind: 'nodegroup'; name: string } | { kind: 'addon'; name: string };

/** One update as DescribeUpdate reports it, plus what it will do when it completes. */
export interface SimUpdate {
  readonly id: string;
  readonly type: 'VersionUpdate' | 'VersionRollback' | 'AddonUpdate' | 'LoggingUpdate';
  status: 'InProgress' | 'Successful' | 'Failed';
  readonly params: readonly { type: string; value: string }[];
  readonly createdAtMs: number;
  /** When it completes; null for an update the fleet file says is running (it stays InProgress). */
  readonly completesAtMs: number | null;
  readonly scope: UpdateScope;
  readonly clientRequestToken: string | null;
  /** Decided at start (fleet-file `fault`): the update ends Failed with these errors and changes nothing. */
  readonly failure: { errorCode: string; errorMessage: string; resourceIds: string[] } | null;
  errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
  /** Applies the change on success. */
  readonly apply: () => void;
}

export interface SimNodegroup {
  readonly name: string;
  readonly arn: string;
  version: string;
  releaseVersion: string;
  status: NodegroupStatusValue;
  readonly amiType: string;
  readonly customAmi: boolean;
  readonly fault: 'UPDATE_FAILS' | undefined;
  launchTemplateVersion: number;
  readonly tags: Record<string, string>;
  readonly createdAtMs: number;
  modifiedAtMs: number;
  /** Scaling, instance types, labels, taints, … (blue/green facts). */
  readonly config: SimNodegroupConfig;
}

export interface SimAddon {
  readonly name: string;
  readonly arn: string;
  version: string;
  status: AddonStatusValue;
  readonly fault: 'UPDATE_FAILS' | undefined;
  readonly tags: Record<string, string>;
  readonly createdAtMs: number;
  modifiedAtMs: number;
  /** Configuration values, IRSA role, pod identity associations (blue/green facts). */
  readonly config: SimAddonConfig;
}

export interface SimInsightSpec {
  readonly name: string;
  readonly status: InsightStatus;
  readonly kubernetesVersion: string;
  readonly reason: string | null;
  readonly category: InsightCategoryValue;
}

export interface SimCluster {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  version: string;
  platformVersion: string;
  readonly status: ClusterStatusValue;
  readonly supportType: SupportType;
  readonly tags: Record<string, string>;
  readonly autoMode: boolean;
  readonly createdAtMs: number;
  readonly nodegroups: Map<string, SimNodegroup>;
  readonly addons: Map<string, SimAddon>;
  /** Fargate profile names, in creation order (their details are in `config.fargateProfiles`). */
  readonly fargateProfiles: string[];
  /** Networking, logging, encryption, access entries, Fargate profiles (blue/green facts). */
  readonly config: SimClusterConfig;
  /** Explicit insights from the fleet file; null = the default PASSING set for the current version. */
  readonly insights: readonly SimInsightSpec[] | null;
  readonly fault: ClusterFaultValue | undefined;
  /** The last in-place upgrade (from which version, finished when); null when created at its version or rolled back. */
  upgradedFrom: { version: string; atMs: number } | null;
  readonly updates: SimUpdate[];
  readonly tokens: Map<string, SimUpdate>;
}

export interface SimAccount {
  readonly id: string;
  readonly name: string;
  /** The fleet file's parentId (undefined: the organization's root). */
  readonly parentId: string | undefined;
  readonly fault: 'ACCESS_DENIED' | undefined;
  /** EKS operations every call of which into this account is denied (403 AccessDeniedException), as an SCP would. */
  readonly deniedOperations: readonly string[] | undefined;
  /** region → cluster name → cluster, in fleet-file order. */
  readonly regions: Map<string, Map<string, SimCluster>>;
}

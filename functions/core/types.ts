/**
 * Domain types shared by the whole product: what a platform engineer knows about an EKS cluster,
 * independent of how AWS returns it or how DynamoDB stores it.
 *
 * Dates are `YYYY-MM-DD` strings (UTC calendar days); instants are ISO-8601 strings or `Date`s passed in
 * by the caller. The core never reads the clock.
 */

/** A Kubernetes minor version as EKS names it, `MAJOR.MINOR` (e.g. `"1.31"`). */
export type Version = string;

/** A UTC calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** An ISO-8601 instant, e.g. `2026-11-22T12:00:00.000Z`. */
export type IsoInstant = string;

export type SupportStatus = 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';

/** `upgradePolicy.supportType` of a cluster; EXTENDED is the API default. */
export type SupportType = 'STANDARD' | 'EXTENDED';

export type Severity = 'OK' | 'NOTICE' | 'WARNING' | 'CRITICAL' | 'EXPIRED';

/** Severities from least to most urgent. */
export const SEVERITIES: readonly Severity[] = ['OK', 'NOTICE', 'WARNING', 'CRITICAL', 'EXPIRED'];

type Consequence = 'EXTENDED_BILLING' | 'AUTO_UPGRADE';

/** One row of the EKS support calendar (DescribeClusterVersions, or the bundled fallback). */
export interface CalendarEntry {
  readonly version: Version;
  readonly releaseDate?: IsoDate;
  readonly endOfStandardSupport: IsoDate;
  readonly endOfExtendedSupport: IsoDate;
}

export type Calendar = readonly CalendarEntry[];

/** One add-on version as DescribeAddonVersions reports it. */
export interface AddonVersionInfo {
  readonly version: string;
  /** Cluster versions this add-on version runs on. */
  readonly compatibleWith: readonly Version[];
  /** Cluster versions for which this is the default (recommended) version. */
  readonly defaultFor: readonly Version[];
}

/** Add-on name → its published versions. */
export type AddonCatalog = Readonly<Record<string, readonly AddonVersionInfo[]>>;

export interface NodegroupState {
  readonly name: string;
  /** Kubernetes minor version of the node group's kubelets. */
  readonly version: Version;
  readonly releaseVersion: string | null;
  readonly status: string;
  readonly amiType: string | null;
  /** True when a launch template supplies its own image: EKS cannot move it by version. */
  readonly customAmi: boolean;
  /** The node group's ARN (DescribeNodegroup `nodegroupArn`), when known. */
  readonly arn?: string;
  /** The node group's own tags (EKS tags each resource separately); absent means none. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface AddonState {
  readonly name: string;
  readonly version: string;
  readonly status: string;
  /** The add-on's ARN (DescribeAddon `addonArn`), when known. */
  readonly arn?: string;
  /** The add-on's own tags (EKS tags each resource separately); absent means none. */
  readonly tags?: Readonly<Record<string, string>>;
}

export type InsightStatus = 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN';

/** A cluster insight of category UPGRADE_READINESS. */
export interface InsightState {
  readonly id: string;
  readonly name: string;
  readonly status: InsightStatus;
  readonly kubernetesVersion: Version | null;
  readonly reason: string | null;
}

/** Everything the inventory learns about one cluster: observed state plus its owner's tags (desired state). */
export interface ClusterState {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: Version;
  readonly platformVersion: string | null;
  readonly status: string;
  readonly supportType: SupportType;
  readonly tags: Readonly<Record<string, string>>;
  /** EKS Auto Mode (`computeConfig.enabled`): AWS replaces nodes, there is no node-group step. */
  readonly autoMode: boolean;
  readonly nodegroups: readonly NodegroupState[];
  readonly addons: readonly AddonState[];
  readonly fargateProfiles: readonly string[];
  readonly insights: readonly InsightState[];
  /** A cluster, node-group or add-on update is InProgress. */
  readonly updateInProgress: boolean;
  /** When the cluster started running its current version (last successful version update, or creation). */
  readonly versionSince: IsoInstant | null;
  /**
   * The last in-place upgrade (from which version, finished when): null when created at its version or rolled back
   * since; absent when the update history was not read.
   */
  readonly upgradedFrom?: { readonly version: Version; readonly at: IsoInstant } | null;
  /**
   * The parts of the cluster that could not be read (DescribeCluster answered, a later call did not); absent or
   * empty when the cluster was read whole. A fact named here is unknown: its list above is empty, not "none".
   */
  readonly partial?: readonly PartialRead[];
}

/** A part of a cluster the inventory reads with its own calls, and so may fail to read on its own. */
export type ClusterFact = 'nodegroups' | 'addons' | 'fargateProfiles' | 'insights' | 'updates';

/** One part of a cluster that could not be read: which fact, which call, and why. */
export interface PartialRead {
  readonly fact: ClusterFact;
  /** The EKS operation that failed, e.g. `ListInsights`. */
  readonly operation: string;
  /** The adapter error code, e.g. `ACCESS_DENIED`, `THROTTLED`, `NOT_AVAILABLE`. */
  readonly code: string;
  readonly message: string;
}

export type FindingCode =
  | 'VERSION_UNSUPPORTED'
  | 'EXTENDED_SUPPORT_BILLING'
  | 'DEADLINE_APPROACHING'
  | 'AUTO_UPGRADE_SCHEDULED'
  | 'NODEGROUP_BEHIND_CONTROL_PLANE'
  | 'NODEGROUP_SKEW_UNSUPPORTED'
  | 'ADDON_INCOMPATIBLE'
  | 'ADDON_UPDATE_REQUIRED'
  | 'INSIGHT_ERROR'
  | 'INSIGHT_WARNING'
  | 'CUSTOM_AMI_NODEGROUP'
  | 'CLUSTER_NOT_ACTIVE'
  | 'INVALID_OPT_IN_TAG'
  | 'ROLLBACK_AVAILABLE'
  | 'BLUE_GREEN_RECOMMENDED'
  | 'PARTIAL_READ'
  | 'SUBRESOURCE_NOT_OPTED_IN';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
}

export type BlockerCode =
  | 'NOT_OPTED_IN'
  | 'INVALID_OPT_IN_TAG'
  | 'CLUSTER_NOT_ACTIVE'
  | 'UPDATE_IN_PROGRESS'
  | 'INSIGHT_ERROR'
  | 'ADDON_NO_COMPATIBLE_VERSION'
  | 'CUSTOM_AMI_NODEGROUP'
  | 'FROZEN'
  | 'OUTSIDE_WINDOW'
  | 'WAVE_NOT_READY'
  | 'AT_TARGET'
  | 'LOCKED'
  | 'BAKING'
  | 'HELD_AFTER_ROLLBACK'
  | 'STRATEGY_BLUE_GREEN'
  | 'FACTS_UNKNOWN'
  | 'SUBRESOURCE_NOT_OPTED_IN';

export interface Blocker {
  readonly code: BlockerCode;
  readonly message: string;
}

export interface Deadline {
  readonly date: IsoDate;
  readonly consequence: Consequence;
  readonly daysRemaining: number;
}

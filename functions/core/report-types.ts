/**
 * The audit report, version 1 (DESIGN §5.2): the JSON contract users and scripts read. Field names and order
 * here are the contract; change them only with a new `schemaVersion`.
 */
import type { Deadline, Finding, IsoDate, IsoInstant, Severity, SupportStatus, SupportType, Version } from './types.ts';
import type { RollbackAssessment } from './rollback-readiness.ts';
import type { UpgradePlan } from './upgrade-decision.ts';
import type { StrategyRecommendation } from './strategy.ts';

interface NodegroupReport {
  readonly name: string;
  readonly version: Version;
  readonly releaseVersion: string | null;
  readonly status: string;
  /** Minor versions behind the control plane (negative when ahead); null when the versions cannot be compared. */
  readonly skew: number | null;
}

export interface AddonReport {
  readonly name: string;
  readonly version: string;
  /** Null when the region's add-on catalog could not be read (`ADDON_CATALOG_UNAVAILABLE`): unknown. */
  readonly compatible: boolean | null;
  readonly compatibleWithNext: boolean | null;
  readonly recommendedForNext: string | null;
}

/** The report's `upgrade` object is exactly the core's upgrade plan. */
export type UpgradeReport = UpgradePlan;

/** The report's deadline: the effective deadline and, in `severity`, the deadline's own severity (DESIGN §4). */
type ReportDeadline = Deadline & { readonly severity?: Severity };

export interface ClusterReport {
  readonly accountId: string;
  /** The account's name in AWS Organizations (null when unknown). */
  readonly accountName?: string | null;
  readonly region: string;
  readonly name: string;
  /** The value of the first owner tag present (default keys `team`, `owner`), or null. */
  readonly owner?: string | null;
  readonly arn: string;
  readonly version: Version;
  readonly platformVersion: string | null;
  readonly status: string;
  readonly supportType: SupportType;
  readonly supportStatus: SupportStatus;
  readonly endOfStandardSupport: IsoDate | null;
  readonly endOfExtendedSupport: IsoDate | null;
  readonly deadline: ReportDeadline | null;
  /** The worst of the deadline's severity and the findings' severities. */
  readonly severity: Severity;
  readonly extendedSupportMonthlyUsd: number;
  readonly nodegroups: readonly NodegroupReport[];
  readonly addons: readonly AddonReport[];
  readonly findings: readonly Finding[];
  readonly upgrade: UpgradeReport;
  /** EKS version rollback of the last in-place upgrade; present when the update history was read. */
  readonly rollback?: RollbackAssessment;
  /** IN_PLACE or BLUE_GREEN, with reasons (DESIGN §5.2, §7.2); absent in records stored before it existed. */
  readonly strategy?: StrategyRecommendation;
  /** What could not be read of this cluster (DescribeCluster answered): the gates that need it block. */
  readonly partial?: readonly PartialReadReport[];
  /** Present in a report of the stored fleet when this is the cluster's last known state, not tonight's read. */
  readonly stale?: StaleMark;
}

/**
 * Why a stored cluster's report is its last known state (reports of the stored fleet only: `nightly`, the digest).
 * `TARGET_UNREADABLE`: its account-region was audited but could not be read. `OUT_OF_SCOPE`: its account or region
 * was not audited at all (the account left the organization or the account list, the region left the
 * configuration); such a cluster leaves the extended-support cost total.
 */
export interface StaleMark {
  readonly code: 'TARGET_UNREADABLE' | 'OUT_OF_SCOPE';
  /** When the cluster was last read. */
  readonly lastSeen: IsoInstant;
  readonly reason: string;
}

/** One part of a cluster that could not be read, as the report names it. */
export interface PartialReadReport {
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}

/** What degraded without failing (a catalog unread, the bundled calendar used); the audit went on. */
export interface AuditWarning {
  readonly accountId: string | null;
  readonly region: string | null;
  /** `CALENDAR_FALLBACK`, `ADDON_CATALOG_UNAVAILABLE`. */
  readonly code: string;
  readonly message: string;
}

/** Why an account or region could not be read; the audit goes on without it. */
export interface AuditError {
  readonly accountId: string;
  readonly region: string | null;
  readonly code: string;
  readonly message: string;
}

export interface AuditSummary {
  readonly clusters: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly errors: number;
  readonly extendedSupportMonthlyUsd: number;
}

export interface AuditReport {
  readonly schemaVersion: 1;
  readonly generatedAt: IsoInstant;
  readonly now: IsoInstant;
  readonly summary: AuditSummary;
  readonly clusters: readonly ClusterReport[];
  readonly errors: readonly AuditError[];
  /** What degraded without failing; absent in reports written before warnings existed. */
  readonly warnings?: readonly AuditWarning[];
}

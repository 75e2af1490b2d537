/**
 * Port: the fleet store as the use cases see it (DESIGN §6): cluster state and history, audit runs, the alert
 * ledger, upgrade locks, upgrade records and phases, and the local runner's execution records, with the record types
 * they read and write. The DynamoDB adapter implements it (`DynamoFleetStore` in
 * functions/adapters/store/fleet-store.ts, over dynalite or the local state directory in local runs).
 */
import type { LockLease } from '../../core/lock-lease.ts';
import type { OutgoingMessage } from '../../core/messages.ts';
import type { ClusterReport } from '../../core/report-types.ts';
import type { StoredWaveFacts } from '../../core/stored-wave-members.ts';
import type { IsoInstant } from '../../core/types.ts';
import type { RollbackHold } from '../../core/upgrade-phase.ts';

export { StoreItemNotFoundError } from '../../adapters/store/store-errors.ts';

/** The last known state of one cluster, with the marks a failed or incomplete audit left on it. */
export interface StoredCluster {
  readonly report: ClusterReport;
  /** The audit run that wrote `report`. */
  readonly runId: string;
  readonly auditedAt: IsoInstant;
  /** True while the cluster's account or region could not be read: `report` is the last known state. */
  readonly stale: boolean;
  readonly staleSince: IsoInstant | null;
  readonly staleReason: string | null;
  readonly staleRunId: string | null;
  /** Set when a complete read of its account-region no longer found the cluster (the report is kept). */
  readonly deletedAt: IsoInstant | null;
  readonly deletedRunId: string | null;
  /**
   * Since when the cluster runs `report.version` (the inventory's `versionSince`), kept next to the report because
   * the wave rule needs it for every opted-in cluster of the fleet; absent when unknown or not recorded.
   */
  readonly versionSince?: IsoInstant;
}

/** Observed facts stored next to a report that the report itself does not carry. */
export interface ClusterAuditFacts {
  /** `ClusterState.versionSince`: when the cluster started running its version (for the wave soak rule). */
  readonly versionSince?: IsoInstant | null;
}

/** One history entry: a report that differed from the one before it. */
export interface ClusterHistoryEntry {
  readonly auditedAt: IsoInstant;
  readonly runId: string;
  readonly report: ClusterReport;
}

/** Outcome of {@link FleetStore.saveClusterAudit}. */
export interface SaveClusterResult {
  readonly written: boolean;
  readonly historyWritten: boolean;
  /** NEW: first record; CHANGED / UNCHANGED: compared with the previous fingerprint; SUPERSEDED: a later audit won. */
  readonly code: 'NEW' | 'CHANGED' | 'UNCHANGED' | 'SUPERSEDED';
  readonly reason: string;
}

/** Where an audit run stands: RUNNING until `finishRun` records how it ended. */
export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** An audit run (one nightly or CLI audit). */
export interface AuditRun {
  readonly runId: string;
  readonly startedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
  readonly status: RunStatus;
  readonly counts: Readonly<Record<string, number>>;
}

/** How reading one account (region `null`: the whole account) went in a run. */
export interface AccountRegionOutcome {
  readonly accountId: string;
  readonly region: string | null;
  readonly status: 'OK' | 'FAILED';
  readonly clusters: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** An audit run with the outcome of every account-region it read. */
export interface StoredRun {
  readonly run: AuditRun;
  readonly targets: readonly AccountRegionOutcome[];
}

/** One scheduled account-region. */
export interface BatchAccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** The lists a run keeps by reference. */
export type RunListKind = 'UPGRADE_CANDIDATES' | 'HELD_BY_WAVES' | 'DISPATCH_ENTRIES';

/** A claim whose message was not confirmed published: its content, so it can be published again unchanged. */
export interface PendingAlert {
  readonly arn: string;
  readonly deadlineKey: string;
  readonly threshold: number;
  readonly runId: string;
  /** When the claim was made, or last taken over by a recovery (the start of its lease). */
  readonly claimedAt: string;
  readonly message: OutgoingMessage;
}

/** Outcome of {@link FleetStore.acquireLock}. */
export type AcquireLockResult =
  | { readonly acquired: true; readonly lease: LockLease; readonly code: 'ACQUIRED'; readonly reason: string }
  | { readonly acquired: false; readonly heldBy: LockLease; readonly code: 'HELD'; readonly reason: string };

/** Where an upgrade, or one hop of it, stands. */
export type UpgradeStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One minor-version hop of an upgrade. */
export interface UpgradeHopRecord {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly status: UpgradeStatus;
  readonly startedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
}

/** A failure, by code (the named error) and message. */
export interface UpgradeErrorRecord {
  readonly code: string;
  readonly message: string;
}

/** One upgrade execution of one cluster (a Step Functions execution). */
export interface UpgradeRecord {
  readonly arn: string;
  readonly executionName: string;
  readonly startedAt: IsoInstant;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly status: UpgradeStatus;
  /** The state-machine step last recorded (e.g. `CONTROL_PLANE`), or null before the first. */
  readonly step: string | null;
  readonly error: UpgradeErrorRecord | null;
  readonly hops: readonly UpgradeHopRecord[];
  readonly updatedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
}

/** Where an open (RUNNING) upgrade record is, as the sparse index lists it. */
export interface RunningUpgradeRef {
  readonly arn: string;
  readonly startedAt: IsoInstant;
  readonly executionName: string;
}

/** Fields of an upgrade record that {@link UpgradeRecords.updateUpgradeRecord} may change. */
export interface UpgradeRecordPatch {
  readonly status?: UpgradeStatus;
  readonly step?: string | null;
  readonly error?: UpgradeErrorRecord | null;
  readonly hops?: readonly UpgradeHopRecord[];
  readonly finishedAt?: IsoInstant | null;
}

/** Where a cluster's upgrade stands between executions. */
export type UpgradePhaseName = 'BAKING' | 'ROLLING_BACK' | 'HELD_AFTER_ROLLBACK';

/** The last bake check of a baking cluster. */
export interface BakeCheckRecord {
  readonly code: string;
  readonly reason: string;
  readonly at: IsoInstant;
}

/** One cluster's upgrade phase as stored. */
export interface StoredUpgradePhase {
  readonly arn: string;
  readonly phase: UpgradePhaseName;
  /** The upgrade's final target (the execution's `targetVersion`). */
  readonly targetVersion: string;
  /**
   * The input a resume execution starts with (BAKING, ROLLING_BACK): plain JSON, validated by the task that reads
   * it; null when held.
   */
  readonly resume: Readonly<Record<string, unknown>> | null;
  /** The hold after a rollback (HELD_AFTER_ROLLBACK), else null. */
  readonly hold: RollbackHold | null;
  readonly lastCheck: BakeCheckRecord | null;
  readonly updatedAt: IsoInstant;
}

/** How a local execution stands. ABORTED: its process died while it ran (set by reconciliation). */
export type LocalExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One execution of the local runner. */
export interface LocalExecutionRecord {
  readonly name: string;
  readonly status: LocalExecutionStatus;
  readonly startedAt: string;
  /** The execution input, JSON (for reconciliation). */
  readonly input: string;
  readonly finishedAt: string | null;
}

/**
 * The fleet store. Conditional-check failures that a method documents as an outcome (an older audit, a lost alert
 * claim, a held lock) come back as values; every other failure is thrown as a named error.
 */
export interface FleetStore {
  // ---------------------------------------------------------------- clusters

  /** Records a cluster's audit as its latest state unless a later audit is stored; history on change only. */
  saveClusterAudit(
    report: ClusterReport,
    runId: string,
    auditedAt: string,
    facts?: ClusterAuditFacts,
  ): Promise<SaveClusterResult>;
  /** The stored state of one cluster, or null when it was never audited. */
  getCluster(arn: string): Promise<StoredCluster | null>;
  /** Every stored cluster (including stale and deleted ones), sorted by account, region and name. */
  listClusters(): Promise<StoredCluster[]>;
  /** The wave facts of the opted-in clusters of one rollout group, from its partition of the sparse wave index. */
  listWaveFacts(rolloutGroup: string): Promise<StoredWaveFacts[]>;
  /** The stored clusters of one account, or of one region of it, sorted by region and name. */
  listClustersOfAccountRegion(accountId: string, region: string | null): Promise<StoredCluster[]>;
  /** Past reports of a cluster, oldest first (one per change). */
  listClusterHistory(arn: string): Promise<ClusterHistoryEntry[]>;
  /** Marks the clusters of an account-region that could not be read as stale; returns how many were marked. */
  markAccountRegionStale(
    accountId: string,
    region: string | null,
    runId: string,
    reason: string,
    at: string,
    names?: ReadonlySet<string>,
  ): Promise<number>;
  /** Marks the clusters a complete read of an account-region did not see as deleted; returns their arns. */
  markDeletedIfMissing(
    accountId: string,
    region: string,
    seenArns: ReadonlySet<string>,
    runId: string,
    at: string,
  ): Promise<string[]>;

  // ---------------------------------------------------------------- audit runs and their account-regions

  /** Records the start of an audit run (status RUNNING). Returns false when that run id was already started. */
  startRun(runId: string, startedAt: string): Promise<boolean>;
  /** Records (or replaces) how reading one account-region went in a run. */
  recordAccountRegionOutcome(runId: string, outcome: AccountRegionOutcome): Promise<void>;
  /** Records the end of a run with its counts and final status (default SUCCEEDED). */
  finishRun(
    runId: string,
    finishedAt: string,
    counts: Readonly<Record<string, number>>,
    status?: 'SUCCEEDED' | 'PARTIAL' | 'FAILED',
  ): Promise<void>;
  /** A run and its account-region outcomes, or null when unknown. */
  getRun(runId: string): Promise<StoredRun | null>;
  /** The account-regions recorded FAILED so far in a run, from the sparse index (O(failed account-regions)). */
  listFailedAccountRegions(runId: string): Promise<{ readonly accountId: string; readonly region: string | null }[]>;
  /** Writes the batches of a run's scheduled account-regions (one item per batch). */
  putRunBatches(runId: string, startedAt: string, batches: readonly (readonly BatchAccountRegion[])[]): Promise<void>;
  /** The account-regions of one batch of a run, or null when there is no such batch. */
  getRunBatch(runId: string, batch: number): Promise<BatchAccountRegion[] | null>;
  /** Every scheduled account-region of a run, in StartRun's order. */
  listRunAccountRegions(runId: string): Promise<BatchAccountRegion[]>;
  /** Writes (or rewrites) a list a run keeps by reference (candidates, held clusters, dispatch outcomes). */
  putRunList(runId: string, kind: RunListKind, at: string, entries: readonly object[]): Promise<number>;
  /** A list a run keeps by reference, in the order written; null when it was never written. */
  getRunList<T>(runId: string, kind: RunListKind): Promise<T[] | null>;
  /** Claims the run's one digest (true exactly once per run: the caller must send it). */
  claimDigest(runId: string, at: string): Promise<boolean>;
  /** Gives back a digest claim whose message could not be delivered. */
  releaseDigest(runId: string): Promise<boolean>;

  // ---------------------------------------------------------------- alert ledger

  /** Thresholds (days) already recorded as sent for one deadline of one cluster, ascending. */
  sentThresholds(arn: string, deadlineKey: string): Promise<number[]>;
  /**
   * Claims the alert for `threshold` (true: the caller must send it) and records `others` as sent with it; gives
   * the claim back if recording `others` fails.
   */
  claimAlert(
    arn: string,
    deadlineKey: string,
    threshold: number,
    others: readonly number[],
    runId: string,
    at: string,
    message?: OutgoingMessage,
  ): Promise<boolean>;
  /** Records `thresholds` as sent without a message of their own, keeping any already recorded; idempotent. */
  recordAlerts(
    arn: string,
    deadlineKey: string,
    thresholds: readonly number[],
    runId: string,
    at: string,
  ): Promise<number>;
  /** Marks a PENDING claim SENT once its message is out; false when it was not PENDING. */
  markAlertSent(arn: string, deadlineKey: string, threshold: number, at: string): Promise<boolean>;
  /** PENDING claims older than a lease (or of `runId`), with the message each keeps, oldest first. */
  pendingAlerts(claimedBefore: string, runId?: string): Promise<PendingAlert[]>;
  /** Takes over a PENDING claim (conditional on its lease start) before publishing it again. */
  takeOverPending(pending: PendingAlert, at: string): Promise<boolean>;
  /** Deletes the ledger items `runId` recorded for `thresholds` (a claim whose message could not be sent). */
  releaseAlert(arn: string, deadlineKey: string, thresholds: readonly number[], runId: string): Promise<number>;

  // ---------------------------------------------------------------- upgrade locks

  /** Takes the upgrade lock of a cluster for `ttlSeconds` under the core's lease rule. */
  acquireLock(arn: string, holder: string, now: Date, ttlSeconds: number): Promise<AcquireLockResult>;
  /** Extends `holder`'s unexpired lease to `now + ttlSeconds`; false otherwise. */
  renewLock(arn: string, holder: string, now: Date, ttlSeconds: number): Promise<boolean>;
  /** Releases the lock if `holder` holds it (expired or not); false when it is someone else's or already free. */
  releaseLock(arn: string, holder: string): Promise<boolean>;
  /** The stored lease of a cluster's lock (possibly expired), or null. */
  getLock(arn: string): Promise<LockLease | null>;
  /** Every upgrade lock, active or expired (sparse index, eventually consistent): what the fleet-wide cap counts. */
  listLocks(): Promise<{ readonly arn: string; readonly lease: LockLease }[]>;

  // ---------------------------------------------------------------- upgrade records

  /** Creates an upgrade record; false when one with the same start and execution name exists (a duplicate start). */
  putUpgradeRecord(record: UpgradeRecord): Promise<boolean>;
  /** Applies `patch` to an existing upgrade record and stamps `updatedAt`; returns the record as stored. */
  updateUpgradeRecord(
    arn: string,
    startedAt: string,
    executionName: string,
    patch: UpgradeRecordPatch,
    updatedAt: string,
  ): Promise<UpgradeRecord>;
  /** The upgrade records of one cluster, newest first. */
  listUpgradeRecords(arn: string): Promise<UpgradeRecord[]>;
  /** Where every open (RUNNING) upgrade record is (sparse index, eventually consistent). */
  listRunningUpgrades(): Promise<RunningUpgradeRef[]>;

  // ---------------------------------------------------------------- upgrade phases

  /** Writes (or replaces) a cluster's upgrade phase between executions (baking, rolling back, held). */
  putUpgradePhase(phase: StoredUpgradePhase): Promise<void>;
  /** A cluster's upgrade phase, or null. */
  getUpgradePhase(arn: string): Promise<StoredUpgradePhase | null>;
  /** Every cluster in an upgrade phase. */
  listUpgradePhases(): Promise<StoredUpgradePhase[]>;
  /** Ends a cluster's upgrade phase. */
  deleteUpgradePhase(arn: string): Promise<void>;

  // ---------------------------------------------------------------- local executions (the local runner's records)

  /** Records the start of a local execution; false when that name already ran (as Step Functions refuses it). */
  startExecution(name: string, input: string, at: string): Promise<boolean>;
  /** Closes a RUNNING local execution; false when it was not RUNNING. */
  finishExecution(name: string, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', at: string): Promise<boolean>;
  /** One local execution by name, or null. */
  getExecution(name: string): Promise<LocalExecutionRecord | null>;
  /** Every local execution still RUNNING. */
  runningExecutions(): Promise<LocalExecutionRecord[]>;
}

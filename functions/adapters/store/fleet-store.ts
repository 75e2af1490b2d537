/**
 * The fleet store (DESIGN §6): cluster state and history, audit runs, the alert ledger, upgrade locks and upgrade
 * records, in one DynamoDB table (layout in `table-schema.ts`): `DynamoFleetStore` implements the application's
 * `FleetStore` port (functions/application/ports/fleet-store.ts, which also declares the record types). It composes
 * one part per concept and delegates each method to it:
 *
 * - `cluster-records.ts`: latest state, history, stale and deleted marks;
 * - `audit-runs.ts`: runs and their per-account-region outcomes;
 * - `alert-ledger.ts`: alert thresholds claimed and sent;
 * - `upgrade-locks.ts`: per-cluster upgrade leases;
 * - `upgrade-records.ts`: upgrade executions and their hops.
 *
 * Conditional-check failures that the methods document as outcomes (an older audit, a lost alert claim, a held
 * lock) come back as values; every other SDK failure is thrown as a named error from `store-errors.ts`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AcquireLockResult,
  BatchAccountRegion,
  ClusterHistoryEntry,
  FleetStore,
  LocalExecutionRecord,
  PendingAlert,
  RunningUpgradeRef,
  SaveClusterResult,
  StoredCluster,
  StoredRun,
  StoredUpgradePhase,
  UpgradeRecord,
} from '../../application/ports/fleet-store.ts';

import type { LockLease } from '../../core/lock-lease.ts';
import { AlertLedger } from './alert-ledger.ts';
import { AuditRuns } from './audit-runs.ts';
import { ClusterRecords } from './cluster-records.ts';
import { RunBatches } from './run-batches.ts';
import { RunLists } from './run-lists.ts';
import type { StoredWaveFacts } from '../../core/stored-wave-members.ts';
import { FleetTable } from './fleet-table.ts';
import { LocalExecutions } from './executions.ts';
import { StoreValidationError } from './store-errors.ts';
import { UpgradeLocks } from './upgrade-locks.ts';
import { UpgradeRecords } from './upgrade-records.ts';
import { UpgradePhases } from './upgrade-phases.ts';

export { reportFingerprint } from './items.ts';

/** Constructor options of {@link DynamoFleetStore}. */
interface FleetStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long history items live (TTL), default 400 days after the audit that wrote them. */
  readonly historyTtlDays?: number;
  /** How long alert-ledger items live (TTL), default 400 days after the alert was sent. */
  readonly alertTtlDays?: number;
}

const DAY_SECONDS = 86_400;

/** How long the batch and list items of a run live (they matter only while the run lasts and is looked at). */
const RUN_BATCH_TTL_DAYS = 30;

/**
 * DynamoDB access for the whole product; one instance per table and client. Each method is documented where it
 * is implemented, on the part named in its comment.
 *
 * @throws StoreValidationError from the constructor when a TTL is not a positive number of days.
 */
export class DynamoFleetStore implements FleetStore {
  private readonly clusters: ClusterRecords;
  private readonly runs: AuditRuns;
  private readonly batches: RunBatches;
  private readonly lists: RunLists;
  private readonly alerts: AlertLedger;
  private readonly locks: UpgradeLocks;
  private readonly upgrades: UpgradeRecords;
  private readonly executions: LocalExecutions;
  private readonly phases: UpgradePhases;

  constructor(options: FleetStoreOptions) {
    const table = new FleetTable(options.client, options.tableName);
    const historyTtlSeconds = positiveDays('historyTtlDays', options.historyTtlDays ?? 400) * DAY_SECONDS;
    const alertTtlSeconds = positiveDays('alertTtlDays', options.alertTtlDays ?? 400) * DAY_SECONDS;
    this.clusters = new ClusterRecords(table, historyTtlSeconds);
    this.runs = new AuditRuns(table);
    this.batches = new RunBatches(table, RUN_BATCH_TTL_DAYS);
    this.lists = new RunLists(table, RUN_BATCH_TTL_DAYS);
    this.alerts = new AlertLedger(table, alertTtlSeconds);
    this.locks = new UpgradeLocks(table);
    this.upgrades = new UpgradeRecords(table);
    this.executions = new LocalExecutions(table);
    this.phases = new UpgradePhases(table);
  }

  // ---------------------------------------------------------------- clusters (ClusterRecords)

  /** Records a cluster's audit as its latest state unless a later audit is stored; history on change only. */
  async saveClusterAudit(...args: Parameters<ClusterRecords['saveClusterAudit']>): Promise<SaveClusterResult> {
    return this.clusters.saveClusterAudit(...args);
  }

  /** The stored state of one cluster, or null when it was never audited. */
  async getCluster(...args: Parameters<ClusterRecords['getCluster']>): Promise<StoredCluster | null> {
    return this.clusters.getCluster(...args);
  }

  /** Every stored cluster (including stale and deleted ones), sorted by account, region and name. */
  async listClusters(): Promise<StoredCluster[]> {
    return this.clusters.listClusters();
  }

  /** The wave facts of the opted-in clusters of one rollout group, from its partition of the sparse wave index. */
  async listWaveFacts(...args: Parameters<ClusterRecords['listWaveFacts']>): Promise<StoredWaveFacts[]> {
    return this.clusters.listWaveFacts(...args);
  }

  /** The stored clusters of one account, or of one region of it, sorted by region and name. */
  async listClustersOfAccountRegion(
    ...args: Parameters<ClusterRecords['listClustersOfAccountRegion']>
  ): Promise<StoredCluster[]> {
    return this.clusters.listClustersOfAccountRegion(...args);
  }

  /** Past reports of a cluster, oldest first (one per change). */
  async listClusterHistory(...args: Parameters<ClusterRecords['listClusterHistory']>): Promise<ClusterHistoryEntry[]> {
    return this.clusters.listClusterHistory(...args);
  }

  /** Marks the clusters of an account-region that could not be read as stale; returns how many were marked. */
  async markAccountRegionStale(...args: Parameters<ClusterRecords['markAccountRegionStale']>): Promise<number> {
    return this.clusters.markAccountRegionStale(...args);
  }

  /** Marks the clusters a complete read of an account-region did not see as deleted; returns their arns. */
  async markDeletedIfMissing(...args: Parameters<ClusterRecords['markDeletedIfMissing']>): Promise<string[]> {
    return this.clusters.markDeletedIfMissing(...args);
  }

  // ---------------------------------------------------------------- audit runs (AuditRuns)

  /** Records the start of an audit run (status RUNNING). Returns false when that run id was already started. */
  async startRun(...args: Parameters<AuditRuns['startRun']>): Promise<boolean> {
    return this.runs.startRun(...args);
  }

  /** Records (or replaces) how reading one account-region went in a run. */
  async recordAccountRegionOutcome(...args: Parameters<AuditRuns['recordAccountRegionOutcome']>): Promise<void> {
    return this.runs.recordAccountRegionOutcome(...args);
  }

  /** Records the end of a run with its counts and final status (default SUCCEEDED). */
  async finishRun(...args: Parameters<AuditRuns['finishRun']>): Promise<void> {
    return this.runs.finishRun(...args);
  }

  /** A run and its account-region outcomes, or null when unknown. */
  async getRun(...args: Parameters<AuditRuns['getRun']>): Promise<StoredRun | null> {
    return this.runs.getRun(...args);
  }

  /** The account-regions recorded FAILED so far in a run, from the sparse index (O(failed account-regions)). */
  async listFailedAccountRegions(
    ...args: Parameters<AuditRuns['listFailedAccountRegions']>
  ): ReturnType<AuditRuns['listFailedAccountRegions']> {
    return this.runs.listFailedAccountRegions(...args);
  }

  /** Writes the batches of a run's scheduled account-regions (one item per batch). */
  async putRunBatches(...args: Parameters<RunBatches['putRunBatches']>): Promise<void> {
    return this.batches.putRunBatches(...args);
  }

  /** The account-regions of one batch of a run, or null when there is no such batch. */
  async getRunBatch(...args: Parameters<RunBatches['getRunBatch']>): Promise<BatchAccountRegion[] | null> {
    return this.batches.getRunBatch(...args);
  }

  /** Every scheduled account-region of a run, in StartRun's order. */
  async listRunAccountRegions(...args: Parameters<RunBatches['listRunAccountRegions']>): Promise<BatchAccountRegion[]> {
    return this.batches.listRunAccountRegions(...args);
  }

  /** Writes (or rewrites) a list a run keeps by reference (candidates, held clusters, dispatch outcomes). */
  async putRunList(...args: Parameters<RunLists['putRunList']>): Promise<number> {
    return this.lists.putRunList(...args);
  }

  /** A list a run keeps by reference, in the order written; null when it was never written. */
  async getRunList<T>(...args: Parameters<RunLists['getRunList']>): Promise<T[] | null> {
    return this.lists.getRunList<T>(...args);
  }

  /** Claims the run's one digest (true exactly once per run: the caller must send it). */
  async claimDigest(...args: Parameters<AuditRuns['claimDigest']>): Promise<boolean> {
    return this.runs.claimDigest(...args);
  }

  /** Gives back a digest claim whose message could not be delivered. */
  async releaseDigest(...args: Parameters<AuditRuns['releaseDigest']>): Promise<boolean> {
    return this.runs.releaseDigest(...args);
  }

  // ---------------------------------------------------------------- alert ledger (AlertLedger)

  /** Thresholds (days) already recorded as sent for one deadline of one cluster, ascending. */
  async sentThresholds(...args: Parameters<AlertLedger['sentThresholds']>): Promise<number[]> {
    return this.alerts.sentThresholds(...args);
  }

  /**
   * Claims the alert for `threshold` (true: the caller must send it) and records `others` as sent with it; gives
   * the claim back if recording `others` fails.
   */
  async claimAlert(...args: Parameters<AlertLedger['claimAlert']>): Promise<boolean> {
    return this.alerts.claimAlert(...args);
  }

  /** Records `thresholds` as sent without a message of their own, keeping any already recorded; idempotent. */
  async recordAlerts(...args: Parameters<AlertLedger['recordAlerts']>): Promise<number> {
    return this.alerts.recordAlerts(...args);
  }

  /** Marks a PENDING claim SENT once its message is out; false when it was not PENDING. */
  async markAlertSent(...args: Parameters<AlertLedger['markAlertSent']>): Promise<boolean> {
    return this.alerts.markAlertSent(...args);
  }

  /** PENDING claims older than a lease (or of `runId`), with the message each keeps, oldest first. */
  async pendingAlerts(...args: Parameters<AlertLedger['pendingAlerts']>): Promise<PendingAlert[]> {
    return this.alerts.pendingAlerts(...args);
  }

  /** Takes over a PENDING claim (conditional on its lease start) before publishing it again. */
  async takeOverPending(...args: Parameters<AlertLedger['takeOverPending']>): Promise<boolean> {
    return this.alerts.takeOverPending(...args);
  }

  /** Deletes the ledger items `runId` recorded for `thresholds` (a claim whose message could not be sent). */
  async releaseAlert(...args: Parameters<AlertLedger['releaseAlert']>): Promise<number> {
    return this.alerts.releaseAlert(...args);
  }

  // ---------------------------------------------------------------- upgrade locks (UpgradeLocks)

  /** Takes the upgrade lock of a cluster for `ttlSeconds` under the core's lease rule. */
  async acquireLock(...args: Parameters<UpgradeLocks['acquireLock']>): Promise<AcquireLockResult> {
    return this.locks.acquireLock(...args);
  }

  /** Extends `holder`'s unexpired lease to `now + ttlSeconds`; false otherwise. */
  async renewLock(...args: Parameters<UpgradeLocks['renewLock']>): Promise<boolean> {
    return this.locks.renewLock(...args);
  }

  /** Releases the lock if `holder` holds it (expired or not); false when it is someone else's or already free. */
  async releaseLock(...args: Parameters<UpgradeLocks['releaseLock']>): Promise<boolean> {
    return this.locks.releaseLock(...args);
  }

  /** The stored lease of a cluster's lock (possibly expired), or null. */
  async getLock(...args: Parameters<UpgradeLocks['getLock']>): Promise<LockLease | null> {
    return this.locks.getLock(...args);
  }

  /** Every upgrade lock, active or expired (sparse index, eventually consistent): what the fleet-wide cap counts. */
  async listLocks(): Promise<{ readonly arn: string; readonly lease: LockLease }[]> {
    return this.locks.listLocks();
  }

  // ---------------------------------------------------------------- upgrade records (UpgradeRecords)

  /** Creates an upgrade record; false when one with the same start and execution name exists (a duplicate start). */
  async putUpgradeRecord(...args: Parameters<UpgradeRecords['putUpgradeRecord']>): Promise<boolean> {
    return this.upgrades.putUpgradeRecord(...args);
  }

  /** Applies `patch` to an existing upgrade record and stamps `updatedAt`; returns the record as stored. */
  async updateUpgradeRecord(...args: Parameters<UpgradeRecords['updateUpgradeRecord']>): Promise<UpgradeRecord> {
    return this.upgrades.updateUpgradeRecord(...args);
  }

  /** The upgrade records of one cluster, newest first. */
  async listUpgradeRecords(...args: Parameters<UpgradeRecords['listUpgradeRecords']>): Promise<UpgradeRecord[]> {
    return this.upgrades.listUpgradeRecords(...args);
  }

  /** Where every open (RUNNING) upgrade record is (sparse index, eventually consistent). */
  async listRunningUpgrades(): Promise<RunningUpgradeRef[]> {
    return this.upgrades.listRunningUpgrades();
  }

  // ---------------------------------------------------------------- upgrade phases (UpgradePhases)

  /** Writes (or replaces) a cluster's upgrade phase between executions (baking, rolling back, held). */
  async putUpgradePhase(...args: Parameters<UpgradePhases['putUpgradePhase']>): Promise<void> {
    return this.phases.putUpgradePhase(...args);
  }

  /** A cluster's upgrade phase, or null. */
  async getUpgradePhase(...args: Parameters<UpgradePhases['getUpgradePhase']>): Promise<StoredUpgradePhase | null> {
    return this.phases.getUpgradePhase(...args);
  }

  /** Every cluster in an upgrade phase. */
  async listUpgradePhases(): Promise<StoredUpgradePhase[]> {
    return this.phases.listUpgradePhases();
  }

  /** Ends a cluster's upgrade phase. */
  async deleteUpgradePhase(...args: Parameters<UpgradePhases['deleteUpgradePhase']>): Promise<void> {
    return this.phases.deleteUpgradePhase(...args);
  }

  // ---------------------------------------------------------------- local executions (LocalExecutions)

  /** Records the start of a local execution; false when that name already ran (as Step Functions refuses it). */
  async startExecution(...args: Parameters<LocalExecutions['startExecution']>): Promise<boolean> {
    return this.executions.startExecution(...args);
  }

  /** Closes a RUNNING local execution; false when it was not RUNNING. */
  async finishExecution(...args: Parameters<LocalExecutions['finishExecution']>): Promise<boolean> {
    return this.executions.finishExecution(...args);
  }

  /** One local execution by name, or null. */
  async getExecution(...args: Parameters<LocalExecutions['getExecution']>): Promise<LocalExecutionRecord | null> {
    return this.executions.getExecution(...args);
  }

  /** Every local execution still RUNNING. */
  async runningExecutions(): Promise<LocalExecutionRecord[]> {
    return this.executions.runningExecutions();
  }
}

function positiveDays(name: string, days: number): number {
  if (!Number.isFinite(days) || days <= 0) {
    throw new StoreValidationError('DynamoFleetStore', `${name} must be a positive number of days, not ${days}`);
  }
  return days;
}

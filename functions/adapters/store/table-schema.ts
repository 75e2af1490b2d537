/**
 * The fleet table (DESIGN §6): one DynamoDB table for everything the product keeps. This module is plain data and
 * pure key builders, shared by the store adapter, the local embedded DynamoDB and (later) the CDK stack, so all
 * three agree on names without importing each other. No CDK and no SDK client imports here.
 *
 * Item layout (pk / sk, then attributes):
 *
 * - Cluster latest state: `CLUSTER#<arn>` / `LATEST`; `gsi1pk` = `TARGET#<accountId>`, `gsi1sk` = `<region>#<name>`.
 *   accountId, region, name, arn, runId (the audit run that wrote it), auditedAt (ISO), fingerprint (hash of the
 *   report without its volatile fields), report (the ClusterReport as a map), stale (bool), and — only while they
 *   apply — staleSince, staleReason, staleRunId, deletedAt, deletedRunId. An opted-in cluster also carries
 *   `gsi2pk` = `WAVES#<rolloutGroup>`, `gsi2sk` = `<arn>` and `waveFacts` { version, upgrade: { optedIn, wave,
 *   rolloutGroup } } (one index partition per rollout group: the wave rule of a group reads only its own). A fresh
 *   audit rewrites the whole item, which clears the stale and deleted marks.
 * - Cluster history (written only when the fingerprint changes): `CLUSTER#<arn>` / `HISTORY#<auditedAt>`;
 *   report, runId, fingerprint, expiresAt (TTL, default 400 days).
 * - Audit run: `RUN#<runId>` / `RUN`; startedAt, finishedAt, status, counts, digestSentAt (set once: the run's
 *   digest was claimed).
 *   Per-account-region outcome: `RUN#<runId>` / `TARGET#<accountId>#<region|*>`; status OK|FAILED, clusters, errorCode,
 *   errorMessage; a FAILED one also carries `gsi2pk` = `FAILED#<runId>`, `gsi2sk` = `<accountId>#<region>`.
 *   Batch of scheduled account-regions: `RUN#<runId>` / `BATCH#<n, 6 digits>`; targets (`<accountId>#<region>` strings),
 *   expiresAt (TTL). Written by StartRun; read by the batch execution and by FinishRun.
 *   Run list (kept by reference, not in the state): `RUN#<runId>` / `LIST#<kind>#<part, 4 digits>`; kind
 *   UPGRADE_CANDIDATES | HELD_BY_WAVES (written by FinishRun) | DISPATCH_ENTRIES (written by DispatchUpgrades);
 *   part, parts (how many parts the list has), entries[], expiresAt (TTL).
 * - Alert ledger: `ALERT#<arn>` / `<deadlineKey>#<threshold>` (threshold zero-padded to 4 digits so the items
 *   sort by days); sentAt, runId, expiresAt (TTL).
 * - Upgrade lock: `LOCK#<arn>` / `LOCK`; holder, acquiredAt (ISO), leaseExpiresAt (ISO, the lease's expiry that
 *   the conditional writes compare), expiresAt (epoch seconds, TTL, so DynamoDB removes abandoned locks); `gsi2pk` =
 *   `LOCKS`, `gsi2sk` = `<arn>`, so the fleet-wide cap is counted from the locks alone.
 * - Upgrade record: `UPGRADE#<arn>` / `<startedAt>#<executionName>`; fromVersion, toVersion, status, step, error,
 *   hops[], updatedAt, finishedAt. While its status is RUNNING it also carries `gsi2pk` = `UPGRADES_RUNNING`,
 *   `gsi2sk` = `<arn>#<startedAt>#<executionName>` (removed when it closes), so the nightly reconciliation reads
 *   only the open records.
 * - Upgrade phase between executions (baking, rolling back, held after a rollback): `PHASES` / `<arn>`; phase,
 *   targetVersion, resume (the resume execution's input), hold, lastCheck, updatedAt.
 *
 * `expiresAt` is the table's single TTL attribute and is always a Number (epoch seconds) where present; DynamoDB
 * ignores TTL attributes of any other type, so no item stores an ISO string under that name.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Key, index and TTL attribute names of the fleet table. */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  billingMode: 'PAY_PER_REQUEST',
  ttlAttribute: 'expiresAt',
  byTarget: {
    indexName: 'byTarget',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
  },
  /**
   * Sparse index: only items that carry `gsi2pk` are in it, with the few attributes the nightly's per-account-region reads
   * need. Opted-in clusters' latest items (`WAVES#<rolloutGroup>` / `<arn>`: the wave index, one partition per
   * rollout group) and the failed account-regions of a run
   * (`FAILED#<runId>` / `<accountId>#<region>`), so the wave rule reads neither the whole table nor the whole run;
   * the open upgrades (`UPGRADES_RUNNING`) and the upgrade locks (`LOCKS` / `<arn>`), so the fleet-wide cap is
   * counted from the locks alone.
   */
  sparse: {
    indexName: 'sparse',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projected: [
      'accountId',
      'region',
      'name',
      'arn',
      'versionSince',
      'deletedAt',
      'waveFacts',
      'status',
      'holder',
      'acquiredAt',
      'leaseExpiresAt',
    ],
  },
} as const;

/** The primary key of one item. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** Width to which alert thresholds (days) are zero-padded in sort keys. */
export const THRESHOLD_DIGITS = 4;

/** Width to which batch numbers are zero-padded in sort keys. */
const BATCH_DIGITS = 6;

/** Width to which the part numbers of a run's lists are zero-padded in sort keys. */
const LIST_PART_DIGITS = 4;

function runListPrefix(kind: string): string {
  return `LIST#${kind}#`;
}

/** Key builders for every item kind in the layout above. */
export const itemKeys = {
  clusterLatest: (arn: string): ItemKey => ({ pk: `CLUSTER#${arn}`, sk: 'LATEST' }),
  clusterHistory: (arn: string, auditedAt: string): ItemKey => ({ pk: `CLUSTER#${arn}`, sk: `HISTORY#${auditedAt}` }),
  targetPartition: (accountId: string): string => `TARGET#${accountId}`,
  targetSort: (region: string, name: string): string => `${region}#${name}`,
  run: (runId: string): ItemKey => ({ pk: `RUN#${runId}`, sk: 'RUN' }),
  runTarget: (runId: string, accountId: string, region: string | null): ItemKey => ({
    pk: `RUN#${runId}`,
    sk: `TARGET#${accountId}#${region ?? '*'}`,
  }),
  runBatch: (runId: string, batch: number): ItemKey => ({
    pk: `RUN#${runId}`,
    sk: `BATCH#${String(batch).padStart(BATCH_DIGITS, '0')}`,
  }),
  runList: (runId: string, kind: string, part: number): ItemKey => ({
    pk: `RUN#${runId}`,
    sk: `${runListPrefix(kind)}${String(part).padStart(LIST_PART_DIGITS, '0')}`,
  }),
  runListPrefix,
  wavesPartition: (rolloutGroup: string): string => `WAVES#${rolloutGroup}`,
  failedTargetsPartition: (runId: string): string => `FAILED#${runId}`,
  runningUpgradesPartition: (): string => 'UPGRADES_RUNNING',
  locksPartition: (): string => 'LOCKS',
  alert: (arn: string, deadlineKey: string, threshold: number): ItemKey => ({
    pk: `ALERT#${arn}`,
    sk: `${deadlineKey}#${String(threshold).padStart(THRESHOLD_DIGITS, '0')}`,
  }),
  lock: (arn: string): ItemKey => ({ pk: `LOCK#${arn}`, sk: 'LOCK' }),
  execution: (name: string): ItemKey => ({ pk: `EXECUTION#${name}`, sk: 'EXECUTION' }),
  upgrade: (arn: string, startedAt: string, executionName: string): ItemKey => ({
    pk: `UPGRADE#${arn}`,
    sk: `${startedAt}#${executionName}`,
  }),
  phase: (arn: string): ItemKey => ({ pk: 'PHASES', sk: arn }),
} as const;

/**
 * The CreateTable request for the fleet table: what `ensureTable` sends to the local DynamoDB, and what the CDK
 * stack must declare (plus TTL on `TABLE_SCHEMA.ttlAttribute`, which the local server cannot enable).
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, byTarget, sparse } = TABLE_SCHEMA;
  return {
    TableName: tableName,
    BillingMode: TABLE_SCHEMA.billingMode,
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' },
      { AttributeName: sortKey, AttributeType: 'S' },
      { AttributeName: byTarget.partitionKey, AttributeType: 'S' },
      { AttributeName: byTarget.sortKey, AttributeType: 'S' },
      { AttributeName: sparse.partitionKey, AttributeType: 'S' },
      { AttributeName: sparse.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: byTarget.indexName,
        KeySchema: [
          { AttributeName: byTarget.partitionKey, KeyType: 'HASH' },
          { AttributeName: byTarget.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: sparse.indexName,
        KeySchema: [
          { AttributeName: sparse.partitionKey, KeyType: 'HASH' },
          { AttributeName: sparse.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...sparse.projected] },
      },
    ],
  };
}

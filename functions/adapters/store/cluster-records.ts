/**
 * Cluster records (DESIGN §6): the latest state of every audited cluster, its history (one entry per change of
 * fingerprint), and the stale and deleted marks that a failed or complete read of its account-region leaves.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClusterReport } from '../../core/report-types.ts';
import { storedRolloutGroup } from '../../core/stored-wave-members.ts';
import type { StoredWaveFacts } from '../../core/stored-wave-members.ts';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { FleetTable } from './fleet-table.ts';
import { epochSeconds, isoInstant, keyOf, optStr, plain, reportFingerprint, str } from './items.ts';
import type { Item } from './items.ts';
import { isConditionalCheckFailed, translateStoreError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type {
  ClusterAuditFacts,
  ClusterHistoryEntry,
  SaveClusterResult,
  StoredCluster,
} from '../../application/ports/fleet-store.ts';

const { byTarget, sparse } = TABLE_SCHEMA;

/**
 * The wave-index attributes of an opted-in cluster's latest item (none for others, so the index stays sparse): what
 * the wave rule needs of a cluster in another account-region, in its rollout group's partition of the index, since
 * waves are ordered within a group only.
 */
function waveIndexEntry(report: ClusterReport): Item {
  if (!report.upgrade.optedIn) return {};
  const rolloutGroup = storedRolloutGroup(report.upgrade);
  return {
    [sparse.partitionKey]: itemKeys.wavesPartition(rolloutGroup),
    [sparse.sortKey]: report.arn,
    waveFacts: { version: report.version, upgrade: { optedIn: true, wave: report.upgrade.wave, rolloutGroup } },
  };
}

/** The cluster part of the fleet store. */
export class ClusterRecords {
  private readonly table: FleetTable;
  private readonly historyTtlSeconds: number;

  /** `historyTtlSeconds`: how long a history item lives after the audit that wrote it. */
  constructor(table: FleetTable, historyTtlSeconds: number) {
    this.table = table;
    this.historyTtlSeconds = historyTtlSeconds;
  }

  /**
   * Records one cluster's audit as its latest state. The write is refused (SUPERSEDED) when the stored record
   * comes from a later audit, so a slow or replayed run never rolls a cluster back; a written record clears the
   * stale and deleted marks. A history item is added only when the fingerprint changed, or for a new cluster.
   * `facts` are stored with the latest state only (they are not part of the fingerprint).
   */
  async saveClusterAudit(
    report: ClusterReport,
    runId: string,
    auditedAt: string,
    facts: ClusterAuditFacts = {},
  ): Promise<SaveClusterResult> {
    const op = 'saveClusterAudit';
    const at = isoInstant(op, 'auditedAt', auditedAt);
    const versionSince =
      facts.versionSince === undefined || facts.versionSince === null
        ? undefined
        : isoInstant(op, 'versionSince', facts.versionSince);
    const fingerprint = reportFingerprint(report);
    const data = plain(report);
    const item: Item = {
      ...itemKeys.clusterLatest(report.arn),
      [byTarget.partitionKey]: itemKeys.targetPartition(report.accountId),
      [byTarget.sortKey]: itemKeys.targetSort(report.region, report.name),
      accountId: report.accountId,
      region: report.region,
      name: report.name,
      arn: report.arn,
      runId,
      auditedAt: at,
      fingerprint,
      report: data,
      stale: false,
      ...(versionSince === undefined ? {} : { versionSince }),
      ...waveIndexEntry(report),
    };
    let previous: Item | undefined;
    try {
      const out = await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR auditedAt <= :at',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = out.Attributes;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw translateStoreError(op, err);
      return {
        written: false,
        historyWritten: false,
        code: 'SUPERSEDED',
        reason: `${report.arn} already holds an audit later than ${at}; kept it`,
      };
    }
    if (previous !== undefined && previous['fingerprint'] === fingerprint) {
      return {
        written: true,
        historyWritten: false,
        code: 'UNCHANGED',
        reason: 'same fingerprint as the previous audit',
      };
    }
    await this.table.send(op, () =>
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...itemKeys.clusterHistory(report.arn, at),
            arn: report.arn,
            runId,
            auditedAt: at,
            fingerprint,
            report: data,
            [TABLE_SCHEMA.ttlAttribute]: epochSeconds(at) + this.historyTtlSeconds,
          },
        }),
      ),
    );
    return previous === undefined
      ? { written: true, historyWritten: true, code: 'NEW', reason: 'first record of this cluster' }
      : { written: true, historyWritten: true, code: 'CHANGED', reason: 'the report changed since the previous audit' };
  }

  /** The stored state of one cluster, or null when it was never audited. */
  async getCluster(arn: string): Promise<StoredCluster | null> {
    const item = await this.table.getItem('getCluster', itemKeys.clusterLatest(arn));
    return item === undefined ? null : toStoredCluster(item);
  }

  /** Every stored cluster (including stale and deleted ones), sorted by account, region and name. */
  async listClusters(): Promise<StoredCluster[]> {
    // The index also holds the pending alert claims (ALERT#PENDING): only TARGET# partitions are clusters.
    const items = await this.table.scanAll('listClusters', {
      IndexName: byTarget.indexName,
      FilterExpression: 'begins_with(#gpk, :target)',
      ExpressionAttributeNames: { '#gpk': byTarget.partitionKey },
      ExpressionAttributeValues: { ':target': itemKeys.targetPartition('') },
    });
    return items.map(toStoredCluster).sort(byAccountRegionOrder);
  }

  /**
   * The wave facts of every opted-in cluster of one rollout group (stale and deleted ones included, with their
   * marks), from the group's partition of the sparse wave index: reads O(opted-in clusters of the group), not the
   * table (eventually consistent).
   */
  async listWaveFacts(rolloutGroup: string): Promise<StoredWaveFacts[]> {
    const items = await this.table.queryAll('listWaveFacts', {
      IndexName: sparse.indexName,
      KeyConditionExpression: `${sparse.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': itemKeys.wavesPartition(rolloutGroup) },
    });
    return items.map((item) => {
      const facts = item['waveFacts'] as {
        version: string;
        upgrade: { optedIn: boolean; wave: number; rolloutGroup?: string };
      };
      return {
        report: {
          accountId: str(item, 'accountId'),
          region: str(item, 'region'),
          arn: str(item, 'arn'),
          name: str(item, 'name'),
          version: facts.version,
          upgrade: facts.upgrade as ClusterReport['upgrade'],
        },
        versionSince: optStr(item, 'versionSince'),
        deletedAt: optStr(item, 'deletedAt'),
      };
    });
  }

  /** The stored clusters of one account, or of one region of it, sorted by region and name (eventually consistent). */
  async listClustersOfAccountRegion(accountId: string, region: string | null): Promise<StoredCluster[]> {
    const items = await this.queryAccountRegion('listClustersOfAccountRegion', accountId, region);
    return items.map(toStoredCluster);
  }

  /** Past reports of a cluster, oldest first (one per change). */
  async listClusterHistory(arn: string): Promise<ClusterHistoryEntry[]> {
    const items = await this.table.queryAll('listClusterHistory', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': itemKeys.clusterLatest(arn).pk, ':history': 'HISTORY#' },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      auditedAt: str(item, 'auditedAt'),
      runId: str(item, 'runId'),
      report: item['report'] as ClusterReport,
    }));
  }

  /**
   * Marks every stored cluster of an account (region null) or account-region as stale after it could not
   * be read, keeping its report. `staleSince` keeps the first failure; already deleted clusters, clusters deleted
   * meanwhile and clusters written by a later audit are left alone. With `names`, only the clusters of those names
   * are marked (an account-region read only in part: the clusters that could not be read). Returns how many were marked.
   */
  async markAccountRegionStale(
    accountId: string,
    region: string | null,
    runId: string,
    reason: string,
    at: string,
    names?: ReadonlySet<string>,
  ): Promise<number> {
    const op = 'markAccountRegionStale';
    const when = isoInstant(op, 'at', at);
    const candidates = (await this.queryAccountRegion(op, accountId, region)).filter(
      (item) => item['deletedAt'] === undefined && (names === undefined || names.has(str(item, 'name'))),
    );
    const marked = await this.markLiveClusters(
      op,
      candidates,
      'SET stale = :true, staleSince = if_not_exists(staleSince, :at), staleReason = :reason, staleRunId = :runId',
      { ':true': true, ':at': when, ':reason': reason, ':runId': runId },
    );
    return marked.filter(Boolean).length;
  }

  /**
   * After a successful, complete read of one account-region, marks every stored, not yet deleted cluster of it that
   * the read did not see as deleted by `runId` (report kept, stale marks cleared). A cluster written by a later
   * audit is left alone. Returns the arns marked.
   */
  async markDeletedIfMissing(
    accountId: string,
    region: string,
    seenArns: ReadonlySet<string>,
    runId: string,
    at: string,
  ): Promise<string[]> {
    const op = 'markDeletedIfMissing';
    const when = isoInstant(op, 'at', at);
    const missing = (await this.queryAccountRegion(op, accountId, region)).filter(
      (item) => item['deletedAt'] === undefined && !seenArns.has(str(item, 'arn')),
    );
    const marked = await this.markLiveClusters(
      op,
      missing,
      'SET deletedAt = :at, deletedRunId = :runId, stale = :false REMOVE staleSince, staleReason, staleRunId',
      { ':at': when, ':runId': runId, ':false': false },
    );
    return missing.filter((_, i) => marked[i]).map((item) => str(item, 'arn'));
  }

  /**
   * Applies `update` to each of `items` that still exists, is not deleted and was not written by an audit later
   * than `:at` (which `values` must bind). Returns, per item, whether it was updated.
   */
  private async markLiveClusters(op: string, items: readonly Item[], update: string, values: Item): Promise<boolean[]> {
    return mapLimited(items, WRITE_CONCURRENCY, (item) =>
      this.table.conditional(op, () =>
        this.table.client.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: keyOf(item),
            UpdateExpression: update,
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt) AND auditedAt <= :at',
            ExpressionAttributeValues: values,
          }),
        ),
      ),
    );
  }

  private async queryAccountRegion(op: string, accountId: string, region: string | null): Promise<Item[]> {
    const values: Item = { ':pk': itemKeys.targetPartition(accountId) };
    let condition = `${byTarget.partitionKey} = :pk`;
    if (region !== null) {
      values[':region'] = `${region}#`;
      condition += ` AND begins_with(${byTarget.sortKey}, :region)`;
    }
    return this.table.queryAll(op, {
      IndexName: byTarget.indexName,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
    });
  }
}

function toStoredCluster(item: Item): StoredCluster {
  const versionSince = optStr(item, 'versionSince');
  return {
    report: item['report'] as ClusterReport,
    runId: str(item, 'runId'),
    auditedAt: str(item, 'auditedAt'),
    stale: item['stale'] === true,
    staleSince: optStr(item, 'staleSince'),
    staleReason: optStr(item, 'staleReason'),
    staleRunId: optStr(item, 'staleRunId'),
    deletedAt: optStr(item, 'deletedAt'),
    deletedRunId: optStr(item, 'deletedRunId'),
    ...(versionSince === null ? {} : { versionSince }),
  };
}

function byAccountRegionOrder(a: StoredCluster, b: StoredCluster): number {
  const ka = [a.report.accountId, a.report.region, a.report.name];
  const kb = [b.report.accountId, b.report.region, b.report.name];
  for (let i = 0; i < ka.length; i += 1) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

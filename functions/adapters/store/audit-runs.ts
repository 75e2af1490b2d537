/**
 * Audit runs (DESIGN §6): one item per nightly or CLI audit (start, end, status, counts) and one per account-region it
 * read, saying how reading that account or account-region went.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FleetTable } from './fleet-table.ts';
import { isoInstant, num, optStr, plain, str } from './items.ts';
import { StoreItemNotFoundError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type { AccountRegionOutcome, AuditRun, RunStatus, StoredRun } from '../../application/ports/fleet-store.ts';

const { sparse } = TABLE_SCHEMA;

/** The audit-run part of the fleet store. */
export class AuditRuns {
  private readonly table: FleetTable;

  constructor(table: FleetTable) {
    this.table = table;
  }

  /** Records the start of an audit run (status RUNNING). Returns false when that run id was already started. */
  async startRun(runId: string, startedAt: string): Promise<boolean> {
    const op = 'startRun';
    const started = isoInstant(op, 'startedAt', startedAt);
    return this.table.putNew(op, {
      ...itemKeys.run(runId),
      runId,
      startedAt: started,
      status: 'RUNNING',
      counts: {},
    });
  }

  /** Records (or replaces) how reading one account-region went in a run. */
  async recordAccountRegionOutcome(runId: string, outcome: AccountRegionOutcome): Promise<void> {
    await this.table.send('recordAccountRegionOutcome', () =>
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...itemKeys.runTarget(runId, outcome.accountId, outcome.region),
            runId,
            ...plain(outcome),
            ...(outcome.status === 'FAILED'
              ? {
                  [sparse.partitionKey]: itemKeys.failedTargetsPartition(runId),
                  [sparse.sortKey]: `${outcome.accountId}#${outcome.region ?? '*'}`,
                }
              : {}),
          },
        }),
      ),
    );
  }

  /**
   * Records the end of a run with its counts (e.g. clusters, errors, alerts) and final status (default SUCCEEDED).
   *
   * @throws StoreItemNotFoundError when the run was never started.
   */
  async finishRun(
    runId: string,
    finishedAt: string,
    counts: Readonly<Record<string, number>>,
    status: Exclude<RunStatus, 'RUNNING'> = 'SUCCEEDED',
  ): Promise<void> {
    const op = 'finishRun';
    const finished = isoInstant(op, 'finishedAt', finishedAt);
    const done = await this.table.conditional(op, () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.run(runId),
          UpdateExpression: 'SET finishedAt = :finishedAt, #status = :status, counts = :counts',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':finishedAt': finished,
            ':status': status,
            ':counts': { ...counts },
          },
        }),
      ),
    );
    if (!done) throw new StoreItemNotFoundError(op, `audit run ${runId} was never started`);
  }

  /**
   * Claims the one digest of a run with a conditional write on the run item: true exactly once per run (the caller
   * must then send it), false when it was already claimed — so a retried FinishRun does not send it again.
   *
   * @throws StoreItemNotFoundError when the run was never started.
   */
  async claimDigest(runId: string, at: string): Promise<boolean> {
    const op = 'claimDigest';
    const sentAt = isoInstant(op, 'at', at);
    const claimed = await this.table.conditional(op, () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.run(runId),
          UpdateExpression: 'SET digestSentAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(digestSentAt)',
          ExpressionAttributeValues: { ':at': sentAt },
        }),
      ),
    );
    if (!claimed && (await this.table.getItem(op, itemKeys.run(runId))) === undefined) {
      throw new StoreItemNotFoundError(op, `audit run ${runId} was never started`);
    }
    return claimed;
  }

  /** Gives back a digest claim whose message could not be delivered; false when there was none to give back. */
  async releaseDigest(runId: string): Promise<boolean> {
    return this.table.conditional('releaseDigest', () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.run(runId),
          UpdateExpression: 'REMOVE digestSentAt',
          ConditionExpression: 'attribute_exists(digestSentAt)',
        }),
      ),
    );
  }

  /**
   * The account-regions recorded FAILED so far in a run, from the sparse index: reads O(failed account-regions), not the run's
   * every outcome (eventually consistent, so a failure recorded a moment ago may be missing).
   */
  async listFailedAccountRegions(runId: string): Promise<{ accountId: string; region: string | null }[]> {
    const items = await this.table.queryAll('listFailedAccountRegions', {
      IndexName: sparse.indexName,
      KeyConditionExpression: `${sparse.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': itemKeys.failedTargetsPartition(runId) },
    });
    return items.map((item) => ({ accountId: str(item, 'accountId'), region: optStr(item, 'region') }));
  }

  /** A run and its account-region outcomes, or null when unknown. */
  async getRun(runId: string): Promise<StoredRun | null> {
    const items = await this.table.queryAll('getRun', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': itemKeys.run(runId).pk },
      ConsistentRead: true,
    });
    const runItem = items.find((item) => item['sk'] === 'RUN');
    if (runItem === undefined) return null;
    const run: AuditRun = {
      runId,
      startedAt: str(runItem, 'startedAt'),
      finishedAt: optStr(runItem, 'finishedAt'),
      status: str(runItem, 'status') as RunStatus,
      counts: (runItem['counts'] ?? {}) as Record<string, number>,
    };
    const targets = items
      .filter((item) => String(item['sk']).startsWith('TARGET#'))
      .map((item): AccountRegionOutcome => {
        const errorCode = optStr(item, 'errorCode');
        const errorMessage = optStr(item, 'errorMessage');
        return {
          accountId: str(item, 'accountId'),
          region: optStr(item, 'region'),
          status: str(item, 'status') as AccountRegionOutcome['status'],
          clusters: num(item, 'clusters'),
          ...(errorCode === null ? {} : { errorCode }),
          ...(errorMessage === null ? {} : { errorMessage }),
        };
      });
    return { run, targets };
  }
}

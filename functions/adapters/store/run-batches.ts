/**
 * Batches of a run's scheduled account-regions (DESIGN §6): StartRun writes the account-regions of a nightly run into the
 * table, one item per batch, so the state machines carry only the run id and batch numbers and no state payload
 * grows with the fleet. The batch execution reads its own batch; FinishRun reads them all.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { FleetTable } from './fleet-table.ts';
import { epochSeconds, isoInstant } from './items.ts';
import { StoreValidationError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type { BatchAccountRegion } from '../../application/ports/fleet-store.ts';

/**
 * Largest batch item this part writes, well under DynamoDB's 400 KB: an account-region is stored as `<accountId>#<region>`
 * (at most about 30 bytes), so even the largest allowed batch (500) takes about 15 KB.
 */
const MAX_BATCH_ITEM_BYTES = 350_000;

const DAY_SECONDS = 86_400;

function encode(target: BatchAccountRegion): string {
  return `${target.accountId}#${target.region}`;
}

function decode(text: string): BatchAccountRegion {
  const cut = text.indexOf('#');
  return { accountId: text.slice(0, cut), region: text.slice(cut + 1) };
}

/** The run-batch part of the fleet store. */
export class RunBatches {
  private readonly table: FleetTable;
  private readonly ttlSeconds: number;

  /** `ttlDays`: how long batch items live after the run's start (they matter only while the run lasts). */
  constructor(table: FleetTable, ttlDays: number) {
    this.table = table;
    this.ttlSeconds = ttlDays * DAY_SECONDS;
  }

  /**
   * Writes the batches of a run (batch n under `BATCH#n`); idempotent, so a retried StartRun rewrites the same items.
   *
   * @throws StoreValidationError when a batch would not fit one item.
   */
  async putRunBatches(
    runId: string,
    startedAt: string,
    batches: readonly (readonly BatchAccountRegion[])[],
  ): Promise<void> {
    const op = 'putRunBatches';
    const expiresAt = epochSeconds(isoInstant(op, 'startedAt', startedAt)) + this.ttlSeconds;
    await mapLimited(
      batches.map((targets, batch) => ({ batch, targets: targets.map(encode) })),
      WRITE_CONCURRENCY,
      async ({ batch, targets }) => {
        const bytes = targets.reduce((sum, text) => sum + text.length + 3, 0);
        if (bytes > MAX_BATCH_ITEM_BYTES) {
          throw new StoreValidationError(
            op,
            `batch ${batch} of run ${runId} takes ${bytes} bytes: use smaller batches`,
          );
        }
        await this.table.send(op, () =>
          this.table.client.send(
            new PutCommand({
              TableName: this.table.tableName,
              Item: {
                ...itemKeys.runBatch(runId, batch),
                runId,
                batch,
                targets,
                [TABLE_SCHEMA.ttlAttribute]: expiresAt,
              },
            }),
          ),
        );
      },
    );
  }

  /** The account-regions of batch `batch` of a run, in StartRun's order; null when there is no such batch. */
  async getRunBatch(runId: string, batch: number): Promise<BatchAccountRegion[] | null> {
    const item = await this.table.getItem('getRunBatch', itemKeys.runBatch(runId, batch));
    return item === undefined ? null : (item['targets'] as string[]).map(decode);
  }

  /** Every scheduled account-region of a run, batch by batch, in StartRun's order (empty for a run without batches). */
  async listRunAccountRegions(runId: string): Promise<BatchAccountRegion[]> {
    const items = await this.table.queryAll('listRunAccountRegions', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
      ExpressionAttributeValues: { ':pk': itemKeys.run(runId).pk, ':batch': 'BATCH#' },
      ConsistentRead: true,
    });
    return items.flatMap((item) => (item['targets'] as string[]).map(decode));
  }
}

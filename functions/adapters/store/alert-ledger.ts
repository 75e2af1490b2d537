/**
 * The alert ledger (DESIGN §6): which deadline thresholds have been alerted for each cluster. An alert is claimed
 * with a conditional put, never get-then-put, so two concurrent runs cannot both send it.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '../limit.ts';
import { WRITE_CONCURRENCY } from './fleet-table.ts';
import type { FleetTable } from './fleet-table.ts';
import { epochSeconds, isoInstant, str } from './items.ts';
import { StoreValidationError } from './store-errors.ts';
import { TABLE_SCHEMA, THRESHOLD_DIGITS, itemKeys } from './table-schema.ts';

/** The alert-ledger part of the fleet store. */
export class AlertLedger {
  private readonly table: FleetTable;
  private readonly alertTtlSeconds: number;

  /** `alertTtlSeconds`: how long a ledger item lives after the alert was sent. */
  constructor(table: FleetTable, alertTtlSeconds: number) {
    this.table = table;
    this.alertTtlSeconds = alertTtlSeconds;
  }

  /** Thresholds (days) already recorded as sent for one deadline of one cluster, ascending. */
  async sentThresholds(arn: string, deadlineKey: string): Promise<number[]> {
    const prefix = `${deadlineKey}#`;
    const items = await this.table.queryAll('sentThresholds', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemKeys.alert(arn, deadlineKey, 0).pk, ':prefix': prefix },
      ConsistentRead: true,
    });
    const exact = new RegExp(`^\\d{${THRESHOLD_DIGITS}}$`);
    return items
      .map((item) => str(item, 'sk').slice(prefix.length))
      .filter((rest) => exact.test(rest))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /**
   * Claims the right to send the alert for `threshold` with a conditional put: exactly one of any number of
   * concurrent callers gets true and must send. The winner then records `others` (thresholds crossed at the same
   * time that count as sent), keeping any that were already recorded.
   */
  async claimAlert(
    arn: string,
    deadlineKey: string,
    threshold: number,
    others: readonly number[],
    runId: string,
    at: string,
  ): Promise<boolean> {
    const op = 'claimAlert';
    const sentAt = isoInstant(op, 'at', at);
    const rest = [...new Set(others)].filter((t) => t !== threshold);
    [threshold, ...rest].forEach((t) => checkThreshold(op, t));
    const record = (t: number): Promise<boolean> =>
      this.table.putNew(op, {
        ...itemKeys.alert(arn, deadlineKey, t),
        arn,
        deadlineKey,
        threshold: t,
        sentAt,
        runId,
        [TABLE_SCHEMA.ttlAttribute]: epochSeconds(sentAt) + this.alertTtlSeconds,
      });
    if (!(await record(threshold))) return false;
    // Keep an earlier record of another threshold as it is: its sentAt and runId say who really sent it.
    await mapLimited(rest, WRITE_CONCURRENCY, record);
    return true;
  }

  /**
   * Gives back a claim whose message could not be delivered, so a retry (or the next run) claims and sends it
   * again: deletes the ledger items of `thresholds` that `runId` itself recorded, and no others. Returns how many
   * were deleted.
   */
  async releaseAlert(arn: string, deadlineKey: string, thresholds: readonly number[], runId: string): Promise<number> {
    const op = 'releaseAlert';
    const unique = [...new Set(thresholds)].map((t) => checkThreshold(op, t));
    const released = await mapLimited(unique, WRITE_CONCURRENCY, (t) =>
      this.table.conditional(op, () =>
        this.table.client.send(
          new DeleteCommand({
            TableName: this.table.tableName,
            Key: itemKeys.alert(arn, deadlineKey, t),
            ConditionExpression: 'runId = :runId',
            ExpressionAttributeValues: { ':runId': runId },
          }),
        ),
      ),
    );
    return released.filter(Boolean).length;
  }
}

function checkThreshold(op: string, threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold >= 10 ** THRESHOLD_DIGITS) {
    throw new StoreValidationError(op, `an alert threshold must be a whole number of days 0-9999, not ${threshold}`);
  }
  return threshold;
}

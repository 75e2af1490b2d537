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
   * time that count as sent), keeping any that were already recorded. If recording `others` fails, the claim and
   * whatever this call recorded are given back before the error is rethrown, so a retry can claim and send again.
   * Callers that must not lose the message claim with no `others` and call {@link AlertLedger.recordAlerts} after
   * the message was published.
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
    if (!(await this.putAlert(op, arn, deadlineKey, threshold, runId, sentAt))) return false;
    if (rest.length === 0) return true;
    try {
      // Keep an earlier record of another threshold as it is: its sentAt and runId say who really sent it.
      await this.putAll(op, arn, deadlineKey, rest, runId, sentAt);
    } catch (error) {
      await this.releaseAlert(arn, deadlineKey, [threshold, ...rest], runId);
      throw error;
    }
    return true;
  }

  /**
   * Records `thresholds` as sent without claiming a message: the thresholds that count as sent with a message
   * already published, or crossed thresholds farther than one already sent. Keeps any already recorded (their
   * sentAt and runId say who really sent them); idempotent. Returns how many were recorded now.
   */
  async recordAlerts(
    arn: string,
    deadlineKey: string,
    thresholds: readonly number[],
    runId: string,
    at: string,
  ): Promise<number> {
    const op = 'recordAlerts';
    const sentAt = isoInstant(op, 'at', at);
    const unique = [...new Set(thresholds)].map((t) => checkThreshold(op, t));
    const recorded = await this.putAll(op, arn, deadlineKey, unique, runId, sentAt);
    return recorded.filter(Boolean).length;
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

  /**
   * {@link putAlert} for each of `thresholds`, waiting for every write to settle before it throws the first
   * failure, so no write of this call is still in flight when the caller reacts to it (e.g. gives a claim back).
   */
  private async putAll(
    op: string,
    arn: string,
    deadlineKey: string,
    thresholds: readonly number[],
    runId: string,
    sentAt: string,
  ): Promise<boolean[]> {
    const settled = await mapLimited(thresholds, WRITE_CONCURRENCY, (t) =>
      this.putAlert(op, arn, deadlineKey, t, runId, sentAt).then(
        (created) => ({ ok: true as const, created }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    const created: boolean[] = [];
    for (const result of settled) {
      if (!result.ok) throw result.error;
      created.push(result.created);
    }
    return created;
  }

  /** Creates the ledger item of one threshold unless it exists: true when this call created it. */
  private putAlert(
    op: string,
    arn: string,
    deadlineKey: string,
    threshold: number,
    runId: string,
    sentAt: string,
  ): Promise<boolean> {
    return this.table.putNew(op, {
      ...itemKeys.alert(arn, deadlineKey, threshold),
      arn,
      deadlineKey,
      threshold,
      sentAt,
      runId,
      [TABLE_SCHEMA.ttlAttribute]: epochSeconds(sentAt) + this.alertTtlSeconds,
    });
  }
}

function checkThreshold(op: string, threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold >= 10 ** THRESHOLD_DIGITS) {
    throw new StoreValidationError(op, `an alert threshold must be a whole number of days 0-9999, not ${threshold}`);
  }
  return threshold;
}

/**
 * The alert ledger (DESIGN §6): which deadline thresholds have been alerted for each cluster. An alert is claimed
 * with a conditional put, never get-then-put, so two concurrent runs cannot both send it.
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingMessage } from '../../core/messages.ts';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { FleetTable } from './fleet-table.ts';
import { epochSeconds, isoInstant, str } from './items.ts';
import { StoreValidationError } from './store-errors.ts';
import { TABLE_SCHEMA, THRESHOLD_DIGITS, itemKeys } from './table-schema.ts';
import type { PendingAlert } from '../../application/ports/fleet-store.ts';

/**
 * Index partition of the claims whose message is not known to be out (status PENDING). Only those items carry the
 * `byTarget` index keys (a sparse index), so finding them never scans the table; marking one SENT removes them.
 */
const PENDING_ALERTS_PARTITION = 'ALERT#PENDING';

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
   *
   * With `message`, the claim is PENDING and keeps the message: the caller publishes it, then calls
   * {@link AlertLedger.markAlertSent}. A claim left PENDING (the process died in between) is published again by
   * {@link AlertLedger.pendingAlerts} + {@link AlertLedger.takeOverPending}, so the threshold is never dropped.
   */
  async claimAlert(
    arn: string,
    deadlineKey: string,
    threshold: number,
    others: readonly number[],
    runId: string,
    at: string,
    message?: OutgoingMessage,
  ): Promise<boolean> {
    const op = 'claimAlert';
    const sentAt = isoInstant(op, 'at', at);
    const rest = [...new Set(others)].filter((t) => t !== threshold);
    [threshold, ...rest].forEach((t) => checkThreshold(op, t));
    if (!(await this.putAlert(op, arn, deadlineKey, threshold, runId, sentAt, message))) return false;
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
    message?: OutgoingMessage,
  ): Promise<boolean> {
    const key = itemKeys.alert(arn, deadlineKey, threshold);
    const pending =
      message === undefined
        ? { status: 'SENT' }
        : {
            status: 'PENDING',
            claimedAt: sentAt,
            message: JSON.stringify(message),
            [TABLE_SCHEMA.byTarget.partitionKey]: PENDING_ALERTS_PARTITION,
            [TABLE_SCHEMA.byTarget.sortKey]: `${sentAt}#${key.pk}#${key.sk}`,
          };
    return this.table.putNew(op, {
      ...key,
      arn,
      deadlineKey,
      threshold,
      sentAt,
      runId,
      ...pending,
      [TABLE_SCHEMA.ttlAttribute]: epochSeconds(sentAt) + this.alertTtlSeconds,
    });
  }

  /**
   * Marks a PENDING claim SENT once its message is out: stamps `sentAt`, drops the kept message and leaves the
   * pending index. True when this call marked it; false when it was not PENDING (already marked, or given back).
   */
  async markAlertSent(arn: string, deadlineKey: string, threshold: number, at: string): Promise<boolean> {
    const op = 'markAlertSent';
    checkThreshold(op, threshold);
    const sentAt = isoInstant(op, 'at', at);
    return this.table.conditional(op, () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.alert(arn, deadlineKey, threshold),
          UpdateExpression: 'SET #status = :sent, sentAt = :sentAt REMOVE message, #gpk, #gsk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#gpk': TABLE_SCHEMA.byTarget.partitionKey,
            '#gsk': TABLE_SCHEMA.byTarget.sortKey,
          },
          ExpressionAttributeValues: { ':sent': 'SENT', ':pending': 'PENDING', ':sentAt': sentAt },
        }),
      ),
    );
  }

  /**
   * PENDING claims whose lease began at or before `claimedBefore` (ISO), oldest first; with `runId`, also that
   * run's own claims whatever their age (a retry of the run: its earlier attempt has ended).
   */
  async pendingAlerts(claimedBefore: string, runId?: string): Promise<PendingAlert[]> {
    const op = 'pendingAlerts';
    const cutoff = isoInstant(op, 'claimedBefore', claimedBefore);
    const { indexName, partitionKey } = TABLE_SCHEMA.byTarget;
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.table.send(op, () =>
        this.table.client.send(
          new QueryCommand({
            TableName: this.table.tableName,
            IndexName: indexName,
            KeyConditionExpression: '#gpk = :pending',
            ExpressionAttributeNames: { '#gpk': partitionKey },
            ExpressionAttributeValues: { ':pending': PENDING_ALERTS_PARTITION },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items
      .map(toPendingAlert)
      .filter((p) => p.claimedAt <= cutoff || (runId !== undefined && p.runId === runId))
      .sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
  }

  /**
   * Takes over a PENDING claim before publishing it again: moves its lease start to `at` on condition that it is
   * still PENDING with the lease start `pending` was read with, so of two recoveries only one publishes it.
   */
  async takeOverPending(pending: PendingAlert, at: string): Promise<boolean> {
    const op = 'takeOverPending';
    const claimedAt = isoInstant(op, 'at', at);
    const key = itemKeys.alert(pending.arn, pending.deadlineKey, pending.threshold);
    return this.table.conditional(op, () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: key,
          UpdateExpression: 'SET claimedAt = :at, #gsk = :gsk',
          ConditionExpression: '#status = :pending AND claimedAt = :was',
          ExpressionAttributeNames: { '#status': 'status', '#gsk': TABLE_SCHEMA.byTarget.sortKey },
          ExpressionAttributeValues: {
            ':at': claimedAt,
            ':gsk': `${claimedAt}#${key.pk}#${key.sk}`,
            ':pending': 'PENDING',
            ':was': pending.claimedAt,
          },
        }),
      ),
    );
  }
}

function toPendingAlert(item: Record<string, unknown>): PendingAlert {
  return {
    arn: str(item, 'arn'),
    deadlineKey: str(item, 'deadlineKey'),
    threshold: Number(item['threshold']),
    runId: str(item, 'runId'),
    claimedAt: str(item, 'claimedAt'),
    message: JSON.parse(str(item, 'message')) as OutgoingMessage,
  };
}

function checkThreshold(op: string, threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold >= 10 ** THRESHOLD_DIGITS) {
    throw new StoreValidationError(op, `an alert threshold must be a whole number of days 0-9999, not ${threshold}`);
  }
  return threshold;
}

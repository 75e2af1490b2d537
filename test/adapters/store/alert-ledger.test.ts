import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFleetStore } from '../../../functions/adapters/store/fleet-store.ts';
import type { FleetStore } from '../../../functions/application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import { StoreValidationError } from '../../../functions/adapters/store/store-errors.ts';
import { deadlineKey } from '../../../functions/core/alert-thresholds.ts';
import type { Notifier } from '../../../functions/application/ports/notifier.ts';
import type { OutgoingMessage } from '../../../functions/core/messages.ts';
import { alertMessageId, republishPendingAlerts } from '../../../functions/application/nightly/deadline-alerts.ts';
import { report, useLocalStore } from './store-fixtures.ts';

const freshStore = useLocalStore();

describe('FleetStore alert ledger', () => {
  const arn = report('prod').arn;
  const key = deadlineKey('1.29', { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 25 });

  it('lets exactly one of ten concurrent callers claim a threshold', async () => {
    const store = await freshStore();

    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.claimAlert(arn, key, 30, [180, 90, 60], `run-${i}`, '2025-02-21T02:00:00Z'),
      ),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.sentThresholds(arn, key)).toEqual([30, 60, 90, 180]);
  });

  it('counts the thresholds recorded with an earlier claim as sent', async () => {
    const store = await freshStore();
    await store.claimAlert(arn, key, 30, [180, 90, 60, 30], 'run-1', '2025-02-21T02:00:00Z');

    expect(await store.claimAlert(arn, key, 60, [], 'run-2', '2025-02-22T02:00:00Z')).toBe(false);
    expect(await store.claimAlert(arn, key, 14, [], 'run-3', '2025-03-09T02:00:00Z')).toBe(true);
    expect(await store.sentThresholds(arn, key)).toEqual([14, 30, 60, 90, 180]);
  });

  it('keeps the thresholds of each deadline and cluster apart', async () => {
    const store = await freshStore();
    const later = deadlineKey('1.29', { date: '2026-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: 200 });
    await store.claimAlert(arn, key, 0, [], 'run-1', '2025-03-23T02:00:00Z');

    expect(await store.sentThresholds(arn, later)).toEqual([]);
    expect(await store.sentThresholds(report('other').arn, key)).toEqual([]);
    expect(await store.claimAlert(arn, later, 0, [], 'run-1', '2025-03-23T02:00:00Z')).toBe(true);
  });

  it.each([-1, 1.5, 10_000])('rejects threshold %s', async (threshold) => {
    const store = await freshStore();
    await expect(store.claimAlert(arn, key, threshold, [], 'run-1', '2025-02-21T02:00:00Z')).rejects.toBeInstanceOf(
      StoreValidationError,
    );
  });
});

describe('FleetStore.recordAlerts', () => {
  const arn = report('prod').arn;
  const key = deadlineKey('1.29', { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 25 });

  it('records thresholds as sent without a claim, and is idempotent', async () => {
    const store = await freshStore();

    expect(await store.recordAlerts(arn, key, [180, 90, 60, 90], 'run-1', '2025-02-21T02:00:00Z')).toBe(3);
    expect(await store.recordAlerts(arn, key, [180, 90, 60], 'run-2', '2025-02-22T02:00:00Z')).toBe(0);
    expect(await store.sentThresholds(arn, key)).toEqual([60, 90, 180]);
  });

  it('keeps a threshold another run already recorded as that run recorded it', async () => {
    const store = await freshStore();
    await store.claimAlert(arn, key, 30, [], 'run-1', '2025-02-21T02:00:00Z');

    expect(await store.recordAlerts(arn, key, [60, 30], 'run-2', '2025-02-22T02:00:00Z')).toBe(1);
    // run-2 may give back only what it recorded itself: 60, not run-1's 30.
    expect(await store.releaseAlert(arn, key, [60, 30], 'run-2')).toBe(1);
    expect(await store.sentThresholds(arn, key)).toEqual([30]);
  });

  it.each([-1, 1.5, 10_000])('rejects threshold %s', async (threshold) => {
    const store = await freshStore();
    await expect(store.recordAlerts(arn, key, [threshold], 'run-1', '2025-02-21T02:00:00Z')).rejects.toBeInstanceOf(
      StoreValidationError,
    );
  });
});

/**
 * A store on the local DynamoDB whose client fails the requests `failing` matches, before they leave (as a
 * DynamoDB outage would fail them after the SDK's retries): a fault at the AWS boundary, not a mock of the store.
 */
function storeWithFaults(
  endpoint: string,
  tableName: string,
  failing: (operation: string, body: string) => boolean,
): FleetStore {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  raw.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body: unknown };
      const operation = (request.headers['x-amz-target'] ?? '').replace('DynamoDB_20120810.', '');
      const body =
        typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
      if (failing(operation, body)) {
        const error = new Error(`${operation} failed: service unavailable`);
        error.name = 'InternalServerError';
        throw error;
      }
      return next(args);
    },
    { step: 'build', name: 'injectFault' },
  );
  return new DynamoFleetStore({ client: DynamoDBDocumentClient.from(raw), tableName });
}

describe('FleetStore.claimAlert when DynamoDB fails part-way', () => {
  let local: LocalDynamo;
  let tables = 0;
  const arn = report('prod').arn;
  const key = deadlineKey('1.29', { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 25 });

  beforeAll(async () => {
    local = await startLocalDynamo();
  });
  afterAll(async () => {
    await local.close();
  });

  async function stores(
    failing: (operation: string, body: string) => boolean,
  ): Promise<{ healthy: FleetStore; faulty: FleetStore }> {
    tables += 1;
    const tableName = `ledger-faults-${tables}`;
    await ensureTable(local.client, tableName);
    return {
      healthy: new DynamoFleetStore({ client: local.client, tableName }),
      faulty: storeWithFaults(local.endpoint, tableName, failing),
    };
  }

  it('gives the won claim back when recording another threshold fails, so a retry claims it again', async () => {
    const { healthy, faulty } = await stores((op, body) => op === 'PutItem' && body.includes('#0180"'));

    await expect(faulty.claimAlert(arn, key, 30, [180, 90, 60], 'run-1', '2025-02-21T02:00:00Z')).rejects.toMatchObject(
      { name: 'StoreUnavailableError' },
    );

    expect(await healthy.sentThresholds(arn, key)).toEqual([]);
    expect(await healthy.claimAlert(arn, key, 30, [180, 90, 60], 'run-1', '2025-02-21T02:00:00Z')).toBe(true);
  });

  it('leaves the thresholds other runs recorded when it gives its claim back', async () => {
    const { healthy, faulty } = await stores((op, body) => op === 'PutItem' && body.includes('#0180"'));
    await healthy.recordAlerts(arn, key, [90], 'run-0', '2025-02-20T02:00:00Z');

    await expect(faulty.claimAlert(arn, key, 30, [180, 90], 'run-1', '2025-02-21T02:00:00Z')).rejects.toThrow();

    expect(await healthy.sentThresholds(arn, key)).toEqual([90]);
  });
});

describe('FleetStore alert ledger: PENDING claims', () => {
  const arn = report('prod').arn;
  const key = deadlineKey('1.29', { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 25 });
  const message: OutgoingMessage = {
    subject: 'EKS prod: 30 days to extended-support billing',
    attributes: { type: 'DEADLINE_THRESHOLD', severity: 'CRITICAL', accountId: '111122223333' },
    event: {
      schemaVersion: 1,
      type: 'DEADLINE_THRESHOLD',
      detail: { threshold: 30 },
      text: 'prod reaches extended-support billing in 30 days',
      messageId: alertMessageId(arn, key, 30),
    },
  };
  const recorder = (): Notifier & { sent: OutgoingMessage[] } => {
    const sent: OutgoingMessage[] = [];
    return { sent, publish: async (m) => void sent.push(m) };
  };

  it('keeps a claim made with its message PENDING, counted as sent, until it is marked SENT', async () => {
    const store = await freshStore();

    await store.claimAlert(arn, key, 30, [], 'run-1', '2025-02-21T02:00:00Z', message);

    expect(await store.sentThresholds(arn, key)).toEqual([30]);
    expect(await store.pendingAlerts('2025-02-21T02:00:00Z')).toMatchObject([{ arn, threshold: 30, message }]);
    expect(await store.markAlertSent(arn, key, 30, '2025-02-21T02:00:01Z')).toBe(true);
    expect(await store.markAlertSent(arn, key, 30, '2025-02-21T02:00:02Z')).toBe(false);
    expect(await store.pendingAlerts('2030-01-01T00:00:00Z')).toEqual([]);
    expect(await store.listClusters()).toEqual([]);
  });

  it('re-publishes a claim left PENDING past its lease, unchanged and once, even with two recoveries racing', async () => {
    const store = await freshStore();
    await store.claimAlert(arn, key, 30, [], 'run-1', '2025-02-21T02:00:00Z', message);
    const early = recorder();

    const tooSoon = await republishPendingAlerts({
      store,
      notifier: early,
      at: '2025-02-21T02:10:00Z',
      leaseSeconds: 900,
    });
    const a = recorder();
    const b = recorder();
    const [first, second] = await Promise.all(
      [a, b].map((notifier) =>
        republishPendingAlerts({ store, notifier, at: '2025-02-21T02:20:00Z', leaseSeconds: 900 }),
      ),
    );

    expect(tooSoon.republished).toBe(0);
    expect(early.sent).toEqual([]);
    expect((first?.republished ?? 0) + (second?.republished ?? 0)).toBe(1);
    expect([...a.sent, ...b.sent]).toEqual([message]);
    expect(await store.pendingAlerts('2030-01-01T00:00:00Z')).toEqual([]);
    expect(await store.sentThresholds(arn, key)).toEqual([30]);
  });

  it('re-publishes the same run’s own claim at once (a retry), and keeps it PENDING when the publish fails', async () => {
    const store = await freshStore();
    await store.claimAlert(arn, key, 30, [], 'run-1', '2025-02-21T02:00:00Z', message);
    const failing: Notifier = {
      publish: async () => {
        throw new Error('SNS down');
      },
    };

    const failed = await republishPendingAlerts({
      store,
      notifier: failing,
      at: '2025-02-21T02:00:05Z',
      leaseSeconds: 900,
      runId: 'run-1',
    });
    const ok = recorder();
    const retried = await republishPendingAlerts({
      store,
      notifier: ok,
      at: '2025-02-21T02:00:10Z',
      leaseSeconds: 900,
      runId: 'run-1',
    });

    expect(failed).toEqual({ republished: 0, takenElsewhere: 0, failed: 1 });
    expect(retried.republished).toBe(1);
    expect(ok.sent[0]?.event.messageId).toBe(alertMessageId(arn, key, 30));
  });
});

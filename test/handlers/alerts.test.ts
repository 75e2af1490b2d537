/**
 * sendDeadlineAlerts against the real fleet store on a local DynamoDB and an in-process SNS capture: which deadlines
 * of a cluster are alerted on, once each, and that no DynamoDB or SNS failure between the claim and the publish can
 * lose a message. DynamoDB failures are injected at the AWS boundary (the SDK client), not by mocking the store.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import type { FleetStore } from '../../functions/application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { ALERT_THRESHOLDS } from '../../functions/core/alert-thresholds.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import { sendDeadlineAlerts } from '../../functions/application/nightly/deadline-alerts.ts';
import type { AlertOutcome } from '../../functions/application/nightly/deadline-alerts.ts';
import { report } from '../adapters/store/store-fixtures.ts';
import { MemoryNotifier } from './nightly-fixtures.ts';

/** Which DynamoDB requests fail: by operation (`PutItem`, `DeleteItem`, …) and the request's JSON body. */
type FaultRule = (operation: string, body: string) => boolean;

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamo();
});
afterAll(async () => {
  await local.close();
});

interface Ledger {
  /** A store on a fresh table whose requests fail while `faults.rule` matches them. */
  readonly store: FleetStore;
  /** The same table through a client without faults, to look at what was recorded. */
  readonly healthy: FleetStore;
  readonly faults: { rule: FaultRule | null };
  readonly notifier: MemoryNotifier;
}

async function ledger(): Promise<Ledger> {
  tables += 1;
  const tableName = `alerts-${tables}`;
  await ensureTable(local.client, tableName);
  const faults: { rule: FaultRule | null } = { rule: null };
  const raw = new DynamoDBClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  raw.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body: unknown };
      const operation = (request.headers['x-amz-target'] ?? '').replace('DynamoDB_20120810.', '');
      const body =
        typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
      if (faults.rule?.(operation, body) === true) {
        const error = new Error(`${operation}: service unavailable`);
        error.name = 'InternalServerError';
        throw error;
      }
      return next(args);
    },
    { step: 'build', name: 'injectFault' },
  );
  return {
    store: new DynamoFleetStore({ client: DynamoDBDocumentClient.from(raw), tableName }),
    healthy: new DynamoFleetStore({ client: local.client, tableName }),
    faults,
    notifier: new MemoryNotifier(),
  };
}

/** A put of the ledger item of `threshold` (any deadline key). */
const putOf =
  (threshold: number): FaultRule =>
  (operation, body) =>
    operation === 'PutItem' && body.includes(`#${String(threshold).padStart(4, '0')}"`);

async function night(l: Ledger, clusters: ClusterReport[], at: string, runId = `run-${at}`): Promise<AlertOutcome[]> {
  return sendDeadlineAlerts(clusters, { store: l.store, notifier: l.notifier, runId, at });
}

const sent = (outcomes: AlertOutcome[]): AlertOutcome[] => outcomes.filter((o) => o.code === 'SENT');

// payments-api as examples/fleet.json has it: 1.34 on EXTENDED policy; standard support ends 2026-12-02, extended
// support 2027-12-02. Reports as the audit writes them the day before billing starts, on that day, and the day after.
const BILLING_KEY = '1.34|EXTENDED_BILLING|2026-12-02';
const payments = (day: '2026-12-01' | '2026-12-02' | '2026-12-03'): ClusterReport => {
  const billed = day !== '2026-12-01';
  return report('payments-api', {
    version: '1.34',
    supportType: 'EXTENDED',
    supportStatus: billed ? 'EXTENDED_SUPPORT' : 'STANDARD_SUPPORT',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
    deadline: billed
      ? { date: '2027-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: day === '2026-12-02' ? 365 : 364 }
      : { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 1 },
    severity: billed ? 'WARNING' : 'CRITICAL',
    extendedSupportMonthlyUsd: billed ? 365 : 0,
  });
};

describe('sendDeadlineAlerts: which deadlines', () => {
  it('sends the start of extended-support billing once, on the day it starts, after the 1-day alert the day before', async () => {
    const l = await ledger();

    const dayBefore = await night(l, [payments('2026-12-01')], '2026-12-01T12:00:00.000Z');
    const billingDay = await night(l, [payments('2026-12-02')], '2026-12-02T12:00:00.000Z');
    const dayAfter = await night(l, [payments('2026-12-03')], '2026-12-03T12:00:00.000Z');

    expect(sent(dayBefore).map((o) => [o.deadlineKey, o.threshold])).toEqual([[BILLING_KEY, 1]]);
    expect(sent(billingDay).map((o) => [o.deadlineKey, o.threshold])).toEqual([[BILLING_KEY, 0]]);
    expect(dayAfter.map((o) => o.code)).toEqual(['NONE', 'NONE']);
    expect(l.notifier.subjects()).toEqual([
      '[CRITICAL] EKS payments-api 1.34: 1 day to 2026-12-02',
      '[WARNING] EKS payments-api 1.34: extended-support billing since 2026-12-02',
    ]);
    const [, billing] = l.notifier.messages;
    expect(billing?.event.text).toContain(
      'passed its deadline on 2026-12-02: extended-support billing starts ($0.60 instead of $0.10 per cluster-hour)',
    );
    expect(billing?.event.detail).toEqual({
      threshold: 0,
      deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 0 },
      severity: 'WARNING',
    });
    expect(await l.healthy.sentThresholds(payments('2026-12-02').arn, BILLING_KEY)).toEqual(
      [...ALERT_THRESHOLDS].sort((a, b) => a - b),
    );
  });

  it('sends a cluster first seen while billed the start of billing once, besides its effective deadline', async () => {
    const l = await ledger();
    const firstSeen = report('analytics', {
      version: '1.32',
      supportStatus: 'EXTENDED_SUPPORT',
      endOfStandardSupport: '2026-03-23',
      endOfExtendedSupport: '2027-03-23',
      deadline: { date: '2027-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: 112 },
      severity: 'WARNING',
      extendedSupportMonthlyUsd: 365,
    });

    const first = await night(l, [firstSeen], '2026-12-01T12:00:00.000Z');
    const again = await night(l, [firstSeen], '2026-12-01T12:00:00.000Z');

    expect(first.map((o) => [o.code, o.deadlineKey, o.threshold])).toEqual([
      ['SENT', '1.32|AUTO_UPGRADE|2027-03-23', 180],
      ['SENT', '1.32|EXTENDED_BILLING|2026-03-23', 0],
    ]);
    expect(l.notifier.subjects()).toEqual([
      '[WARNING] EKS analytics 1.32: 112 days to 2027-03-23',
      '[WARNING] EKS analytics 1.32: extended-support billing since 2026-03-23',
    ]);
    expect(again.map((o) => o.code)).toEqual(['NONE', 'NONE']);
  });

  it('sends a version that is not in the calendar one unsupported-version alert, ever', async () => {
    const l = await ledger();
    const legacy = report('legacy', {
      version: '1.22',
      supportStatus: 'UNSUPPORTED',
      endOfStandardSupport: null,
      endOfExtendedSupport: null,
      deadline: null,
      severity: 'EXPIRED',
    });

    const first = await night(l, [legacy], '2026-12-01T12:00:00.000Z');
    const later = await night(l, [legacy], '2027-06-01T12:00:00.000Z');

    expect(first).toEqual([
      {
        arn: legacy.arn,
        deadlineKey: '1.22|UNSUPPORTED',
        code: 'SENT',
        threshold: 0,
        subject: '[EXPIRED] EKS legacy 1.22: version no longer supported',
        reason:
          'version 1.22 is not in the support calendar and is treated as unsupported: alerted once, at threshold 0',
      },
    ]);
    expect(later.map((o) => o.code)).toEqual(['NONE']);
    expect(l.notifier.messages).toHaveLength(1);
    expect(l.notifier.messages[0]?.event.detail).toEqual({ threshold: 0, deadline: null, severity: 'EXPIRED' });
    expect(await l.healthy.sentThresholds(legacy.arn, '1.22|UNSUPPORTED')).toEqual([0]);
  });

  it('sends nothing for a version newer than the calendar, whose deadline is not known yet', async () => {
    const l = await ledger();
    const newer = report('early', {
      version: '1.40',
      supportStatus: 'STANDARD_SUPPORT',
      endOfStandardSupport: null,
      endOfExtendedSupport: null,
      deadline: null,
      severity: 'WARNING',
    });

    const outcomes = await night(l, [newer], '2026-12-01T12:00:00.000Z');

    expect(outcomes).toEqual([expect.objectContaining({ code: 'NO_DEADLINE', deadlineKey: null, threshold: null })]);
    expect(l.notifier.messages).toEqual([]);
  });
});

describe('sendDeadlineAlerts: no failure loses a message', () => {
  const cluster = report('prod'); // 40 days before extended billing starts on 2025-03-23: thresholds 180, 90, 60
  const key = '1.29|EXTENDED_BILLING|2025-03-23';
  const AT = '2025-02-11T02:00:00.000Z';

  it('records the other thresholds only after the message is out', async () => {
    const l = await ledger();
    const recordedWhenPublished: number[][] = [];
    const publish = l.notifier.publish.bind(l.notifier);
    l.notifier.publish = async (message): Promise<void> => {
      recordedWhenPublished.push(await l.healthy.sentThresholds(cluster.arn, key));
      await publish(message);
    };

    await night(l, [cluster], AT);

    expect(recordedWhenPublished).toEqual([[60]]);
    expect(await l.healthy.sentThresholds(cluster.arn, key)).toEqual([60, 90, 180]);
  });

  it('keeps the message when recording the other thresholds fails; the next run records them without a message', async () => {
    const l = await ledger();
    l.faults.rule = putOf(180);

    const first = await night(l, [cluster], AT, 'run-1');
    l.faults.rule = null;
    const recordedAfterFirst = await l.healthy.sentThresholds(cluster.arn, key);
    const second = await night(l, [cluster], AT, 'run-2');

    expect(first).toEqual([expect.objectContaining({ code: 'SENT', threshold: 60 })]);
    expect(first[0]?.reason).toMatch(
      /recording 180, 90 failed \(StoreUnavailableError: .*\), the next run records them$/,
    );
    expect(recordedAfterFirst).toEqual([60, 90]);
    expect(second).toEqual([expect.objectContaining({ code: 'NONE', threshold: null })]);
    expect(second[0]?.reason).toContain(
      'the nearer 60-day alert was already sent; 180 recorded as sent without a message',
    );
    expect(l.notifier.subjects()).toEqual(['[WARNING] EKS prod 1.29: 40 days to 2025-03-23']);
    expect(await l.healthy.sentThresholds(cluster.arn, key)).toEqual([60, 90, 180]);
  });

  it('never sends a farther threshold after a nearer one whose companions were not recorded', async () => {
    const l = await ledger();
    await l.healthy.claimAlert(cluster.arn, key, 30, [], 'run-0', '2025-02-01T02:00:00.000Z');

    const outcomes = await night(
      l,
      [{ ...cluster, deadline: { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 24 } }],
      AT,
    );

    expect(outcomes).toEqual([expect.objectContaining({ code: 'NONE' })]);
    expect(l.notifier.messages).toEqual([]);
    expect(await l.healthy.sentThresholds(cluster.arn, key)).toEqual([30, 60, 90, 180]);
  });

  it('gives the claim back when SNS refuses the message, so the retry sends it', async () => {
    const l = await ledger();
    l.notifier.failWhen = (): boolean => true;

    const refused = await night(l, [cluster], AT, 'run-1');
    const recordedAfterRefusal = await l.healthy.sentThresholds(cluster.arn, key);
    l.notifier.failWhen = null;
    const retry = await night(l, [cluster], AT, 'run-1');

    expect(refused).toEqual([
      expect.objectContaining({
        code: 'FAILED',
        threshold: 60,
        subject: '[WARNING] EKS prod 1.29: 40 days to 2025-03-23',
        reason: expect.stringContaining('delivery failed (EndpointUnreachableError: SNS Publish: service unavailable)'),
      }),
    ]);
    expect(recordedAfterRefusal).toEqual([]);
    expect(retry).toEqual([expect.objectContaining({ code: 'SENT', threshold: 60 })]);
    expect(l.notifier.subjects()).toEqual(['[WARNING] EKS prod 1.29: 40 days to 2025-03-23']);
  });

  it('publishes nothing and keeps nothing claimed when the claim cannot be written; the retry sends', async () => {
    const l = await ledger();
    l.faults.rule = putOf(60);

    const failed = await night(l, [cluster], AT, 'run-1').catch((error: unknown) => error);
    l.faults.rule = null;
    const retry = await night(l, [cluster], AT, 'run-1');

    expect(failed).toMatchObject({ name: 'StoreUnavailableError' });
    expect(retry).toEqual([expect.objectContaining({ code: 'SENT', threshold: 60 })]);
    expect(l.notifier.subjects()).toEqual(['[WARNING] EKS prod 1.29: 40 days to 2025-03-23']);
  });

  it('fails with the store error when a refused message’s claim cannot be given back either', async () => {
    const l = await ledger();
    l.notifier.failWhen = (): boolean => true;
    l.faults.rule = (operation): boolean => operation === 'DeleteItem';

    await expect(night(l, [cluster], AT, 'run-1')).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      operation: 'releaseAlert',
    });
  });

  it('lets only one of two concurrent runs send a threshold', async () => {
    const l = await ledger();

    const [a, b] = await Promise.all([night(l, [cluster], AT, 'run-a'), night(l, [cluster], AT, 'run-b')]);

    expect([...(a ?? []), ...(b ?? [])].filter((o) => o.code === 'SENT')).toHaveLength(1);
    expect(l.notifier.messages).toHaveLength(1);
    expect(await l.healthy.sentThresholds(cluster.arn, key)).toEqual([60, 90, 180]);
  });
});

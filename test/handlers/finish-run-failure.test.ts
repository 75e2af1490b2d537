/**
 * Every SNS message fits, and a FinishRun that fails does not stop tonight's upgrades: the digest of a fleet with
 * 300 stale clusters stays far below SNS's 256 KB, and when FinishRun fails after its retries the state machine's
 * Catch still runs DispatchUpgrades, which works the candidates out from the store.
 */
import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { snsMessageBody } from '../../functions/adapters/notifier.ts';
import type { UpgradeStarter } from '../../functions/application/ports/upgrade-starter.ts';
import type { UpgradeExecutionInput } from '../../functions/core/upgrade-execution.ts';
import { buildDigest, DIGEST_LISTED_STALE } from '../../functions/core/digest.ts';
import type { DigestCluster } from '../../functions/core/digest.ts';
import { runNightlyLocally } from '../../functions/local/nightly-pipeline.ts';
import { report } from '../adapters/store/store-fixtures.ts';
import { NOW, useNightlyWorld } from './nightly-fixtures.ts';

const world = useNightlyWorld();

describe('the digest of a fleet with 300 stale clusters', () => {
  it('fits in one SNS message: at most 20 clusters listed, the rest counted', () => {
    const clusters: DigestCluster[] = Array.from({ length: 300 }, (_, i) => ({
      report: report(`stale-cluster-with-a-long-name-${String(i).padStart(3, '0')}`, {
        accountId: String(100000000000 + (i % 60)),
      }),
      auditedAt: '2026-11-01T02:00:00.000Z',
      stale: true,
      staleSince: '2026-11-02T02:00:00.000Z',
      staleReason: 'AccessDenied: the member role of this account cannot be assumed; '.repeat(3),
    }));
    const failedTargets = Array.from({ length: 60 }, (_, i) => ({
      accountId: String(100000000000 + i),
      region: 'eu-west-1',
      code: 'ACCESS_DENIED',
      message: `account ${i} denies sts:AssumeRole for the read role`,
    }));

    const digest = buildDigest({
      runId: 'run-1',
      now: new Date(NOW),
      clusters,
      failedTargets,
      deleted: [],
      alertsSent: 0,
    });

    const detail = digest.event.detail as {
      mostUrgent: unknown[];
      staleClusters: unknown[];
      staleClustersTotal: number;
    };
    expect(Buffer.byteLength(snsMessageBody(digest))).toBeLessThan(256 * 1024);
    expect(detail.mostUrgent.length + detail.staleClusters.length).toBeLessThanOrEqual(20);
    expect(detail.staleClusters).toHaveLength(DIGEST_LISTED_STALE);
    expect(detail.staleClustersTotal).toBe(300);
    expect(digest.event.text).toContain(`… and ${300 - DIGEST_LISTED_STALE} more`);
  });
});

describe('a FinishRun that fails after its retries', () => {
  it('is caught: DispatchUpgrades still starts tonight’s eligible upgrades, worked out from the store', async () => {
    const { deps, notifier } = await world();
    notifier.failWhen = (message) => message.attributes.type === 'DIGEST';
    const started: UpgradeExecutionInput[] = [];
    const starter: UpgradeStarter = {
      start: async (input) => {
        started.push(input);
        return { code: 'STARTED', executionArn: null, reason: 'test', completion: null };
      },
    };

    const { execution } = await runNightlyLocally({
      deps: { ...deps, upgradeStarter: starter, maxConcurrentUpgrades: 5 },
      input: { now: NOW, runId: 'run-1' },
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered.slice(-2)).toEqual(['FinishRunFailed', 'DispatchUpgradesAfterFailedFinish']);
    expect(started.map((input) => input.cluster.name)).toEqual(['cdn']);
    expect(notifier.subjects('DEADLINE_THRESHOLD')).toHaveLength(5);
  });
});

import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { deadlineKey } from '../../functions/core/alert-thresholds.ts';
import {
  createAuditAccountRegionHandler,
  createFinishRunHandler,
  createStartRunHandler,
} from '../../functions/handlers/nightly-handlers.ts';
import type { NightlyDeps } from '../../functions/application/nightly/nightly-deps.ts';
import type { FinishRunResult } from '../../functions/application/nightly/finish-run.ts';
import { readRunUpgradeLists } from '../../functions/application/nightly/run-upgrade-lists.ts';
import type { HeldByWaves, UpgradeCandidate } from '../../functions/core/upgrade-candidates.ts';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import type { StartRunResult } from '../../functions/application/nightly/start-run.ts';
import { EDGE, LATER, NOW, SHOP, arn, testFleet, useNightlyWorld, withAccessDenied } from './nightly-fixtures.ts';
import type { NightlyWorld } from './nightly-fixtures.ts';

const world = useNightlyWorld();
const context = (name: string): ReturnType<typeof localLambdaContext> => localLambdaContext(`fleet-auditor-${name}`);

/** StartRun and every AuditAccountRegion, in the order StartRun lists the targets (all but `skip`). */
async function auditAll(deps: NightlyDeps, runId: string, now: string, skip: string[] = []): Promise<StartRunResult> {
  const run = await createStartRunHandler(deps)({ runId, now }, context('StartRun'));
  const auditAccountRegionHandler = createAuditAccountRegionHandler(deps);
  for (const target of await deps.store.listRunAccountRegions(run.runId)) {
    if (skip.includes(`${target.accountId}/${target.region}`)) continue;
    await auditAccountRegionHandler({ runId, now, ...target }, context('AuditAccountRegion'));
  }
  return run;
}

/** FinishRun's result, with the lists it wrote under the run (they travel by reference, not in the state). */
type FinishedRun = FinishRunResult & {
  upgradeCandidates: UpgradeCandidate[];
  heldByWaves: HeldByWaves[];
  /** What the handler returned: the state the next task receives. */
  state: FinishRunResult;
};

async function finish(deps: NightlyDeps, run: StartRunResult): Promise<FinishedRun> {
  const out = await createFinishRunHandler(deps)({ runId: run.runId, now: run.now }, context('FinishRun'));
  const lists = await readRunUpgradeLists(deps.store, run.runId);
  return { ...out, upgradeCandidates: lists.upgradeCandidates ?? [], heldByWaves: lists.heldByWaves ?? [], state: out };
}

async function nightly(w: NightlyWorld, runId: string, now = NOW): Promise<FinishedRun> {
  return finish(w.deps, await auditAll(w.deps, runId, now));
}

describe('FinishRun handler', () => {
  it('sends one message per newly crossed threshold, naming the nearest, then one digest, and records the run', async () => {
    const w = await world();

    const out = await nightly(w, 'run-1');

    expect(w.notifier.subjects()).toEqual([
      expect.stringMatching(/^\[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^\[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^\[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^\[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^\[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      'EKS digest 2026-11-22: 4 clusters, 1 EXPIRED, 2 CRITICAL, 1 WARNING',
    ]);
    // billing and cdn (EXTENDED policy, past end of standard support) are billed when first seen: each also gets
    // the passed extended-billing deadline's alert, under a key of its own.
    expect(w.notifier.subjects('DEADLINE_THRESHOLD').sort()).toEqual([
      '[CRITICAL] EKS billing 1.31: 4 days to 2026-11-26',
      '[CRITICAL] EKS billing 1.31: extended-support billing since 2025-11-26',
      '[CRITICAL] EKS web 1.34: 10 days to 2026-12-02',
      '[EXPIRED] EKS old 1.29: deadline 2026-03-23 passed',
      '[WARNING] EKS cdn 1.33: extended-support billing since 2026-07-29',
    ]);
    const billing = w.notifier.messages.find(
      (m) => m.event.cluster?.name === 'billing' && m.subject.includes('days to'),
    );
    expect(billing?.attributes).toEqual({ type: 'DEADLINE_THRESHOLD', severity: 'CRITICAL', accountId: SHOP });
    expect(billing?.event.detail).toMatchObject({ threshold: 7, severity: 'CRITICAL' });
    expect(
      await w.store.sentThresholds(
        arn(SHOP, 'us-east-1', 'billing'),
        deadlineKey('1.31', { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 }),
      ),
    ).toEqual([7, 14, 30, 60, 90, 180]);
    expect(out).toMatchObject({
      runId: 'run-1',
      status: 'SUCCEEDED',
      counts: { targets: 4, targetsFailed: 0, clustersAudited: 4, alertsSent: 5, digestsSent: 1 },
    });
    expect((await w.store.getRun('run-1'))?.run).toMatchObject({ status: 'SUCCEEDED', finishedAt: NOW });
  });

  it('sends no threshold twice: a second run at the same clock sends only its digest, a later one only what is newly crossed', async () => {
    const w = await world();
    await nightly(w, 'run-1');
    w.notifier.messages.length = 0;

    await nightly(w, 'run-2');
    const again = w.notifier.subjects();
    w.notifier.messages.length = 0;
    const later = await world({ store: w.store, now: LATER });
    await nightly(later, 'run-3', LATER);

    expect(again).toEqual(['EKS digest 2026-11-22: 4 clusters, 1 EXPIRED, 2 CRITICAL, 1 WARNING']);
    expect(later.notifier.subjects('DEADLINE_THRESHOLD').sort()).toEqual([
      '[CRITICAL] EKS billing 1.31: 1 day to 2026-11-26',
      '[CRITICAL] EKS web 1.34: 7 days to 2026-12-02',
    ]);
    expect(later.notifier.subjects('DIGEST')).toHaveLength(1);
  });

  it('is safe to retry: a second FinishRun of the same run sends nothing', async () => {
    const w = await world();
    const run = await auditAll(w.deps, 'run-1', NOW);
    await finish(w.deps, run);
    const sent = w.notifier.messages.length;

    const again = await finish(w.deps, run);

    expect(w.notifier.messages).toHaveLength(sent);
    expect(again.counts).toMatchObject({ alertsSent: 0, digestsSent: 0 });
  });

  it('sends each threshold once and one digest when two FinishRuns of one run race', async () => {
    const w = await world();
    const run = await auditAll(w.deps, 'run-1', NOW);

    const results = await Promise.all([finish(w.deps, run), finish(w.deps, run), finish(w.deps, run)]);

    expect(w.notifier.subjects('DEADLINE_THRESHOLD')).toHaveLength(5);
    expect(new Set(w.notifier.subjects('DEADLINE_THRESHOLD')).size).toBe(5);
    expect(w.notifier.subjects('DIGEST')).toHaveLength(1);
    expect(results.map((r) => r.counts['alertsSent'] ?? 0).reduce((a, b) => a + b)).toBe(5);
  });

  it('never alerts for clusters of an account that denies access; the digest lists them as stale and the failed account-regions', async () => {
    const w = await world();
    await nightly(w, 'run-1');
    w.notifier.messages.length = 0;
    const denied = await world({ store: w.store, now: LATER, fleet: withAccessDenied(testFleet(), SHOP) });

    const out = await nightly(denied, 'run-2', LATER);

    expect(denied.notifier.subjects('DEADLINE_THRESHOLD')).toEqual([]);
    const [digest] = denied.notifier.messages;
    expect(digest?.subject).toBe(
      'EKS digest 2026-11-25: 4 clusters, 1 EXPIRED, 2 CRITICAL, 1 WARNING; 2 regions unreadable',
    );
    expect(digest?.event.detail).toMatchObject({
      failedTargets: [
        {
          accountId: SHOP,
          regions: ['eu-west-1', 'us-east-1'],
          code: 'MEMBER_ACCESS_DENIED',
          message: expect.stringContaining('access denied'),
        },
      ],
      staleClusters: [
        { accountId: SHOP, region: 'eu-west-1', name: 'old', lastAuditedAt: NOW, staleSince: LATER },
        { accountId: SHOP, region: 'us-east-1', name: 'billing', lastAuditedAt: NOW, staleSince: LATER },
        { accountId: SHOP, region: 'us-east-1', name: 'web', lastAuditedAt: NOW, staleSince: LATER },
      ],
    });
    expect(digest?.event.text).toContain('Stale (last known state kept):');
    expect(out).toMatchObject({
      status: 'PARTIAL',
      counts: { targetsFailed: 2, clustersStale: 3, clustersAudited: 1 },
    });
  });

  it('reports an account-region that recorded no outcome as failed (OUTCOME_MISSING) and keeps its clusters as stale', async () => {
    const w = await world();
    await nightly(w, 'run-1');
    w.notifier.messages.length = 0;

    const run = await auditAll(w.deps, 'run-2', NOW, [`${SHOP}/us-east-1`]);
    const out = await finish(w.deps, run);

    expect(out).toMatchObject({ status: 'PARTIAL', counts: { targetsFailed: 1, clustersStale: 2 } });
    expect(await w.store.getCluster(arn(SHOP, 'us-east-1', 'web'))).toMatchObject({
      runId: 'run-1',
      stale: true,
      staleReason: expect.stringMatching(/^OUTCOME_MISSING: /),
    });
    expect((await w.store.getRun('run-2'))?.targets).toContainEqual(
      expect.objectContaining({ accountId: SHOP, region: 'us-east-1', status: 'FAILED', errorCode: 'OUTCOME_MISSING' }),
    );
  });

  it('gives back the claim of a message SNS refused, fails with AlertDeliveryError, and the retry sends only that message', async () => {
    const w = await world();
    const run = await auditAll(w.deps, 'run-1', NOW);
    w.notifier.failWhen = (m) => m.event.cluster?.name === 'web';

    const error = await finish(w.deps, run).catch((e: unknown) => e);
    const first = w.notifier.subjects();
    w.notifier.failWhen = null;
    await finish(w.deps, run);

    expect(error).toMatchObject({ name: 'AlertDeliveryError', code: 'ALERT_DELIVERY_FAILED' });
    expect(first).toHaveLength(5);
    expect(first).not.toContain('[CRITICAL] EKS web 1.34: 10 days to 2026-12-02');
    expect(w.notifier.subjects().slice(5)).toEqual(['[CRITICAL] EKS web 1.34: 10 days to 2026-12-02']);
    expect((await w.store.getRun('run-1'))?.run.status).toBe('SUCCEEDED');
  });

  it('sends the digest on the retry when SNS refused it the first time, and only once', async () => {
    const w = await world();
    const run = await auditAll(w.deps, 'run-1', NOW);
    w.notifier.failWhen = (m) => m.attributes.type === 'DIGEST';

    await expect(finish(w.deps, run)).rejects.toMatchObject({ name: 'AlertDeliveryError' });
    w.notifier.failWhen = null;
    await finish(w.deps, run);
    await finish(w.deps, run);

    expect(w.notifier.subjects('DIGEST')).toHaveLength(1);
    expect(w.notifier.subjects('DEADLINE_THRESHOLD')).toHaveLength(5);
  });

  it('returns the eligible clusters for the upgrade dispatcher, holding back a wave the complete fleet shows is not ready', async () => {
    const w = await world();

    const out = await nightly(w, 'run-1');

    const web = await w.store.getCluster(arn(SHOP, 'us-east-1', 'web'));
    expect(web?.report.upgrade.eligible).toBe(true);
    expect(out.upgradeCandidates).toEqual([
      {
        accountId: EDGE,
        region: 'us-east-1',
        name: 'cdn',
        arn: arn(EDGE, 'us-east-1', 'cdn'),
        version: '1.33',
        target: '1.36',
        nextVersion: '1.34',
        wave: 0,
      },
    ]);
    expect(out).toMatchObject({ upgradeCandidatesTotal: 1, heldByWavesTotal: 1 });
    // The lists travel by reference (under the run); the state carries only their counts.
    expect(Object.keys(out.state).sort()).toEqual([
      'counts',
      'heldByWavesTotal',
      'now',
      'runId',
      'status',
      'upgradeCandidatesTotal',
    ]);
    expect(out.heldByWaves).toEqual([
      {
        accountId: SHOP,
        region: 'us-east-1',
        name: 'web',
        arn: arn(SHOP, 'us-east-1', 'web'),
        rolloutGroup: 'default',
        code: 'WAVE_NOT_READY',
        reason: 'wave 1 of rollout group default waits before the hop to 1.35: cdn (wave 0) runs 1.33, not yet 1.35',
      },
    ]);
  });

  it('holds every wave above 0 while an account could not be read, even with no lower-wave cluster on record', async () => {
    // Arrange: first run; the wave-0 account (edge) denies access and is audited after shop, so web's report says eligible
    const w = await world({ fleet: withAccessDenied(testFleet(), EDGE) });
    const run = await auditAll(w.deps, 'run-1', NOW);
    expect((await w.store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.report.upgrade.eligible).toBe(true);

    // Act
    const out = await finish(w.deps, run);

    // Assert
    expect(out.upgradeCandidates).toEqual([]);
    expect(out.heldByWaves).toEqual([
      expect.objectContaining({
        name: 'web',
        code: 'WAVE_NOT_READY',
        reason:
          'wave 1 of rollout group default waits before the hop to 1.35: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account unreadable (444444444444)',
      }),
    ]);
  });

  it('lists a cluster the audit held back by waves against part of the fleet, saying the complete fleet allows it', async () => {
    // Arrange: run-1 stores cdn at 1.33; by run-2 cdn runs 1.35 (soaked), but shop (web) is audited before edge (cdn)
    const w = await world();
    await nightly(w, 'run-1');
    const upgraded = testFleet();
    const edge = upgraded.accounts[1]!;
    const cdn = { ...edge.regions['us-east-1']!.clusters[0]!, version: '1.35', versionSince: '2026-11-01T00:00:00Z' };
    const later = await world({
      store: w.store,
      fleet: { accounts: [upgraded.accounts[0]!, { ...edge, regions: { 'us-east-1': { clusters: [cdn] } } }] },
    });

    // Act
    const out = await nightly(later, 'run-2');

    // Assert: the stored report says WAVE_NOT_READY (cdn at 1.33 then); FinishRun says why web still waits tonight
    const web = await w.store.getCluster(arn(SHOP, 'us-east-1', 'web'));
    expect(web?.report.upgrade.blockers.map((b) => b.code)).toEqual(['WAVE_NOT_READY']);
    expect(out.upgradeCandidates.map((c) => c.name)).toEqual(['cdn']);
    expect(out.heldByWaves).toEqual([
      expect.objectContaining({
        name: 'web',
        code: 'WAVE_NOT_READY',
        reason:
          'wave 1 of rollout group default waits before the hop to 1.35: cdn (wave 0) runs 1.33, not yet 1.35 (judged against the part of ' +
          'the fleet audited before it; the complete fleet now allows the hop to 1.35, so the next run may start it)',
      }),
    ]);
  });

  it('names the unreadable account-region when an account failed in only some of its regions', async () => {
    const w = await world();
    const run = await auditAll(w.deps, 'run-1', NOW, [`${EDGE}/eu-west-1`]);
    await w.store.recordAccountRegionOutcome('run-1', {
      accountId: EDGE,
      region: 'eu-west-1',
      status: 'FAILED',
      clusters: 0,
      errorCode: 'THROTTLED',
      errorMessage: 'rate exceeded',
    });

    const out = await finish(w.deps, run);

    expect(out.heldByWaves.map((h) => h.reason)).toEqual([
      'wave 1 of rollout group default waits before the hop to 1.35: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account-region unreadable ' +
        '(444444444444 eu-west-1); cdn (wave 0) runs 1.33, not yet 1.35',
    ]);
    expect(out.upgradeCandidates.map((c) => c.name)).toEqual(['cdn']);
  });

  it('fails with RunNotFoundError for a run that was never started', async () => {
    const { deps } = await world();

    await expect(
      createFinishRunHandler(deps)({ runId: 'nope', now: NOW, targets: [] }, context('FinishRun')),
    ).rejects.toMatchObject({ name: 'RunNotFoundError', code: 'RUN_NOT_FOUND' });
  });
});

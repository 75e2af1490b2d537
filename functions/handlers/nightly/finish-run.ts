/**
 * FinishRun, the last task of the nightly audit: makes sure every scheduled target has an outcome, sends the
 * deadline alerts for the clusters this run read, sends the run's one digest, records how the run ended, and
 * returns the clusters that are eligible for an upgrade tonight — the input of the upgrade dispatcher that the
 * state machine's `DispatchUpgrades` extension point will call — and those the wave rule holds back, with why.
 *
 * Safe to retry: alerts already sent are in the ledger, the digest is claimed once per run, and the run record is
 * overwritten with the same facts.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { mapLimited } from '../../adapters/limit.ts';
import { WRITE_CONCURRENCY } from '../../adapters/store/fleet-table.ts';
import type { RunStatus, StoredCluster } from '../../adapters/store/fleet-store.ts';
import { buildDigest } from '../../core/digest.ts';
import { reassessAt } from '../../core/reassess.ts';
import type { DigestFailedTarget } from '../../core/digest.ts';
import { SEVERITIES } from '../../core/types.ts';
import type { Severity } from '../../core/types.ts';
import type { ClusterReport } from '../../core/report-types.ts';
import { compareClusters } from '../../core/audit-report.ts';
import { unreadableTargets, waveGate } from '../../core/waves.ts';
import type { UnreadableTarget, WaveMember } from '../../core/waves.ts';
import { logger, metrics } from '../observability.ts';
import { sendDeadlineAlerts } from './alerts.ts';
import type { AlertOutcome } from './alerts.ts';
import type { FinishRunDeps } from './deps.ts';
import { AlertDeliveryError, RunNotFoundError, finishRunEventSchema, parseEvent, scheduledTargets } from './events.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';
import { recordTargetFailure } from './target-failure.ts';

/** Code of a target that ended without recording any outcome (its failure could not be recorded either). */
export const OUTCOME_MISSING = 'OUTCOME_MISSING';

/** A cluster the upgrade dispatcher may start tonight: opted in, eligible, with its next hop. */
export interface UpgradeCandidate {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: string;
  readonly target: string | null;
  readonly nextVersion: string;
  readonly wave: number;
}

/** A cluster the wave rule holds back tonight: opted in, with a hop to make, and nothing else in its way. */
export interface HeldByWaves {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly code: 'WAVE_NOT_READY';
  readonly reason: string;
}

/** Output of FinishRun. */
export interface FinishRunResult {
  readonly runId: string;
  readonly now: string;
  readonly status: Exclude<RunStatus, 'RUNNING'>;
  readonly counts: Readonly<Record<string, number>>;
  /** Extension point for the upgrade dispatcher: tonight's eligible clusters, by account, region, name. */
  readonly upgradeCandidates: readonly UpgradeCandidate[];
  /** Clusters that would be candidates but for the wave rule, by account, region, name, with the reason. */
  readonly heldByWaves: readonly HeldByWaves[];
  /** How many there were before the lists were cut to fit the state payload (see {@link MAX_LISTED}). */
  readonly upgradeCandidatesTotal: number;
  readonly heldByWavesTotal: number;
}

/**
 * At most this many candidates and held clusters travel in the state (Step Functions allows 256 KB per payload, and
 * DispatchUpgrades adds an entry per candidate). Candidates are kept lowest wave first; the dispatcher starts only a
 * few a night anyway (the fleet-wide cap), and the full lists are logged.
 */
export const MAX_LISTED = 100;

function targetKey(target: { accountId: string; region: string | null }): string {
  return `${target.accountId}/${target.region ?? '*'}`;
}

/** True when the report's only blockers are WAVE_NOT_READY: the audit's own (maybe partial) view of the waves. */
function blockedOnlyByWaves(report: StoredCluster['report']): boolean {
  const { blockers } = report.upgrade;
  return blockers.length > 0 && blockers.every((blocker) => blocker.code === 'WAVE_NOT_READY');
}

/**
 * Tonight's eligible clusters, with the wave rule checked again against the whole fleet as stored now and the
 * targets this run could not read. Each AuditTarget judged its clusters against the fleet it could see; on a first
 * run (or when a lower wave's target was audited later in the same run) that view lacked clusters, and it did not
 * know which targets of the run would fail. So a cluster is held back here unless every lower-wave member of the
 * complete fleet runs its next version, soaked, and no part of the fleet was unreadable (for waves above 0).
 *
 * `held` lists every opted-in cluster with a hop to make that only the wave rule stops: those held here, and those
 * the audit already found WAVE_NOT_READY (with the rule's verdict against the complete fleet).
 */
export function upgradeCandidates(
  live: readonly StoredCluster[],
  fresh: readonly StoredCluster[],
  now: Date,
  soakDays: number,
  unreadable: readonly UnreadableTarget[] = [],
): { candidates: UpgradeCandidate[]; held: HeldByWaves[] } {
  const members: WaveMember[] = live
    .filter(({ report }) => report.upgrade.optedIn)
    .map(({ report, versionSince }) => ({
      arn: report.arn,
      name: report.name,
      wave: report.upgrade.wave,
      version: report.version,
      versionSince: versionSince ?? null,
    }));
  const candidates: UpgradeCandidate[] = [];
  const held: HeldByWaves[] = [];
  const reports = fresh.map(({ report }) => report).sort(compareClusters);
  for (const report of reports) {
    const next = report.upgrade.path[0];
    const provisional = blockedOnlyByWaves(report);
    if (!report.upgrade.optedIn || next === undefined || !(report.upgrade.eligible || provisional)) continue;
    const gate = waveGate({
      wave: report.upgrade.wave,
      hopVersion: next,
      members: members.filter((member) => member.arn !== report.arn),
      now,
      soakDays,
      unreadable,
    });
    const identity = { accountId: report.accountId, region: report.region, name: report.name, arn: report.arn };
    if (!gate.ready) {
      held.push({ ...identity, code: 'WAVE_NOT_READY', reason: gate.reason });
      continue;
    }
    if (provisional) {
      // The audit saw only part of the fleet; the stored report (what the dispatcher trusts) says not yet.
      const seen = report.upgrade.blockers.map((blocker) => blocker.message).join('; ');
      const reason = `${seen} (judged against the part of the fleet audited before it; the complete fleet now allows the hop to ${next}, so the next run may start it)`;
      held.push({ ...identity, code: 'WAVE_NOT_READY', reason });
      continue;
    }
    candidates.push({
      ...identity,
      version: report.version,
      target: report.upgrade.target,
      nextVersion: next,
      wave: report.upgrade.wave,
    });
  }
  return { candidates, held };
}

function emitMetrics(counts: Readonly<Record<string, number>>, bySeverity: Record<Severity, number>): void {
  metrics.addMetric('AlertsSent', MetricUnit.Count, counts['alertsSent'] ?? 0);
  metrics.addMetric('AlertsFailed', MetricUnit.Count, counts['alertsFailed'] ?? 0);
  metrics.addMetric('DigestsSent', MetricUnit.Count, counts['digestsSent'] ?? 0);
  metrics.addMetric('StaleClusters', MetricUnit.Count, counts['clustersStale'] ?? 0);
  metrics.addMetric('DeletedClusters', MetricUnit.Count, counts['clustersDeleted'] ?? 0);
  for (const severity of SEVERITIES) {
    const single = metrics.singleMetric();
    single.addDimension('severity', severity);
    single.addMetric('ClustersBySeverity', MetricUnit.Count, bySeverity[severity]);
  }
}

/**
 * Finishes a nightly run: alerts, digest, run record.
 *
 * @throws NightlyEventError on a malformed event; RunNotFoundError for an unknown run; AlertDeliveryError (after
 *   recording the run) when a message could not be published, so the state machine retries the delivery.
 */
export async function finishRun(event: unknown, deps: FinishRunDeps): Promise<FinishRunResult> {
  const input = parseEvent('FinishRun', finishRunEventSchema, event);
  const { runId } = input;
  const now = new Date(input.now);
  const scheduled = scheduledTargets(input);
  const stored = await deps.store.getRun(runId);
  if (stored === null) throw new RunNotFoundError(runId);

  const recorded = new Set(stored.targets.map(targetKey));
  const missing = scheduled.filter((target) => !recorded.has(targetKey(target)));
  const message = 'the audit of this target ended without recording an outcome; its clusters are kept as stale';
  await mapLimited(missing, WRITE_CONCURRENCY, (target) =>
    recordTargetFailure(deps, { runId, now: input.now, ...target, code: OUTCOME_MISSING, message }),
  );
  const failedTargets: DigestFailedTarget[] = [
    ...stored.targets.flatMap((t) =>
      t.status === 'FAILED'
        ? [
            {
              accountId: t.accountId,
              region: t.region,
              code: t.errorCode ?? 'UNKNOWN',
              message: t.errorMessage ?? 'no detail recorded',
            },
          ]
        : [],
    ),
    ...missing.map((t) => ({ ...t, code: OUTCOME_MISSING, message })),
  ];

  const clusters = await deps.store.listClusters();
  const live = clusters.filter((c) => c.deletedAt === null);
  const fresh = live.filter((c) => c.runId === runId && !c.stale);
  const stale = live.filter((c) => c.stale);
  const deleted = clusters.filter((c) => c.deletedRunId === runId);

  const alerts = await sendDeadlineAlerts(
    fresh.map((c) => c.report),
    { store: deps.store, notifier: deps.notifier, runId, at: input.now },
  );
  const count = (code: AlertOutcome['code']): number => alerts.filter((a) => a.code === code).length;
  const alertsSent = count('SENT');
  const undelivered = alerts.filter((a) => a.code === 'FAILED').map((a) => `${a.subject ?? a.arn}: ${a.reason}`);

  // A stale cluster's deadline, severity and cost follow the calendar, not the night it was last read.
  const tonight = (c: StoredCluster): ClusterReport => (c.stale ? reassessAt(c.report, now) : c.report);
  const digest = buildDigest({
    runId,
    now,
    clusters: live.map((c) => ({
      report: tonight(c),
      auditedAt: c.auditedAt,
      stale: c.stale,
      staleSince: c.staleSince,
      staleReason: c.staleReason,
    })),
    failedTargets,
    deleted: deleted.map(({ report }) => ({
      accountId: report.accountId,
      region: report.region,
      name: report.name,
      arn: report.arn,
    })),
    alertsSent,
  });
  let digestsSent = 0;
  if (await deps.store.claimDigest(runId, input.now)) {
    try {
      await deps.notifier.publish(digest);
      digestsSent = 1;
    } catch (error) {
      await deps.store.releaseDigest(runId);
      undelivered.push(`${digest.subject}: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
    }
  }

  const targets = scheduled.length;
  const status: FinishRunResult['status'] =
    failedTargets.length === 0 ? 'SUCCEEDED' : failedTargets.length >= targets ? 'FAILED' : 'PARTIAL';
  const counts = {
    targets,
    targetsFailed: failedTargets.length,
    clustersAudited: fresh.length,
    clustersStale: stale.length,
    clustersDeleted: deleted.length,
    alertsSent,
    alertsAlreadyClaimed: count('CLAIMED_ELSEWHERE'),
    alertsFailed: count('FAILED'),
    digestsSent,
  };
  const finishedAt = new Date(Math.max(deps.clock().getTime(), now.getTime())).toISOString();
  await deps.store.finishRun(runId, finishedAt, counts, status);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of live) bySeverity[tonight(c).severity] += 1;
  emitMetrics(counts, bySeverity);
  const unreadable = unreadableTargets(failedTargets, scheduled);
  const upgrades = upgradeCandidates(live, fresh, now, deps.soakDays, unreadable);
  logger.info('nightly run finished', {
    runId,
    status,
    counts,
    upgradeCandidates: upgrades.candidates.map((c) => c.arn),
    heldByWaves: upgrades.held,
  });
  if (undelivered.length > 0) {
    throw new AlertDeliveryError(`${undelivered.length} message(s) could not be published: ${undelivered.join('; ')}`);
  }
  const lowestWaveFirst = [...upgrades.candidates].sort((a, b) => a.wave - b.wave);
  return {
    runId,
    now: input.now,
    status,
    counts,
    upgradeCandidates: lowestWaveFirst.slice(0, MAX_LISTED),
    heldByWaves: upgrades.held.slice(0, MAX_LISTED),
    upgradeCandidatesTotal: upgrades.candidates.length,
    heldByWavesTotal: upgrades.held.length,
  };
}

/** The FinishRun Lambda handler (middy + Powertools) around {@link finishRun}. */
export function createFinishRunHandler(deps: FinishRunDeps): LambdaHandler<FinishRunResult> {
  return lambdaHandler((event) => finishRun(event, deps));
}

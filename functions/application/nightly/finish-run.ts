/**
 * FinishRun, the last task of the nightly audit: makes sure every scheduled account-region has an outcome, sends the
 * deadline alerts for the clusters this run read, sends the run's one digest, records how the run ended, and
 * writes under the run the clusters that are eligible for an upgrade tonight — the input of the upgrade dispatcher,
 * which the state machine's `DispatchUpgrades` reads back — and those the wave rule holds back, with why; the state
 * carries only their counts.
 *
 * Safe to retry: alerts already sent are in the ledger, the digest is claimed once per run, and the run record is
 * overwritten with the same facts, and so are the run's lists.
 */
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { RunStatus, StoredCluster } from '../ports/fleet-store.ts';
import { buildDigest } from '../../core/digest.ts';
import { reportTonight } from '../../core/stored-fleet-report.ts';
import { isOutOfScope, runScope } from '../../core/run-scope.ts';
import type { DigestFailedAccountRegion } from '../../core/digest.ts';
import { SEVERITIES } from '../../core/types.ts';
import type { Severity } from '../../core/types.ts';
import type { ClusterReport } from '../../core/report-types.ts';
import { summarize } from '../../core/audit-report.ts';
import { lowestWaveFirst, runOutcome, upgradeCandidates } from '../../core/upgrade-candidates.ts';
import { unreadableAccountRegions } from '../../core/waves.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import { PENDING_ALERT_LEASE_SECONDS, republishPendingAlerts, sendDeadlineAlerts } from './deadline-alerts.ts';
import { crashPoint } from '../../shared/crash-point.ts';
import type { AlertOutcome } from './deadline-alerts.ts';
import type { FinishRunDeps } from './nightly-deps.ts';
import { AlertDeliveryError, RunNotFoundError, finishRunEventSchema, parseEvent } from './nightly-events.ts';
import { recordAccountRegionFailure } from './record-account-region-failure.ts';
import { RUN_LISTS } from './run-upgrade-lists.ts';

/** Code of an account-region that ended without recording any outcome (its failure could not be recorded either). */
const OUTCOME_MISSING = 'OUTCOME_MISSING';

/** Output of FinishRun: what travels in the state. The lists themselves travel by reference (`run-upgrade-lists.ts`). */
export interface FinishRunResult {
  readonly runId: string;
  readonly now: string;
  readonly status: Exclude<RunStatus, 'RUNNING'>;
  readonly counts: Readonly<Record<string, number>>;
  /** How many clusters are eligible for an upgrade tonight (the list is the run's UPGRADE_CANDIDATES). */
  readonly upgradeCandidatesTotal: number;
  /** How many clusters only the wave rule holds back (the list is the run's HELD_BY_WAVES). */
  readonly heldByWavesTotal: number;
}

function accountRegionKey(target: { accountId: string; region: string | null }): string {
  return `${target.accountId}/${target.region ?? '*'}`;
}

function emitMetrics(
  telemetry: Telemetry,
  counts: Readonly<Record<string, number>>,
  bySeverity: Readonly<Record<Severity, number>>,
): void {
  telemetry.count('AlertsSent', counts['alertsSent'] ?? 0);
  telemetry.count('AlertsFailed', counts['alertsFailed'] ?? 0);
  telemetry.count('DigestsSent', counts['digestsSent'] ?? 0);
  telemetry.count('StaleClusters', counts['clustersStale'] ?? 0);
  telemetry.count('DeletedClusters', counts['clustersDeleted'] ?? 0);
  for (const severity of SEVERITIES) {
    telemetry.countByDimension('ClustersBySeverity', 'severity', severity, bySeverity[severity]);
  }
}

/**
 * Finishes a nightly run: alerts, digest, run record.
 *
 * @throws NightlyEventError on a malformed event; RunNotFoundError for an unknown run; AlertDeliveryError (after
 *   recording the run) when a message could not be published, so the state machine retries the delivery.
 */
export async function finishRun(event: unknown, deps: FinishRunDeps): Promise<FinishRunResult> {
  const telemetry = deps.telemetry;
  const input = parseEvent('FinishRun', finishRunEventSchema, event);
  const { runId } = input;
  const now = new Date(input.now);
  const stored = await deps.store.getRun(runId);
  if (stored === null) throw new RunNotFoundError(runId);
  // The scheduled account-regions travel by reference: StartRun wrote them into the run's batch items.
  const scheduled = input.targets ?? (await deps.store.listRunAccountRegions(runId));

  const recorded = new Set(stored.targets.map(accountRegionKey));
  const missing = scheduled.filter((target) => !recorded.has(accountRegionKey(target)));
  const message = 'the audit of this account-region ended without recording an outcome; its clusters are kept as stale';
  await mapLimited(missing, WRITE_CONCURRENCY, (target) =>
    recordAccountRegionFailure(deps, { runId, now: input.now, ...target, code: OUTCOME_MISSING, message }),
  );
  const failedAccountRegions: DigestFailedAccountRegion[] = [
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

  // Claims a dead or timed-out attempt (this run's, or an older run's past their lease) left PENDING go out first.
  const recovered = await republishPendingAlerts({
    store: deps.store,
    notifier: deps.notifier,
    at: input.now,
    leaseSeconds: PENDING_ALERT_LEASE_SECONDS,
    runId,
  });

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
  if (recovered.failed > 0) undelivered.push(`${recovered.failed} pending alert(s) could not be published again`);

  // A stale cluster's deadline, severity and cost follow the calendar, not the night it was last read; one whose
  // account-region this run did not schedule is marked OUT_OF_SCOPE and leaves the cost total.
  const scope = runScope(scheduled);
  const tonight = (c: StoredCluster): ClusterReport => reportTonight(c, now, scope);
  const tonightReports = new Map(live.map((c) => [c.report.arn, tonight(c)]));
  const digest = buildDigest({
    runId,
    now,
    clusters: live.map((c) => ({
      report: tonightReports.get(c.report.arn) ?? tonight(c),
      auditedAt: c.auditedAt,
      stale: c.stale,
      staleSince: c.staleSince,
      staleReason: c.staleReason,
    })),
    failedTargets: failedAccountRegions,
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
    crashPoint('digest-claimed');
    try {
      await deps.notifier.publish(digest);
      digestsSent = 1;
    } catch (error) {
      await deps.store.releaseDigest(runId);
      undelivered.push(`${digest.subject}: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
    }
  }

  const targets = scheduled.length;
  const status = runOutcome(failedAccountRegions.length, targets);
  const counts = {
    targets,
    targetsFailed: failedAccountRegions.length,
    clustersAudited: fresh.length,
    clustersStale: stale.length,
    clustersDeleted: deleted.length,
    clustersOutOfScope: [...tonightReports.values()].filter(isOutOfScope).length,
    alertsSent,
    alertsAlreadyClaimed: count('CLAIMED_ELSEWHERE'),
    alertsFailed: count('FAILED') + recovered.failed,
    alertsRepublished: recovered.republished,
    digestsSent,
  };
  const finishedAt = new Date(Math.max(deps.clock().getTime(), now.getTime())).toISOString();
  await deps.store.finishRun(runId, finishedAt, counts, status);
  emitMetrics(telemetry, counts, summarize([...tonightReports.values()], 0).bySeverity);
  const unreadable = unreadableAccountRegions(failedAccountRegions, scheduled);
  const upgrades = upgradeCandidates(live, fresh, now, deps.soakDays, unreadable);
  telemetry.info('nightly run finished', {
    runId,
    status,
    counts,
    upgradeCandidates: upgrades.candidates.map((c) => c.arn),
    heldByWaves: upgrades.held,
  });
  // The lists travel by reference: written under the run before the result (a retry rewrites them).
  const candidates = lowestWaveFirst(upgrades.candidates, upgrades.candidates.length);
  await Promise.all([
    deps.store.putRunList(runId, RUN_LISTS.candidates, input.now, candidates),
    deps.store.putRunList(runId, RUN_LISTS.held, input.now, upgrades.held),
  ]);
  if (undelivered.length > 0) {
    throw new AlertDeliveryError(`${undelivered.length} message(s) could not be published: ${undelivered.join('; ')}`);
  }
  return {
    runId,
    now: input.now,
    status,
    counts,
    upgradeCandidatesTotal: upgrades.candidates.length,
    heldByWavesTotal: upgrades.held.length,
  };
}

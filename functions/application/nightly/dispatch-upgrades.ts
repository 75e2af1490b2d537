/**
 * DispatchUpgrades, the last task of the nightly audit: starts one upgrade execution per candidate FinishRun found
 * eligible, within the fleet-wide cap. The candidates travel by reference (FinishRun wrote them under the run); the
 * reports are re-read from the store (the candidate list is only a list of ARNs), and every gate is checked again by
 * the upgrade workflow's pre-flight before anything changes. Its per-cluster outcomes are written under the run too,
 * so the state carries only the starts (at most the fleet-wide cap) and counts.
 */
import { dispatchUpgrades } from '../upgrade/start-upgrades.ts';
import { RUN_LISTS } from './run-upgrade-lists.ts';
import type { DispatchEntry } from '../upgrade/start-upgrades.ts';
import type { DispatchUpgradesDeps } from './nightly-deps.ts';
import { dispatchUpgradesEventSchema, parseEvent } from './nightly-events.ts';
import type { DispatchUpgradesEvent } from './nightly-events.ts';
import { upgradeCandidates } from '../../core/upgrade-candidates.ts';
import { unreadableAccountRegions } from '../../core/waves.ts';
import { reconcileRunningUpgrades } from '../reconcile-upgrades.ts';

/** The entry codes of a start (started, already started, failed to start, a bake resumed). */
const START_CODES: ReadonlySet<string> = new Set(['STARTED', 'ALREADY_STARTED', 'START_FAILED', 'RESUMED']);

/** Output of DispatchUpgrades: what was started, and how many candidates it decided on. */
export interface DispatchUpgradesResult {
  readonly runId: string;
  /** Upgrades already running before this dispatch. */
  readonly running: number;
  readonly started: number;
  /**
   * The starts (started, already started, failed to start), at most the fleet-wide cap of them. Every candidate's
   * entry, those held back included, is in the run's `DISPATCH_ENTRIES` list.
   */
  readonly entries: readonly DispatchEntry[];
  /** Open upgrade records closed FAILED before dispatching, because their execution had ended (reconciliation). */
  readonly reconciled?: number;
  /** How many entries the run's `DISPATCH_ENTRIES` list holds. */
  readonly entriesTotal: number;
}

/** Starts tonight's upgrades. @throws NightlyEventError on a malformed event. */
export async function dispatchTonightsUpgrades(
  event: unknown,
  deps: DispatchUpgradesDeps,
): Promise<DispatchUpgradesResult> {
  const telemetry = deps.telemetry;
  const input = parseEvent('DispatchUpgrades', dispatchUpgradesEventSchema, event);
  // FinishRun's candidates travel by reference: its list under the run (a direct call may still pass them).
  const listed =
    input.upgradeCandidates ??
    (input.finishError === undefined
      ? await deps.store.getRunList<{ arn: string }>(input.runId, RUN_LISTS.candidates)
      : null);
  const candidates = listed ?? (await candidatesFromStore(input, deps));
  if (listed === null) {
    telemetry.count('FinishRunFailed', 1);
    telemetry.warn('FinishRun failed: upgrade candidates worked out from the store', {
      runId: input.runId,
      finishError: input.finishError ?? null,
      candidates: candidates.length,
    });
  }
  // RUNNING records whose execution ended outside its Catch: closed, announced, unlocked before the cap is counted.
  const reconciliation = await reconcileRunningUpgrades({
    store: deps.store,
    executions: deps.upgradeExecutions,
    notifier: deps.notifier,
    now: new Date(input.now),
  });
  const reconciled = reconciliation.filter((r) => r.code === 'RECORDED_FAILED').length;
  if (reconciliation.length > 0)
    telemetry.info('open upgrade records reconciled', { runId: input.runId, reconciliation });
  telemetry.count('UpgradesReconciled', reconciled);
  const stored = await Promise.all(candidates.map(({ arn }) => deps.store.getCluster(arn)));
  const reports = stored.flatMap((cluster) =>
    cluster === null || cluster.deletedAt !== null || cluster.stale ? [] : [cluster.report],
  );
  const result = await dispatchUpgrades({
    reports,
    store: deps.store,
    starter: deps.upgradeStarter,
    maxConcurrent: deps.maxConcurrentUpgrades,
    now: new Date(input.now),
    notifier: deps.notifier,
  });
  await deps.store.putRunList(input.runId, RUN_LISTS.dispatch, input.now, result.entries);
  telemetry.count('UpgradesStarted', result.started);
  telemetry.info('upgrades dispatched', { runId: input.runId, running: result.running, started: result.started });
  return {
    runId: input.runId,
    running: result.running,
    started: result.started,
    entries: result.entries.filter((entry) => START_CODES.has(entry.code)),
    entriesTotal: result.entries.length,
    ...(reconciled === 0 ? {} : { reconciled }),
  };
}

/**
 * Tonight's candidates as FinishRun would have returned them, from the store: the clusters this run read, under
 * the wave rule over the whole fleet, with the account-regions the run recorded as failed (or never recorded)
 * counted as unreadable.
 */
async function candidatesFromStore(
  input: DispatchUpgradesEvent,
  deps: DispatchUpgradesDeps,
): Promise<readonly { arn: string }[]> {
  const [clusters, run, scheduled] = await Promise.all([
    deps.store.listClusters(),
    deps.store.getRun(input.runId),
    // The run's account-regions travel by reference: its batch items (a direct call may still pass them).
    input.batches === undefined ? deps.store.listRunAccountRegions(input.runId) : Promise.resolve(input.batches.flat()),
  ]);
  const recorded = run?.targets ?? [];
  const key = (t: { accountId: string; region: string | null }): string => `${t.accountId}/${t.region ?? '*'}`;
  const seen = new Set(recorded.map(key));
  const failed = [...recorded.filter((t) => t.status === 'FAILED'), ...scheduled.filter((t) => !seen.has(key(t)))].map(
    (t) => ({ accountId: t.accountId, region: t.region }),
  );
  const live = clusters.filter((c) => c.deletedAt === null);
  const fresh = live.filter((c) => c.runId === input.runId && !c.stale);
  const unreadable = unreadableAccountRegions(failed, scheduled);
  return upgradeCandidates(live, fresh, new Date(input.now), deps.soakDays, unreadable).candidates;
}

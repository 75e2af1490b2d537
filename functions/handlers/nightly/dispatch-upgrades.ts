/**
 * DispatchUpgrades, the last task of the nightly audit: starts one upgrade execution per candidate FinishRun found
 * eligible, within the fleet-wide cap. The reports are re-read from the store (the candidate list is only a list of
 * ARNs), and every gate is checked again by the upgrade workflow's pre-flight before anything changes.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../observability.ts';
import { dispatchUpgrades } from '../../application/upgrade-dispatcher.ts';
import type { DispatchEntry } from '../../application/upgrade-dispatcher.ts';
import type { DispatchUpgradesDeps } from './deps.ts';
import { dispatchUpgradesEventSchema, parseEvent } from './events.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';

/** Output of DispatchUpgrades: what was started, refused or held back, and why. */
export interface DispatchUpgradesResult {
  readonly runId: string;
  /** Upgrades already running before this dispatch. */
  readonly running: number;
  readonly started: number;
  readonly entries: readonly DispatchEntry[];
}

/** Starts tonight's upgrades. @throws NightlyEventError on a malformed event. */
export async function dispatchTonightsUpgrades(
  event: unknown,
  deps: DispatchUpgradesDeps,
): Promise<DispatchUpgradesResult> {
  const input = parseEvent('DispatchUpgrades', dispatchUpgradesEventSchema, event);
  const stored = await Promise.all(input.upgradeCandidates.map(({ arn }) => deps.store.getCluster(arn)));
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
  metrics.addMetric('UpgradesStarted', MetricUnit.Count, result.started);
  logger.info('upgrades dispatched', { runId: input.runId, running: result.running, started: result.started });
  return { runId: input.runId, running: result.running, started: result.started, entries: result.entries };
}

/** The `DispatchUpgrades` Lambda handler. */
export function createDispatchUpgradesHandler(deps: DispatchUpgradesDeps): LambdaHandler<DispatchUpgradesResult> {
  return lambdaHandler((event) => dispatchTonightsUpgrades(event, deps));
}

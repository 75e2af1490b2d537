/**
 * The gates of the upgrade (DESIGN §4, §7), re-checked right before each hop starts, against a fresh read of the
 * cluster and its tags: PreFlight before the first hop, CheckNextHop before every later one. Both run every blocker
 * of `BLOCKER_CHECKS` (the execution's own lease does not count as LOCKED): opt-in, tags, status, updates in
 * progress, insights, add-on compatibility, custom AMIs, freeze, maintenance window (it gates only the start of a
 * hop: a hop in flight always finishes), waves and the lock. Any blocker ends the execution with
 * UpgradeBlockedError naming every blocker. Waves are judged against the stored fleet and the account-regions the latest
 * audit run could not read (`lowerWaveScope`): above wave 0, an unreadable account-region blocks the hop.
 *
 * PreFlight also re-checks the dispatcher's rules (`recheckStart`, the same core rules the dispatcher applies), since
 * the fleet may have changed since the execution was dispatched: CAP_REACHED when the leases of other executions
 * already fill `maxConcurrentUpgrades`, HELD_AFTER_FAILURE when the cluster's last decisive upgrade to the same target
 * failed and its version is unchanged. Either ends the execution with UpgradeBlockedError (a gate refusal: it holds
 * nothing back and releases no hold) before any EKS write; the state machine's failure path releases the lock.
 * The cluster's stored phase feeds the BAKING and HELD_AFTER_ROLLBACK blockers: an execution started by hand on a
 * baking or held cluster stops there.
 *
 * Decision: the path is re-resolved from the fresh tags but never goes beyond the target the execution was
 * dispatched for (its name and UPGRADE_STARTED announced it); a lowered target is honoured.
 */
import { z } from 'zod';
import { parseOptInTags } from '../../core/opt-in-tags.ts';
import {
  BLOCKER_CHECKS,
  collectBlockers,
  prepareBlockerInput,
  type UpgradeContext,
} from '../../core/upgrade-decision.ts';
import { lastDecisiveUpgrade, recheckStart, type StartRecheck } from '../../core/upgrade-start-plan.ts';
import { compareVersions } from '../../core/versions.ts';
import { countRunningUpgrades } from './start-upgrades.ts';
import { UpgradeBlockedError } from './errors.ts';
import type { StoredUpgradePhase } from '../ports/fleet-store.ts';
import type { BakeState } from '../../core/upgrade-phase.ts';
import {
  bakeStateSchema,
  executionInputSchema,
  parseTaskInput,
  upgradeProgressSchema,
  type UpgradeProgress,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { lowerWaveScope, readLiveCluster } from './live-cluster.ts';

const gateSchema = z.object({
  stage: z.enum(['PRE_FLIGHT', 'HOP_GATE']),
  state: executionInputSchema.extend({ upgrade: upgradeProgressSchema.optional() }),
});

type ExecutionState = z.infer<typeof gateSchema>['state'];

/** The dispatcher's rules for this execution now: the other executions' leases, and the cluster's upgrade history. */
async function recheckDispatch(
  deps: UpgradeTaskDeps,
  state: ExecutionState,
  version: string,
  now: Date,
): Promise<StartRecheck[]> {
  const { arn } = state.cluster;
  const [othersRunning, records, stored] = await Promise.all([
    countRunningUpgrades(deps.store, now, state.executionName),
    deps.store.listUpgradeRecords(arn),
    deps.store.getCluster(arn),
  ]);
  return recheckStart({
    version,
    target: state.targetVersion,
    othersRunning,
    maxConcurrent: deps.maxConcurrentUpgrades,
    history: {
      lastUpgrade: lastDecisiveUpgrade(records, state.executionName),
      versionSince: stored?.versionSince ?? null,
    },
    now,
    failureHoldDays: deps.failureHoldDays,
  });
}

/** The bake of a BAKING phase (for the BAKING blocker), else null. */
function bakeOf(phase: StoredUpgradePhase | null): BakeState | null {
  if (phase?.phase !== 'BAKING') return null;
  const parsed = bakeStateSchema.safeParse(phase.resume?.['bake']);
  return parsed.success ? parsed.data : null;
}

/** Runs every blocker against the live cluster; returns the upgrade's progress with the hop that may start now. */
export async function checkUpgradeGates(event: unknown, deps: UpgradeTaskDeps): Promise<UpgradeProgress> {
  const { stage, state } = parseTaskInput(gateSchema, event, 'PreFlight');
  const previous = state.upgrade;
  if (stage === 'HOP_GATE' && previous === undefined) {
    throw new UpgradeBlockedError([], 'HOP_GATE: no upgrade progress in the input; PreFlight must run first');
  }
  const now = deps.clock();
  const { state: cluster, catalog } = await readLiveCluster(deps, state.cluster);
  const wave = parseOptInTags(cluster.tags, deps.tagPrefix).wave;
  const [lock, phase, scope, refusals] = await Promise.all([
    deps.store.getLock(cluster.arn),
    deps.store.getUpgradePhase(cluster.arn),
    lowerWaveScope(deps, cluster.arn, wave),
    stage === 'PRE_FLIGHT' ? recheckDispatch(deps, state, cluster.version, now) : Promise.resolve([]),
  ]);
  const ctx: UpgradeContext = {
    calendar: catalog.calendar,
    catalog: catalog.catalog,
    now,
    tagPrefix: deps.tagPrefix,
    fleet: scope.members,
    soakDays: deps.soakDays,
    unreadable: scope.unreadable,
    lock,
    lockHolder: state.executionName,
    bake: bakeOf(phase),
    hold: phase?.hold ?? null,
  };
  const input = prepareBlockerInput(cluster, ctx);
  const blockers = [...collectBlockers(input), ...refusals.map(({ code, reason }) => ({ code, message: reason }))];
  if (blockers.length > 0) {
    const codes = blockers.map((blocker) => blocker.code);
    const detail = blockers.map((blocker) => `${blocker.code}: ${blocker.message}`).join('; ');
    throw new UpgradeBlockedError(codes, `${stage} blocked the hop from ${cluster.version}: ${detail}`);
  }
  const path = input.resolution.path.filter((version) => compareVersions(version, state.targetVersion) <= 0);
  const first = path[0];
  if (first === undefined) {
    throw new UpgradeBlockedError(
      ['AT_TARGET'],
      `${stage}: cluster ${cluster.name} runs ${cluster.version}, already at the dispatched target ${state.targetVersion}`,
    );
  }
  const index = previous === undefined ? 0 : previous.hop.index + 1;
  return {
    fromVersion: previous?.fromVersion ?? cluster.version,
    targetVersion: path[path.length - 1] ?? first,
    path,
    hop: { index, fromVersion: cluster.version, toVersion: first, startedAt: now.toISOString() },
    hops: previous?.hops ?? [],
    done: false,
    code: 'GATES_PASSED',
    reason: `${stage}: all ${BLOCKER_CHECKS.length} blocker checks passed for the hop ${cluster.version} → ${first}`,
  };
}

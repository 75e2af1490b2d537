/**
 * The bake of a hop (DESIGN §7.1), in two tasks of the upgrade state machine:
 * - StartBake, once the hop's control plane reached its new minor: with a bake of 0 the hop goes on in this
 *   execution (today's one-run hop); otherwise it records the bake (phase BAKING with `bakeUntil`, the insights
 *   already in ERROR, the input a resume needs), extends the lock lease past `bakeUntil`, sends UPGRADE_BAKING, and
 *   the execution ends in `Baking`.
 * - CheckBake, first state of every resume execution: reads the health facts (the `health-alarms` alarms, the
 *   cluster's health issues, insights, node groups and add-ons) and decides with `decideBake`: KEEP_BAKING (lease
 *   extended, the execution ends in `Baking` again), ROLL_NODES (the phase ends, node groups and the remaining
 *   add-ons follow in this execution) or ROLL_BACK (phase ROLLING_BACK, ROLLBACK_STARTED naming the signal).
 *
 * A message that cannot be published does not stop the task: the cluster's state is what matters, and the step is
 * in the execution history and the upgrade record either way.
 */
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { z } from 'zod';
import { translateAwsError } from '../../adapters/aws-errors.ts';
import { readHealthIssues, readInsights, readWatchedAlarms } from '../../adapters/rollback-facts.ts';
import { bakeUntil, decideBake, type BakeDecision } from '../../core/bake.ts';
import { judgeHealth, type HealthVerdict } from '../../core/health-signal.ts';
import { clusterRef } from '../../core/messages.ts';
import type { OutgoingMessage } from '../../core/messages.ts';
import { parseOptInTags } from '../../core/opt-in-tags.ts';
import { bakingMessage, rollbackMessage } from '../../core/rollback-messages.ts';
import { ROLLBACK_WINDOW_MS } from '../../core/rollback-readiness.ts';
import type { ClusterState } from '../../core/types.ts';
import type { BakeState } from '../../core/upgrade-phase.ts';
import { BakeStateError, LockLostError } from './errors.ts';
import {
  bakeCheckSchema,
  executionInputSchema,
  parseTaskInput,
  resumeInputSchema,
  upgradeProgressSchema,
  type BakeCheckResult,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { readLiveCluster } from './live-cluster.ts';

/** How long past the end of the bake (or past a check that keeps baking) the lease runs: a day of checks. */
const BAKE_LEASE_MARGIN_SECONDS = 24 * 3600;

/** The insight categories whose turning ERROR is a bad signal. */
const WATCHED_INSIGHTS = ['UPGRADE_READINESS', 'MISCONFIGURATION'] as const;

/** `$.bake` after StartBake: the bake, or none (bake 0). */
export interface BakeStart {
  readonly baking: boolean;
  readonly code: 'NO_BAKE' | 'BAKING';
  readonly reason: string;
  readonly bake: BakeState | null;
}

const startSchema = z.object({ state: executionInputSchema.extend({ upgrade: upgradeProgressSchema }) });

async function publishQuietly(deps: UpgradeTaskDeps, message: OutgoingMessage): Promise<string> {
  try {
    await deps.notifier.publish(message);
    return `${message.event.type} sent`;
  } catch (error) {
    return `${message.event.type} could not be published (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function extendLease(
  deps: UpgradeTaskDeps,
  arn: string,
  holder: string,
  until: number,
  now: Date,
): Promise<void> {
  const seconds = Math.ceil((Math.max(until, now.getTime()) - now.getTime()) / 1000) + BAKE_LEASE_MARGIN_SECONDS;
  if (!(await deps.store.renewLock(arn, holder, now, seconds))) {
    throw new LockLostError(`${holder} no longer holds the lock of ${arn}: it expired or was taken; the bake stops`);
  }
}

/** StartBake: records the bake of the hop whose control plane just moved, or says there is none (bake 0). */
async function startBake(event: unknown, deps: UpgradeTaskDeps): Promise<BakeStart> {
  const { state } = parseTaskInput(startSchema, event, 'StartBake');
  const { hop } = state.upgrade;
  const now = deps.clock();
  const eks = deps.eksFor(state.cluster.accountId, state.cluster.region);
  // The tags alone decide whether there is a bake: one DescribeCluster, so the one-run hop costs next to nothing more.
  const described = await eks.send(new DescribeClusterCommand({ name: state.cluster.name })).catch((error: unknown) => {
    throw translateAwsError(error, `DescribeCluster ${state.cluster.name}`);
  });
  const tags = described.cluster?.tags ?? {};
  const bakeMs = parseOptInTags(tags, deps.tagPrefix).bakeMs ?? deps.defaultBakeMs;
  if (bakeMs === 0) {
    return {
      baking: false,
      code: 'NO_BAKE',
      reason: `bake 0: the hop ${hop.fromVersion} → ${hop.toVersion} goes on to the add-ons and node groups now`,
      bake: null,
    };
  }
  const { state: cluster } = await readLiveCluster(deps, state.cluster);
  const insights = (await readInsights(eks, cluster.name, WATCHED_INSIGHTS)) ?? cluster.insights;
  const startedAt = now.toISOString();
  const upgradedAt = cluster.upgradedFrom?.at ?? startedAt;
  const bake: BakeState = {
    executionName: state.executionName,
    fromVersion: hop.fromVersion,
    toVersion: hop.toVersion,
    targetVersion: state.upgrade.targetVersion,
    startedAt,
    bakeUntil: bakeUntil(startedAt, bakeMs),
    rollbackUntil: new Date(Date.parse(upgradedAt) + ROLLBACK_WINDOW_MS).toISOString(),
    baselineInsightErrors: insights.filter((insight) => insight.status === 'ERROR').map((insight) => insight.name),
  };
  await extendLease(deps, state.cluster.arn, state.executionName, Date.parse(bake.bakeUntil), now);
  await deps.store.putUpgradePhase({
    arn: state.cluster.arn,
    phase: 'BAKING',
    targetVersion: state.targetVersion,
    resume: {
      executionName: state.executionName,
      cluster: state.cluster,
      targetVersion: state.targetVersion,
      startedAt: state.startedAt,
      upgrade: state.upgrade,
      bake,
    },
    hold: null,
    lastCheck: null,
    updatedAt: startedAt,
  });
  await deps.store.updateUpgradeRecord(
    state.cluster.arn,
    state.startedAt,
    state.executionName,
    { step: 'BAKING' },
    startedAt,
  );
  const sent = await publishQuietly(
    deps,
    bakingMessage(clusterRef({ ...state.cluster, version: hop.toVersion }), {
      fromVersion: hop.fromVersion,
      toVersion: hop.toVersion,
      bakeUntil: bake.bakeUntil,
      rollbackUntil: bake.rollbackUntil,
      executionName: state.executionName,
    }),
  );
  return {
    baking: true,
    code: 'BAKING',
    reason: `control plane at ${hop.toVersion}, node groups at ${hop.fromVersion}; baking until ${bake.bakeUntil}; ${sent}`,
    bake,
  };
}

function partly(cluster: ClusterState, fact: 'nodegroups' | 'addons'): boolean {
  return (cluster.partial ?? []).some((part) => part.fact === fact);
}

/** The health facts of a baking cluster, each null when it could not be read. */
async function judgeBakeHealth(deps: UpgradeTaskDeps, cluster: ClusterState, bake: BakeState): Promise<HealthVerdict> {
  const watched = parseOptInTags(cluster.tags, deps.tagPrefix).healthAlarms ?? [];
  const eks = deps.eksFor(cluster.accountId, cluster.region);
  const [alarms, healthIssues, insights] = await Promise.all([
    watched.length === 0
      ? Promise.resolve([])
      : readWatchedAlarms(deps.cloudWatchFor(cluster.accountId, cluster.region), watched),
    readHealthIssues(eks, cluster.name),
    readInsights(eks, cluster.name, WATCHED_INSIGHTS),
  ]);
  return judgeHealth({
    watched,
    alarms,
    healthIssues,
    insights,
    baselineInsightErrors: bake.baselineInsightErrors,
    nodegroups: partly(cluster, 'nodegroups') ? null : cluster.nodegroups,
    addons: partly(cluster, 'addons') ? null : cluster.addons,
  });
}

/** CheckBake: judges the bake's health now and decides whether to keep baking, roll the nodes, or roll back. */
async function checkBake(event: unknown, deps: UpgradeTaskDeps): Promise<BakeCheckResult> {
  const state = parseTaskInput(resumeInputSchema, event, 'CheckBake');
  const { bake } = state;
  const now = deps.clock();
  const { state: cluster } = await readLiveCluster(deps, state.cluster);
  const targetTag = cluster.tags[`${deps.tagPrefix}target-version`] ?? null;
  let health: HealthVerdict;
  let decision: BakeDecision;
  if (cluster.version === bake.toVersion) {
    health = await judgeBakeHealth(deps, cluster, bake);
    decision = decideBake({
      bakeUntil: bake.bakeUntil,
      now,
      health,
      window: parseOptInTags(cluster.tags, deps.tagPrefix).window,
    });
  } else if (cluster.version === bake.fromVersion) {
    // Rolled back by hand (e.g. `fleet-auditor rollback`) during the bake: what is left is to record and hold.
    health = { verdict: 'UNKNOWN', code: 'HEALTH_UNKNOWN', reason: 'not judged: the control plane was rolled back' };
    decision = {
      action: 'ROLL_BACK',
      code: 'BAD_SIGNAL',
      reason: `the control plane already runs ${bake.fromVersion} again (rolled back outside this workflow)`,
    };
  } else {
    throw new BakeStateError(
      `cluster ${cluster.name} runs ${cluster.version}, neither end of the baking hop ${bake.fromVersion} → ${bake.toVersion}`,
    );
  }
  const checkedAt = now.toISOString();
  const result = bakeCheckSchema.parse({ ...decision, health, targetTag, checkedAt });
  const lastCheck = { code: decision.code, reason: decision.reason, at: checkedAt };
  const phase = {
    arn: state.cluster.arn,
    targetVersion: state.targetVersion,
    hold: null,
    lastCheck,
    updatedAt: checkedAt,
  };
  const resume = { ...state, upgrade: state.upgrade, bake };
  if (decision.action === 'KEEP_BAKING') {
    await extendLease(deps, state.cluster.arn, state.executionName, Date.parse(bake.bakeUntil), now);
    await deps.store.putUpgradePhase({ ...phase, phase: 'BAKING', resume });
  } else if (decision.action === 'ROLL_NODES') {
    await deps.store.deleteUpgradePhase(state.cluster.arn);
  } else {
    await deps.store.putUpgradePhase({ ...phase, phase: 'ROLLING_BACK', resume });
    await publishQuietly(
      deps,
      rollbackMessage('ROLLBACK_STARTED', clusterRef({ ...state.cluster, version: cluster.version }), {
        fromVersion: bake.toVersion,
        toVersion: bake.fromVersion,
        reason: decision.reason,
        executionName: state.executionName,
      }),
    );
  }
  return result;
}

/** The StartBake / CheckBake Lambda handler (one function: `mode` picks the task). */
export async function bakeTask(event: unknown, deps: UpgradeTaskDeps): Promise<BakeStart | BakeCheckResult> {
  const { mode, state } = parseTaskInput(
    z.object({ mode: z.enum(['START', 'CHECK']), state: z.unknown() }),
    event,
    'Bake',
  );
  return mode === 'START' ? startBake({ state }, deps) : checkBake(state, deps);
}

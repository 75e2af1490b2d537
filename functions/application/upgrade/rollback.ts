/**
 * The automatic rollback of a baking hop (DESIGN §7.1), after CheckBake found a bad signal:
 * - StartRollback (a loop with Wait / PollRollback, like a hop phase): node groups back to N-1 first if any moved
 *   (EKS refuses a version rollback while any node runs N), then `UpdateClusterVersion` to N-1 with
 *   `rollbackConfig` (an Update of type VersionRollback), each with a client request token derived from the
 *   execution, so a retried task gets its update back; `done` once the control plane runs N-1 again.
 * - RecordRollback: holds the cluster (`HELD_AFTER_ROLLBACK`, until its `target-version` tag changes or an operator
 *   releases it), closes the upgrade record and sends ROLLBACK_SUCCEEDED or ROLLBACK_FAILED naming the signal.
 *   A failed rollback is held the same way: it is never retried blindly; the execution then fails (alarmed).
 * Add-ons are not moved back: the bake runs before the hop's add-ons move.
 */
import { z } from 'zod';
import type { UpdateRef } from '../ports/cluster-updater.ts';
import { recordRollbackHold } from '../record-rollback-hold.ts';
import { DEFAULT_ROLLBACK_TIMEOUT_MINUTES } from '../../core/defaults.ts';
import { fingerprint } from '../../core/upgrade-execution.ts';
import type { RollbackHold } from '../../core/upgrade-phase.ts';
import { compareVersions } from '../../core/versions.ts';
import { BakeStateError } from './errors.ts';
import {
  bakeCheckSchema,
  causeMessage,
  failureSchema,
  parseTaskInput,
  resumeInputSchema,
  updateOperationSchema,
  type UpdateOperation,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { clusterUpdater, readLiveCluster } from './live-cluster.ts';
import { finishedOperation, startOrConfirmUpdate } from './start-update.ts';

const startSchema = resumeInputSchema.extend({ op: updateOperationSchema.optional() });

/** One step of the rollback: the next update to start, or null when the control plane runs N-1 again. */
interface RollbackStep {
  readonly phase: 'NODEGROUPS' | 'CONTROL_PLANE';
  readonly call: string;
  readonly reason: string;
  readonly send: (token: string) => Promise<UpdateRef>;
}

/** StartRollback: starts the rollback's next update, or says it is done. */
async function startRollback(event: unknown, deps: UpgradeTaskDeps): Promise<UpdateOperation> {
  const state = parseTaskInput(startSchema, event, 'StartRollback');
  const { bake } = state;
  const { state: cluster } = await readLiveCluster(deps, state.cluster);
  const updater = clusterUpdater(deps, state.cluster);
  let step: RollbackStep | null = null;
  const moved = cluster.autoMode
    ? undefined
    : cluster.nodegroups.find((ng) => !ng.customAmi && compareVersions(ng.version, bake.fromVersion) > 0);
  if (moved !== undefined) {
    step = {
      phase: 'NODEGROUPS',
      call: `UpdateNodegroupVersion ${moved.name} ${moved.version} → ${bake.fromVersion} (rollback)`,
      reason: `node group ${moved.name} runs ${moved.version}: EKS refuses a rollback while any node runs ${bake.toVersion}`,
      send: (token) => updater.updateNodegroupVersion(moved.name, bake.fromVersion, token),
    };
  } else if (cluster.version === bake.toVersion) {
    step = {
      phase: 'CONTROL_PLANE',
      call: `UpdateClusterVersion ${cluster.name} ${bake.toVersion} → ${bake.fromVersion} (VersionRollback)`,
      reason: `control plane back from ${bake.toVersion} to ${bake.fromVersion}`,
      send: (token) => updater.rollbackClusterVersion(bake.fromVersion, token, DEFAULT_ROLLBACK_TIMEOUT_MINUTES),
    };
  } else if (cluster.version !== bake.fromVersion) {
    throw new BakeStateError(
      `cluster ${cluster.name} runs ${cluster.version}, neither end of the hop ${bake.fromVersion} → ${bake.toVersion} it rolls back`,
    );
  }
  if (step === null) {
    return finishedOperation(
      'CONTROL_PLANE',
      'ROLLED_BACK',
      `control plane at ${bake.fromVersion}, no node group newer`,
    );
  }
  return startOrConfirmUpdate(deps, state, cluster.name, {
    ...step,
    step: 'ROLLBACK',
    token: `rollback-${fingerprint(`${state.executionName}/${step.call}`, 16)}`,
  });
}

const recordSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('SUCCEEDED'), state: resumeInputSchema.extend({ bakeCheck: bakeCheckSchema }) }),
  z.object({
    outcome: z.literal('FAILED'),
    state: resumeInputSchema.extend({ bakeCheck: bakeCheckSchema, failure: failureSchema }),
  }),
]);

/** What RecordRollback did. */
export interface RollbackRecord {
  readonly code: 'HELD_AFTER_ROLLBACK';
  readonly outcome: 'SUCCEEDED' | 'FAILED';
  readonly hold: RollbackHold;
  readonly message: string;
}

/** RecordRollback: holds the cluster, closes the upgrade record and announces how the rollback ended. */
async function recordRollback(event: unknown, deps: UpgradeTaskDeps): Promise<RollbackRecord> {
  const input = parseTaskInput(recordSchema, event, 'RecordRollback');
  const { state, outcome } = input;
  const { bake, bakeCheck } = state;
  const error =
    input.outcome === 'FAILED'
      ? { name: input.state.failure.Error, message: causeMessage(input.state.failure.Cause) }
      : undefined;
  const { hold, message } = await recordRollbackHold(deps.store, deps.notifier, {
    cluster: state.cluster,
    targetVersion: state.targetVersion,
    startedAt: state.startedAt,
    executionName: state.executionName,
    bake,
    check: bakeCheck,
    outcome,
    ...(error === undefined ? {} : { error }),
    now: deps.clock().toISOString(),
  });
  return { code: 'HELD_AFTER_ROLLBACK', outcome, hold, message };
}

/** The StartRollback / RecordRollback Lambda handler (one function: `step` picks the task). */
export async function rollbackTask(event: unknown, deps: UpgradeTaskDeps): Promise<UpdateOperation | RollbackRecord> {
  const { step } = parseTaskInput(z.object({ step: z.enum(['START', 'RECORD']) }), event, 'Rollback');
  if (step === 'RECORD') return recordRollback(event, deps);
  const { state } = parseTaskInput(z.object({ state: z.unknown() }), event, 'Rollback');
  return startRollback(state, deps);
}

/**
 * The Start task of each hop phase (AlignNodegroups, UpgradeControlPlane, UpdateAddons, UpdateNodegroups): re-reads
 * the cluster, plans what the phase still has to do (`nextPhaseAction`), and starts the next EKS update with a
 * client request token derived from the execution, the hop and the action — so a retried task gets its update back
 * instead of starting a second one. `done: true` when the phase has nothing left: the state machine moves on.
 */
import { z } from 'zod';
import type { ClusterUpdater, UpdateRef } from '../ports/cluster-updater.ts';
import { pollWaitSeconds, upgradeRequestToken, type UpgradeStep } from '../../core/upgrade-execution.ts';
import {
  describeUpgradeAction,
  nextPhaseAction,
  UPGRADE_PHASES,
  type UpgradeAction,
  type UpgradePhase,
} from '../../core/upgrade-plan-steps.ts';
import { UpgradeTaskError } from './errors.ts';
import {
  executionInputSchema,
  parseTaskInput,
  updateOperationSchema,
  upgradeProgressSchema,
  type UpdateOperation,
} from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { clusterUpdater, readLiveCluster } from './live-cluster.ts';

/** A Successful update whose effect the cluster still does not show after this many re-reads. */
const MAX_CONFIRMATIONS = 3;

/** An update EKS reported Successful whose effect the cluster does not show. */
class UpdateNotAppliedError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPDATE_NOT_APPLIED', message, options);
    this.name = 'UpdateNotAppliedError';
  }
}

/** The step a phase is recorded and reported as. */
const PHASE_STEP: Readonly<Record<UpgradePhase, UpgradeStep>> = {
  ALIGN_NODEGROUPS: 'ALIGN_NODEGROUPS',
  CONTROL_PLANE: 'CONTROL_PLANE',
  ADDONS: 'ADDONS',
  NODEGROUPS: 'NODEGROUPS',
};

const startSchema = z.object({
  phase: z.enum(UPGRADE_PHASES as [UpgradePhase, ...UpgradePhase[]]),
  state: executionInputSchema.extend({ upgrade: upgradeProgressSchema, op: updateOperationSchema.optional() }),
});

function send(updater: ClusterUpdater, action: UpgradeAction, token: string): Promise<UpdateRef> {
  switch (action.kind) {
    case 'UpdateClusterVersion':
      return updater.updateClusterVersion(action.version, token);
    case 'UpdateNodegroupVersion':
      return updater.updateNodegroupVersion(action.nodegroup, action.version, token);
    case 'UpdateAddon':
      return updater.updateAddon(action.addon, action.version, token);
  }
}

/** Starts the phase's next update, or says the phase is done. */
export async function startPhaseUpdate(event: unknown, deps: UpgradeTaskDeps): Promise<UpdateOperation> {
  const { phase, state } = parseTaskInput(startSchema, event, 'StartUpdate');
  const { hop } = state.upgrade;
  const { state: cluster, catalog } = await readLiveCluster(deps, state.cluster);
  const action = nextPhaseAction(phase, cluster, hop, catalog.catalog);
  if (action === null) {
    return finishedOperation(
      phase,
      'PHASE_DONE',
      `${phase}: nothing left to do for the hop ${hop.fromVersion} → ${hop.toVersion}`,
    );
  }
  return startOrConfirmUpdate(deps, state, cluster.name, {
    phase,
    step: PHASE_STEP[phase],
    call: describeUpgradeAction(cluster.name, action),
    reason: action.reason,
    token: upgradeRequestToken(state.executionName, hop.toVersion, action),
    send: (token) => send(clusterUpdater(deps, state.cluster), action, token),
  });
}

/** One EKS update a Start task may begin: what it calls and why, under which token, recorded as which step. */
interface UpdateRequest {
  readonly phase: UpgradePhase;
  readonly step: UpgradeStep;
  readonly call: string;
  readonly reason: string;
  /** The client request token: the same for a retried task, so EKS returns its update instead of a second one. */
  readonly token: string;
  readonly send: (token: string) => Promise<UpdateRef>;
}

/** The operation of a phase with nothing left to start (`done: true`): the state machine moves on. */
export function finishedOperation(phase: UpgradePhase, code: string, reason: string): UpdateOperation {
  return {
    phase,
    done: true,
    code,
    reason,
    call: null,
    token: null,
    update: null,
    status: null,
    polls: 0,
    waitSeconds: 0,
    startedAt: null,
    confirmations: 0,
  };
}

/**
 * Starts `request` and records its step on the upgrade record — unless the previous operation is this very update
 * (same token) and EKS called it Successful while the cluster does not show it yet: then waits and reads again
 * (AWAITING_EFFECT), at most {@link MAX_CONFIRMATIONS} times.
 *
 * @throws UpdateNotAppliedError when the effect is still not visible after those re-reads.
 */
export async function startOrConfirmUpdate(
  deps: UpgradeTaskDeps,
  state: {
    readonly cluster: { readonly arn: string };
    readonly startedAt: string;
    readonly executionName: string;
    readonly op?: UpdateOperation | undefined;
  },
  clusterName: string,
  request: UpdateRequest,
): Promise<UpdateOperation> {
  const { call, token } = request;
  const previous = state.op;
  if (previous !== undefined && previous.token === token && previous.status === 'Successful') {
    const confirmations = previous.confirmations + 1;
    if (confirmations > MAX_CONFIRMATIONS) {
      throw new UpdateNotAppliedError(
        `${call} succeeded (update ${previous.update?.id ?? '?'}) but cluster ${clusterName} still does not show it`,
      );
    }
    return {
      ...previous,
      done: false,
      code: 'AWAITING_EFFECT',
      reason: `${call} succeeded; waiting for the cluster to show it (re-read ${confirmations} of ${MAX_CONFIRMATIONS})`,
      status: 'InProgress',
      waitSeconds: pollWaitSeconds(0),
      confirmations,
    };
  }
  const now = deps.clock();
  const update = await request.send(token);
  await deps.store.updateUpgradeRecord(
    state.cluster.arn,
    state.startedAt,
    state.executionName,
    { step: request.step },
    now.toISOString(),
  );
  return {
    phase: request.phase,
    done: false,
    code: 'UPDATE_STARTED',
    reason: request.reason,
    call,
    token,
    update: { ...update },
    status: 'InProgress',
    polls: 0,
    waitSeconds: pollWaitSeconds(0),
    startedAt: now.toISOString(),
    confirmations: 0,
  };
}

/**
 * The upgrade Lambda handlers: each task of functions/application/upgrade becomes a Lambda handler the one way every
 * task does (see lambda-handler.ts), run as the execution's session so member roles are assumed in its name.
 */
import { runAsSession } from '../adapters/accounts.ts';
import { powertoolsTelemetry } from '../adapters/powertools-telemetry.ts';
import { acquireUpgradeLock, type LockResult } from '../application/upgrade/acquire-lock.ts';
import { bakeTask, type BakeStart } from '../application/upgrade/bake.ts';
import type { BakeCheckResult, UpdateOperation, UpgradeProgress } from '../application/upgrade/execution-state.ts';
import { notifyUpgradeOutcome, type NotifyResult } from '../application/upgrade/notify-outcome.ts';
import { pollPhaseUpdate } from '../application/upgrade/poll-update.ts';
import { postFlight, type PostFlightResult } from '../application/upgrade/post-flight.ts';
import { checkUpgradeGates } from '../application/upgrade/pre-flight.ts';
import {
  reconcileExecution,
  type ReconcileExecutionDeps,
  type ReconcileExecutionResult,
} from '../application/upgrade/reconcile-execution.ts';
import { recordHop } from '../application/upgrade/record-hop.ts';
import { recordUpgradeOutcome, type RecordOutcomeResult } from '../application/upgrade/record-outcome.ts';
import { releaseUpgradeLock, type ReleaseResult } from '../application/upgrade/release-lock.ts';
import { resumeBakes, type ResumeBakesDeps } from '../application/upgrade/resume-bakes.ts';
import type { ResumeBakesResult } from '../application/upgrade/start-upgrades.ts';
import { rollbackTask, type RollbackRecord } from '../application/upgrade/rollback.ts';
import { startPhaseUpdate } from '../application/upgrade/start-update.ts';
import type { UpgradeTaskDeps } from '../application/upgrade/upgrade-deps.ts';
import { lambdaHandler } from './lambda-handler.ts';
import type { LambdaHandler } from './lambda-handler.ts';

/** A plain upgrade task: `(event, deps) => result`. */
type UpgradeTask<D, R> = (event: unknown, deps: D) => Promise<R>;

/** Binds `task` to its deps and wraps it in middy, `injectLambdaContext(logger)` and `logMetrics(metrics)`. */
function upgradeLambdaHandler<D, R>(task: UpgradeTask<D, R>, deps: D): LambdaHandler<R> {
  // Member roles are assumed as the execution (RoleSessionName and SourceIdentity), so CloudTrail names it.
  return lambdaHandler((event) => runAsSession(executionNameOf(event), () => task(event, deps)));
}

/**
 * The execution an upgrade task event belongs to (its `executionName`, or that of its `state`), or
 * `fleet-auditor-upgrade` when it names none.
 */
function executionNameOf(event: unknown): string {
  for (const candidate of [event, field(event, 'state')]) {
    const name = field(candidate, 'executionName');
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'fleet-auditor-upgrade';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The AcquireLock Lambda handler. */
export function createAcquireLockHandler(deps: UpgradeTaskDeps): LambdaHandler<LockResult> {
  return upgradeLambdaHandler(acquireUpgradeLock, deps);
}

/** The PreFlight / CheckNextHop Lambda handler. */
export function createPreFlightHandler(deps: UpgradeTaskDeps): LambdaHandler<UpgradeProgress> {
  return upgradeLambdaHandler(checkUpgradeGates, deps);
}

/** The Lambda handler of the four phase Start states. */
export function createStartUpdateHandler(deps: UpgradeTaskDeps): LambdaHandler<UpdateOperation> {
  return upgradeLambdaHandler(startPhaseUpdate, deps);
}

/** The Lambda handler of the four phase Poll states. */
export function createPollUpdateHandler(deps: UpgradeTaskDeps): LambdaHandler<UpdateOperation> {
  return upgradeLambdaHandler(pollPhaseUpdate, deps);
}

/** The PostFlight Lambda handler. */
export function createPostFlightHandler(deps: UpgradeTaskDeps): LambdaHandler<PostFlightResult> {
  return upgradeLambdaHandler(postFlight, deps);
}

/** The RecordHop Lambda handler. */
export function createRecordHopHandler(deps: UpgradeTaskDeps): LambdaHandler<UpgradeProgress> {
  return upgradeLambdaHandler(recordHop, deps);
}

/** The RecordSuccess / RecordFailure Lambda handler. */
export function createRecordOutcomeHandler(deps: UpgradeTaskDeps): LambdaHandler<RecordOutcomeResult> {
  return upgradeLambdaHandler(recordUpgradeOutcome, deps);
}

/** The NotifySuccess / NotifyFailure Lambda handler. */
export function createNotifyHandler(deps: UpgradeTaskDeps): LambdaHandler<NotifyResult> {
  return upgradeLambdaHandler(notifyUpgradeOutcome, deps);
}

/** The ReleaseLock Lambda handler. */
export function createReleaseLockHandler(deps: UpgradeTaskDeps): LambdaHandler<ReleaseResult> {
  return upgradeLambdaHandler(releaseUpgradeLock, deps);
}

/** The Bake Lambda handler. */
export function createBakeHandler(deps: UpgradeTaskDeps): LambdaHandler<BakeStart | BakeCheckResult> {
  return upgradeLambdaHandler(bakeTask, deps);
}

/** The Rollback Lambda handler. */
export function createRollbackHandler(deps: UpgradeTaskDeps): LambdaHandler<UpdateOperation | RollbackRecord> {
  return upgradeLambdaHandler(rollbackTask, deps);
}

/** The ReconcileExecution Lambda handler (middy + Powertools) around {@link reconcileExecution}. */
export function createReconcileExecutionHandler(
  deps: Omit<ReconcileExecutionDeps, 'telemetry'>,
): LambdaHandler<ReconcileExecutionResult> {
  const bound: ReconcileExecutionDeps = { ...deps, telemetry: powertoolsTelemetry };
  return lambdaHandler((event) => reconcileExecution(event, bound));
}

/** The `ResumeBakes` Lambda handler (middy + Powertools) around {@link resumeBakes}. */
export function createResumeBakesHandler(deps: Omit<ResumeBakesDeps, 'telemetry'>): LambdaHandler<ResumeBakesResult> {
  const bound: ResumeBakesDeps = { ...deps, telemetry: powertoolsTelemetry };
  return lambdaHandler((event) => resumeBakes(event, bound));
}

/**
 * Which handler serves which Task state of `statemachines/upgrade-cluster.asl.json`: the definition substitution
 * (the Lambda function ARN CDK puts in `Resource`) and the plain task function the local runner calls in its place.
 * Several states share one function when they differ only by the mode they pass (`stage`, `phase`, `outcome`).
 */
import type { LocalTask } from '../../adapters/local-step-functions.ts';
import { acquireUpgradeLock } from './acquire-lock.ts';
import { bakeTask } from './bake.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { notifyUpgradeOutcome } from './notify-outcome.ts';
import { pollPhaseUpdate } from './poll-update.ts';
import { postFlight } from './post-flight.ts';
import { checkUpgradeGates } from './pre-flight.ts';
import { recordHop } from './record-hop.ts';
import { recordUpgradeOutcome } from './record-outcome.ts';
import { releaseUpgradeLock } from './release-lock.ts';
import { rollbackTask } from './rollback.ts';
import { startPhaseUpdate } from './start-update.ts';

/** The upgrade Lambda functions: definition substitution name → the task function it runs. */
export const UPGRADE_FUNCTIONS = {
  AcquireLockFunctionArn: acquireUpgradeLock,
  PreFlightFunctionArn: checkUpgradeGates,
  StartUpdateFunctionArn: startPhaseUpdate,
  PollUpdateFunctionArn: pollPhaseUpdate,
  PostFlightFunctionArn: postFlight,
  RecordHopFunctionArn: recordHop,
  RecordOutcomeFunctionArn: recordUpgradeOutcome,
  NotifyFunctionArn: notifyUpgradeOutcome,
  ReleaseLockFunctionArn: releaseUpgradeLock,
  BakeFunctionArn: bakeTask,
  RollbackFunctionArn: rollbackTask,
} as const;

/** A definition substitution of the upgrade state machine (a Lambda function ARN). */
type UpgradeFunctionName = keyof typeof UPGRADE_FUNCTIONS;

/** Every Task state of the upgrade state machine and the function that serves it. */
export const UPGRADE_TASK_STATES: Readonly<Record<string, UpgradeFunctionName>> = Object.freeze({
  AcquireLock: 'AcquireLockFunctionArn',
  PreFlight: 'PreFlightFunctionArn',
  AlignNodegroups: 'StartUpdateFunctionArn',
  PollNodegroupAlignment: 'PollUpdateFunctionArn',
  UpgradeControlPlane: 'StartUpdateFunctionArn',
  PollControlPlane: 'PollUpdateFunctionArn',
  UpdateAddons: 'StartUpdateFunctionArn',
  PollAddonUpdate: 'PollUpdateFunctionArn',
  UpdateNodegroups: 'StartUpdateFunctionArn',
  PollNodegroupUpdate: 'PollUpdateFunctionArn',
  PostFlight: 'PostFlightFunctionArn',
  RecordHop: 'RecordHopFunctionArn',
  CheckNextHop: 'PreFlightFunctionArn',
  RecordSuccess: 'RecordOutcomeFunctionArn',
  NotifySuccess: 'NotifyFunctionArn',
  ReleaseLock: 'ReleaseLockFunctionArn',
  RecordFailure: 'RecordOutcomeFunctionArn',
  NotifyFailure: 'NotifyFunctionArn',
  ReleaseLockAfterFailure: 'ReleaseLockFunctionArn',
  StartBake: 'BakeFunctionArn',
  CheckBake: 'BakeFunctionArn',
  StartRollback: 'RollbackFunctionArn',
  PollRollback: 'PollUpdateFunctionArn',
  RecordRollback: 'RollbackFunctionArn',
  ReleaseLockAfterRollback: 'ReleaseLockFunctionArn',
  RecordRollbackFailure: 'RollbackFunctionArn',
  ReleaseLockAfterRollbackFailure: 'ReleaseLockFunctionArn',
});

/** Every Task state wired to its real task function with `deps` (for `runLocalStateMachine`). */
export function upgradeLocalTasks(deps: UpgradeTaskDeps): Record<string, LocalTask> {
  return Object.fromEntries(
    Object.entries(UPGRADE_TASK_STATES).map(([state, fn]) => {
      const task: LocalTask = (input) => UPGRADE_FUNCTIONS[fn](input, deps);
      return [state, task];
    }),
  );
}

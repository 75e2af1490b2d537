/**
 * Lambda entry of the EventBridge rule on the upgrade state machine's executions that end FAILED, TIMED_OUT or
 * ABORTED (deps built once per cold start).
 */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createReconcileExecutionHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createReconcileExecutionHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

/** Lambda entry of the upgrade state machine's ReleaseLock and ReleaseLockAfterFailure (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createReleaseLockHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createReleaseLockHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

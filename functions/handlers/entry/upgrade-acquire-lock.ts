/** Lambda entry of the upgrade state machine's AcquireLock (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createAcquireLockHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createAcquireLockHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

/** Lambda entry of the upgrade state machine's StartBake and CheckBake (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { createBakeHandler } from '../upgrade-handlers.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';

/** The Lambda handler. */
export const handler = createBakeHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

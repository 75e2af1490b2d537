/** Lambda entry of the upgrade state machine's the four Poll… states (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createPollUpdateHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createPollUpdateHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

/** Lambda entry of the upgrade state machine's PostFlight (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createPostFlightHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createPostFlightHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

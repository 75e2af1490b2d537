/** Lambda entry of the upgrade state machine's PreFlight and CheckNextHop (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createPreFlightHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createPreFlightHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

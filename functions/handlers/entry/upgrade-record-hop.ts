/** Lambda entry of the upgrade state machine's RecordHop (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createRecordHopHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createRecordHopHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

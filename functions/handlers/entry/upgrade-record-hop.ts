/** Lambda entry of the upgrade state machine's RecordHop (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/deps.ts';
import { createRecordHopHandler } from '../upgrade/record-hop.ts';

/** The Lambda handler. */
export const handler = createRecordHopHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

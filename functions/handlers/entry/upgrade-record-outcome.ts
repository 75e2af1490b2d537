/** Lambda entry of the upgrade state machine's RecordSuccess and RecordFailure (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createRecordOutcomeHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createRecordOutcomeHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

/** Lambda entry of the upgrade state machine's StartRollback, RecordRollback and RecordRollbackFailure. */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createRollbackHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createRollbackHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

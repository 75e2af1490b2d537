/** Lambda entry of the upgrade state machine's StartRollback, RecordRollback and RecordRollbackFailure. */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/deps.ts';
import { createRollbackHandler } from '../upgrade/rollback.ts';

/** The Lambda handler. */
export const handler = createRollbackHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

/** Lambda entry of the upgrade state machine's NotifySuccess and NotifyFailure (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createNotifyHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createNotifyHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

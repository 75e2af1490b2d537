/** Lambda entry of the upgrade state machine's AlignNodegroups, UpgradeControlPlane, UpdateAddons and UpdateNodegroups (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/aws-deps.ts';
import { createStartUpdateHandler } from '../upgrade-handlers.ts';

/** The Lambda handler. */
export const handler = createStartUpdateHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

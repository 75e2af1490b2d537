/** Lambda entry of the upgrade state machine's AlignNodegroups, UpgradeControlPlane, UpdateAddons and UpdateNodegroups (deps built once per cold start). */
import { readEnvironment } from '../environment.ts';
import { upgradeTaskDepsFromEnvironment } from '../upgrade/deps.ts';
import { createStartUpdateHandler } from '../upgrade/start-update.ts';

/** The Lambda handler. */
export const handler = createStartUpdateHandler(upgradeTaskDepsFromEnvironment(readEnvironment()));

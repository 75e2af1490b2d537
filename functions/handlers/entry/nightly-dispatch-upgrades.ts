/**
 * Lambda entry of the nightly state machine's `DispatchUpgrades` task: starts upgrade executions through Step
 * Functions. Dependencies are built once per container from the validated environment.
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createDispatchUpgradesHandler } from '../nightly-handlers.ts';

/** The `DispatchUpgrades` Lambda handler. */
export const handler = createDispatchUpgradesHandler(nightlyDepsFromEnvironment(readEnvironment()));

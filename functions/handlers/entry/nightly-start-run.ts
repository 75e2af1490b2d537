/**
 * Lambda entry of the nightly state machine's `StartRun` task: creates the run and returns the account-regions.
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createStartRunHandler } from '../nightly-handlers.ts';

/** The `StartRun` Lambda handler. */
export const handler = createStartRunHandler(nightlyDepsFromEnvironment(readEnvironment()));

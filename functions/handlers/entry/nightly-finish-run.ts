/**
 * Lambda entry of the nightly state machine's `FinishRun` task: sends the alerts and the digest and records the run.
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createFinishRunHandler } from '../nightly-handlers.ts';

/** The `FinishRun` Lambda handler. */
export const handler = createFinishRunHandler(nightlyDepsFromEnvironment(readEnvironment()));

/**
 * Lambda entry of the nightly state machine's `RecordTargetFailure` task: records a target the Map's Catch caught as FAILED, its clusters stale.
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createRecordTargetFailureHandler } from '../nightly-handlers.ts';

/** The `RecordTargetFailure` Lambda handler. */
export const handler = createRecordTargetFailureHandler(nightlyDepsFromEnvironment(readEnvironment()));

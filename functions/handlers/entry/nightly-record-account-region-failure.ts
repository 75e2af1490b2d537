/**
 * Lambda entry of the nightly state machine's `RecordAccountRegionFailure` task: records an account-region the Map's Catch caught as FAILED, its clusters stale.
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createRecordAccountRegionFailureHandler } from '../nightly-handlers.ts';

/** The `RecordAccountRegionFailure` Lambda handler. */
export const handler = createRecordAccountRegionFailureHandler(nightlyDepsFromEnvironment(readEnvironment()));

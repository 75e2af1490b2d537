/**
 * Lambda entry of the batch state machine's `LoadBatch` task: reads one batch of a run's account-regions from the
 * table. Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createLoadBatchHandler } from '../nightly-handlers.ts';

/** The `LoadBatch` Lambda handler. */
export const handler = createLoadBatchHandler(nightlyDepsFromEnvironment(readEnvironment()));

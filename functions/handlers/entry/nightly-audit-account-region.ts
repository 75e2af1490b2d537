/**
 * Lambda entry of the nightly state machine's `AuditAccountRegion` task: audits one account-region (one Map iteration).
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createAuditAccountRegionHandler } from '../nightly-handlers.ts';

/** The `AuditAccountRegion` Lambda handler. */
export const handler = createAuditAccountRegionHandler(nightlyDepsFromEnvironment(readEnvironment()));

/**
 * Lambda entry of the nightly state machine's `AuditTarget` task: audits one account-region (one Map iteration).
 * Dependencies are built once per container from the validated environment (a bad variable fails the cold start).
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createAuditTargetHandler } from '../nightly-handlers.ts';

/** The `AuditTarget` Lambda handler. */
export const handler = createAuditTargetHandler(nightlyDepsFromEnvironment(readEnvironment()));

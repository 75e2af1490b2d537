/**
 * Reconciliation of an upgrade record still RUNNING (DESIGN §7): its execution may have ended outside the workflow's
 * own Catch — stopped, timed out, its Lambda killed — leaving the record RUNNING and the lock held. Given what the
 * execution service says of the execution, decide whether the record is closed as FAILED here.
 *
 * Decisions where the design is silent:
 * - An execution that SUCCEEDED while its record stays RUNNING is left alone: the workflow records its own end, and
 *   a hop that bakes ends its execution with the record still open (a later resume continues it).
 * - An execution the service no longer knows (Step Functions forgets a closed execution's name after 90 days) has
 *   surely ended when its record is older than that; a younger one is left alone (it may belong to another
 *   deployment or be a record written by a test), and said so.
 */
import type { IsoInstant } from './types.ts';

/** An execution's status as Step Functions reports it, or NOT_FOUND when it does not know the execution. */
export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'NOT_FOUND';

/** Statuses of an execution that ended outside its success path: its record must not stay RUNNING. */
export const ENDED_STATUSES: readonly ExecutionStatus[] = Object.freeze(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** How long Step Functions keeps a closed execution (and refuses its name again): 90 days. */
export const EXECUTION_RETENTION_DAYS = 90;

/** What to do with one RUNNING upgrade record, and why. */
export interface ReconcileDecision {
  readonly action: 'RECONCILE' | 'LEAVE';
  readonly code:
    | 'RECORD_CLOSED'
    | 'EXECUTION_RUNNING'
    | 'EXECUTION_SUCCEEDED'
    | 'EXECUTION_ENDED'
    | 'EXECUTION_FORGOTTEN'
    | 'EXECUTION_NOT_FOUND';
  readonly reason: string;
}

/** An upgrade record as the decision reads it. */
interface ReconcileRecord {
  readonly executionName: string;
  readonly startedAt: IsoInstant;
  readonly status: string;
}

/**
 * Closes a RUNNING record whose execution ended FAILED, TIMED_OUT or ABORTED, or was forgotten after the retention;
 * leaves every other record as it is.
 *
 * @example decideReconcile({ executionName: 'x', startedAt, status: 'RUNNING' }, 'TIMED_OUT', now).action // 'RECONCILE'
 */
export function decideReconcile(record: ReconcileRecord, execution: ExecutionStatus, now: Date): ReconcileDecision {
  const name = record.executionName;
  if (record.status !== 'RUNNING') {
    return { action: 'LEAVE', code: 'RECORD_CLOSED', reason: `the record of ${name} is already ${record.status}` };
  }
  if (ENDED_STATUSES.includes(execution)) {
    return {
      action: 'RECONCILE',
      code: 'EXECUTION_ENDED',
      reason: `execution ${name} ended ${execution} while its record still said RUNNING`,
    };
  }
  switch (execution) {
    case 'SUCCEEDED':
      return {
        action: 'LEAVE',
        code: 'EXECUTION_SUCCEEDED',
        reason: `execution ${name} succeeded: the workflow records its own end (a baking hop keeps its record open)`,
      };
    case 'NOT_FOUND': {
      const ageDays = (now.getTime() - Date.parse(record.startedAt)) / 86_400_000;
      return ageDays > EXECUTION_RETENTION_DAYS
        ? {
            action: 'RECONCILE',
            code: 'EXECUTION_FORGOTTEN',
            reason: `execution ${name} started ${record.startedAt}, over ${EXECUTION_RETENTION_DAYS} days ago, and is no longer known: it ended`,
          }
        : {
            action: 'LEAVE',
            code: 'EXECUTION_NOT_FOUND',
            reason: `execution ${name} is not known to this deployment's upgrade state machine; record left as it is`,
          };
    }
    default:
      return { action: 'LEAVE', code: 'EXECUTION_RUNNING', reason: `execution ${name} is ${execution}` };
  }
}

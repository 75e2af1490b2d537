/**
 * What happens when an account-region cannot be read: its clusters' last records are kept and marked stale (never
 * deleted, never overwritten by partial data), and the run records the target as FAILED with a code and a message.
 * AuditTarget does this itself for member faults; the RecordTargetFailure task does it for whatever the state
 * machine's Catch caught (retries exhausted, a timeout, a crash).
 */
import type { RecordTargetFailureDeps } from './nightly-deps.ts';
import { parseEvent, recordTargetFailureEventSchema } from './nightly-events.ts';
import type { CaughtError } from './nightly-events.ts';

/** How one target's audit ended (the Map iteration's output; kept small). */
export interface TargetResult {
  readonly accountId: string;
  readonly region: string;
  readonly status: 'OK' | 'FAILED';
  /** Clusters read and judged. */
  readonly clusters: number;
  /** Clusters whose records were marked stale. */
  readonly stale: number;
  /** Clusters marked deleted. */
  readonly deleted: number;
  readonly code?: string;
}

/** A target that could not be read, and why. */
export interface TargetFailure {
  readonly runId: string;
  /** The run's clock, ISO. */
  readonly now: string;
  readonly accountId: string;
  readonly region: string;
  readonly code: string;
  readonly message: string;
}

/** Codes of the named errors a target's audit may end with; other names become TASK_FAILED. */
const CODES_BY_ERROR_NAME: Readonly<Record<string, string>> = {
  MemberAccessDeniedError: 'MEMBER_ACCESS_DENIED',
  AccessDeniedError: 'ACCESS_DENIED',
  ClusterNotFoundError: 'CLUSTER_NOT_FOUND',
  ThrottledError: 'THROTTLED',
  EndpointUnreachableError: 'ENDPOINT_UNREACHABLE',
  AwsRequestError: 'AWS_REQUEST_FAILED',
  StoreUnavailableError: 'STORE_UNAVAILABLE',
  StoreThrottledError: 'STORE_THROTTLED',
  NightlyEventError: 'INVALID_EVENT',
  'States.Timeout': 'TASK_TIMED_OUT',
  'States.TaskFailed': 'TASK_FAILED',
  'Lambda.Unknown': 'TASK_CRASHED',
};

/**
 * The code and message of a caught error. A Lambda's Cause is JSON (`{ errorType, errorMessage }`); a local or
 * service Cause is plain text; there may be none.
 */
export function describeCaughtError(error: CaughtError): { code: string; message: string } {
  const code = CODES_BY_ERROR_NAME[error.Error] ?? 'TASK_FAILED';
  const cause = error.Cause ?? '';
  let detail = cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      detail = String((parsed as { errorMessage: unknown }).errorMessage);
    }
  } catch {
    // plain-text cause
  }
  return { code, message: detail === '' ? error.Error : `${error.Error}: ${detail}` };
}

/** Marks the target's clusters stale and records the target as FAILED in the run; never deletes anything. */
export async function recordTargetFailure(
  deps: RecordTargetFailureDeps,
  failure: TargetFailure,
): Promise<TargetResult> {
  const telemetry = deps.telemetry;
  const { runId, now, accountId, region, code, message } = failure;
  const stale = await deps.store.markTargetStale(accountId, region, runId, `${code}: ${message}`, now);
  await deps.store.recordTargetOutcome(runId, {
    accountId,
    region,
    status: 'FAILED',
    clusters: 0,
    errorCode: code,
    errorMessage: message,
  });
  telemetry.count('TargetsFailed', 1);
  telemetry.warn('target could not be read; its clusters are kept as stale', { runId, accountId, region, code, stale });
  return { accountId, region, status: 'FAILED', clusters: 0, stale, deleted: 0, code };
}

/**
 * The RecordTargetFailure task: the iteration input plus the error the Catch caught.
 *
 * @throws NightlyEventError on a malformed event.
 */
export async function recordCaughtTargetFailure(event: unknown, deps: RecordTargetFailureDeps): Promise<TargetResult> {
  const input = parseEvent('RecordTargetFailure', recordTargetFailureEventSchema, event);
  const { code, message } = describeCaughtError(input.error);
  return recordTargetFailure(deps, { ...input, code, message });
}

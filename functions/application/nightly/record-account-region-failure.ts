/**
 * What happens when an account-region cannot be read: its clusters' last records are kept and marked stale (never
 * deleted, never overwritten by partial data), and the run records the account-region as FAILED with a code and a message.
 * AuditAccountRegion does this itself for member faults; the RecordAccountRegionFailure task does it for whatever the state
 * machine's Catch caught (retries exhausted, a timeout, a crash).
 */
import type { RecordAccountRegionFailureDeps } from './nightly-deps.ts';
import { parseEvent, recordAccountRegionFailureEventSchema } from './nightly-events.ts';
import type { CaughtError } from './nightly-events.ts';

/** How one account-region's audit ended (the Map iteration's output; kept small). */
export interface AccountRegionResult {
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

/** An account-region that could not be read, and why. */
interface AccountRegionFailure {
  readonly runId: string;
  /** The run's clock, ISO. */
  readonly now: string;
  readonly accountId: string;
  readonly region: string;
  readonly code: string;
  readonly message: string;
}

/** Codes of the named errors an account-region's audit may end with; other names become TASK_FAILED. */
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

/** Marks the account-region's clusters stale and records the account-region as FAILED in the run; never deletes anything. */
export async function recordAccountRegionFailure(
  deps: RecordAccountRegionFailureDeps,
  failure: AccountRegionFailure,
): Promise<AccountRegionResult> {
  const telemetry = deps.telemetry;
  const { runId, now, accountId, region, code, message } = failure;
  const stale = await deps.store.markAccountRegionStale(accountId, region, runId, `${code}: ${message}`, now);
  await deps.store.recordAccountRegionOutcome(runId, {
    accountId,
    region,
    status: 'FAILED',
    clusters: 0,
    errorCode: code,
    errorMessage: message,
  });
  telemetry.count('TargetsFailed', 1);
  telemetry.warn('account-region could not be read; its clusters are kept as stale', {
    runId,
    accountId,
    region,
    code,
    stale,
  });
  return { accountId, region, status: 'FAILED', clusters: 0, stale, deleted: 0, code };
}

/**
 * The RecordAccountRegionFailure task: the iteration input plus the error the Catch caught.
 *
 * @throws NightlyEventError on a malformed event.
 */
export async function recordCaughtAccountRegionFailure(
  event: unknown,
  deps: RecordAccountRegionFailureDeps,
): Promise<AccountRegionResult> {
  const input = parseEvent('RecordAccountRegionFailure', recordAccountRegionFailureEventSchema, event);
  const { code, message } = describeCaughtError(input.error);
  return recordAccountRegionFailure(deps, { ...input, code, message });
}

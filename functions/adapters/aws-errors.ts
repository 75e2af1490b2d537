/**
 * Named errors the adapters raise in place of raw SDK exceptions, so callers (the audit, the state machine's
 * Retry/Catch) can match them by name and every report can say what went wrong and where.
 */

/** Base class: every adapter error carries a stable `code` for reports and keeps the SDK error as `cause`. */
export class AdapterError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterError';
    this.code = code;
  }
}

/** The hub could not assume the read (or upgrade) role in a member account. */
export class MemberAccessDeniedError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MEMBER_ACCESS_DENIED', message, options);
    this.name = 'MemberAccessDeniedError';
  }
}

/** The cluster (or one of its parts) no longer exists: deleted between list and describe. */
export class ClusterNotFoundError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLUSTER_NOT_FOUND', message, options);
    this.name = 'ClusterNotFoundError';
  }
}

/** AWS kept throttling after every retry. */
export class ThrottledError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('THROTTLED', message, options);
    this.name = 'ThrottledError';
  }
}

/** The endpoint did not answer in time or the connection failed. */
export class EndpointUnreachableError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENDPOINT_UNREACHABLE', message, options);
    this.name = 'EndpointUnreachableError';
  }
}

/** The API refused the request (permissions inside the account, bad parameters, service errors). */
export class AwsRequestError extends AdapterError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AwsRequestError';
  }
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);
const UNREACHABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** The SDK exception's name (or a Node socket error code), whichever identifies it. */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
    return error.name;
  }
  return 'UnknownError';
}

/**
 * Translates an SDK exception into a named adapter error. `where` names the call in the message
 * ("DescribeCluster prod-eu in 123456789012/eu-west-1"), so a report line says exactly what failed.
 */
export function translateAwsError(error: unknown, where: string): AdapterError {
  if (error instanceof AdapterError) return error;
  const name = errorName(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'ResourceNotFoundException') return new ClusterNotFoundError(`${where}: ${detail}`, { cause: error });
  if (THROTTLING.has(name)) return new ThrottledError(`${where}: still throttled after retries`, { cause: error });
  if (DENIED.has(name)) return new MemberAccessDeniedError(`${where}: ${detail}`, { cause: error });
  if (UNREACHABLE.has(name)) return new EndpointUnreachableError(`${where}: no answer (${name})`, { cause: error });
  return new AwsRequestError(name, `${where}: ${name}: ${detail}`, { cause: error });
}

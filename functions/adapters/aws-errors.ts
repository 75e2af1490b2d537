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

/** A call inside an account (after AssumeRole succeeded) was denied: an SCP or the role's policy lacks the action. */
export class AccessDeniedError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ACCESS_DENIED', message, options);
    this.name = 'AccessDeniedError';
  }
}

/** The endpoint answered, but not as AWS does (an HTML 404 page): the operation is not offered there. */
class NotAwsResponseError extends AdapterError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'NotAwsResponseError';
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
class EndpointUnreachableError extends AdapterError {
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

/** The HTTP status of the answer an SDK error came from, when there was one. */
function httpStatusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const status = metadata?.httpStatusCode ?? (error as { $response?: { statusCode?: unknown } }).$response?.statusCode;
  return typeof status === 'number' ? status : null;
}

/** Collapses whitespace (newlines split table rows and log lines) and drops the SDK's "$response" hint. */
function oneLine(text: string): string {
  return text
    .replace(/Deserialization error: to see the raw response.*$/s, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the SDK could not parse the answer as an AWS response (an HTML error page, say). */
function isUnparsedAnswer(error: unknown, name: string): boolean {
  if (name === 'SyntaxError') return true;
  return error instanceof Error && error.message.includes('Deserialization error');
}

/**
 * Translates an SDK exception into a named adapter error with a one-line message: `where` first (it starts with the
 * operation: "ListAddons on cluster prod-eu in 123456789012/eu-west-1"), then the HTTP status and the AWS error code.
 * An answer that is not AWS-shaped reads "…: HTTP 404 (not an AWS error response)". A denial is an
 * {@link AccessDeniedError} (a call inside the account); the credential broker turns a refused AssumeRole into a
 * {@link MemberAccessDeniedError}.
 */
export function translateAwsError(error: unknown, where: string): AdapterError {
  if (error instanceof AdapterError) return error;
  const name = errorName(error);
  const status = httpStatusOf(error);
  const http = status === null ? '' : `HTTP ${status} `;
  const detail = oneLine(error instanceof Error ? error.message : String(error));
  const said = detail === '' || detail === name ? '' : `: ${detail}`;
  if (isUnparsedAnswer(error, name)) {
    const code = status === 404 || status === 501 ? 'OPERATION_NOT_AVAILABLE' : `HTTP_${status ?? 'UNPARSED'}`;
    const message = `${where}: ${status === null ? 'an answer' : `HTTP ${status}`} (not an AWS error response)`;
    return new NotAwsResponseError(code, message, { cause: error });
  }
  if (name === 'ResourceNotFoundException') {
    return new ClusterNotFoundError(`${where}: ${http}${name}${said}`, { cause: error });
  }
  if (THROTTLING.has(name)) {
    return new ThrottledError(`${where}: still throttled after retries (${http}${name})`, { cause: error });
  }
  if (DENIED.has(name)) return new AccessDeniedError(`${where}: ${http}${name}${said}`, { cause: error });
  if (UNREACHABLE.has(name)) return new EndpointUnreachableError(`${where}: no answer (${name})`, { cause: error });
  return new AwsRequestError(name, `${where}: ${http}${name}${said}`, { cause: error });
}

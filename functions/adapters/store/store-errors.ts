/**
 * Named errors of the DynamoDB store adapter. The SDK's exceptions are translated into these so that callers
 * (handlers, and the state machine's `Retry`/`Catch`, which match on `name`) never depend on the SDK's error
 * vocabulary. A failed condition check is not among them: where the store documents it as an expected outcome
 * (a lost claim, a held lock, an older audit) it is returned as a value.
 */

/**
 * Base class of every error the store raises: `code` is stable and machine-readable, `operation` names the
 * store method that failed, `cause` keeps the SDK error.
 */
export class StoreError extends Error {
  readonly code: string;
  readonly operation: string;

  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(`${operation}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = options?.code ?? 'STORE_ERROR';
    this.operation = operation;
  }
}

/** DynamoDB could not be reached or answered with a server-side failure; retrying later may succeed. */
export class StoreUnavailableError extends StoreError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_UNAVAILABLE' });
    this.name = 'StoreUnavailableError';
  }
}

/** DynamoDB throttled the request beyond the SDK's own retries; retry with back-off. */
export class StoreThrottledError extends StoreUnavailableError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_THROTTLED' });
    this.name = 'StoreThrottledError';
  }
}

/** The table does not exist (or is not yet ACTIVE): a deployment or configuration problem, not transient. */
export class StoreTableNotFoundError extends StoreError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_TABLE_NOT_FOUND' });
    this.name = 'StoreTableNotFoundError';
  }
}

/** The caller's credentials may not use the table. */
export class StoreAccessDeniedError extends StoreError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_ACCESS_DENIED' });
    this.name = 'StoreAccessDeniedError';
  }
}

/** DynamoDB rejected the request as malformed, or the caller passed an argument the store cannot key on. */
export class StoreValidationError extends StoreError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_VALIDATION' });
    this.name = 'StoreValidationError';
  }
}

/** An item that must already exist (an audit run, an upgrade record) does not. */
export class StoreItemNotFoundError extends StoreError {
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(operation, message, { ...options, code: options?.code ?? 'STORE_ITEM_NOT_FOUND' });
    this.name = 'StoreItemNotFoundError';
  }
}

/**
 * The embedded local DynamoDB could not start: its state directory is in use by another process
 * (`LOCAL_DYNAMO_START_FAILED`), its files are damaged (`LOCAL_STORE_DAMAGED`), or it cannot be written
 * (`LOCAL_STORE_READ_ONLY`, `LOCAL_STORE_DISK_FULL`). The message is one line naming the cause and the way out.
 */
export class LocalDynamoStartError extends Error {
  readonly code: string;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LocalDynamoStartError';
    this.code = options?.code ?? 'LOCAL_DYNAMO_START_FAILED';
  }
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const ACCESS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);
const VALIDATION = new Set([
  'ValidationException',
  'SerializationException',
  'ItemCollectionSizeLimitExceededException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `err` is DynamoDB's ConditionalCheckFailedException (an expected outcome of a conditional write). */
export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** True when `err` is DynamoDB's ResourceNotFoundException (the table is missing). */
export function isResourceNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'ResourceNotFoundException';
}

/**
 * Translates an SDK (or network) error raised by `operation` into the matching named store error, keeping the
 * original as `cause`. Errors that already are `StoreError`s pass through unchanged.
 */
export function translateStoreError(operation: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const name = err instanceof Error ? err.name : 'UnknownError';
  const detail = err instanceof Error ? `${name}: ${err.message}` : String(err);
  const options = { cause: err };
  if (THROTTLING.has(name)) return new StoreThrottledError(operation, detail, options);
  if (name === 'ResourceNotFoundException') return new StoreTableNotFoundError(operation, detail, options);
  if (ACCESS.has(name)) return new StoreAccessDeniedError(operation, detail, options);
  if (VALIDATION.has(name)) return new StoreValidationError(operation, detail, options);
  if (isUnavailable(err)) return new StoreUnavailableError(operation, detail, options);
  return new StoreError(operation, detail, options);
}

function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const shaped = err as Error & { code?: unknown; $metadata?: { httpStatusCode?: number }; $fault?: unknown };
  if (typeof shaped.code === 'string' && NETWORK_CODES.has(shaped.code)) return true;
  if (['TimeoutError', 'InternalServerError', 'ServiceUnavailable', 'RequestTimeout'].includes(err.name)) return true;
  const status = shaped.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  return shaped.$fault === 'server';
}

/**
 * The named errors the upgrade workflow's tasks end with, and which error names its state machine retries. Step
 * Functions matches `Retry`/`Catch` on the error's `name`, so every class sets one and the names are a contract
 * (documented in `statemachines/README.md`).
 */

/** Base class: a stable `code` next to the name, and the underlying `cause`. */
export class UpgradeTaskError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpgradeTaskError';
    this.code = code;
  }
}

/** Another holder has the cluster's upgrade lock (an unexpired lease). */
export class LockHeldError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOCK_HELD', message, options);
    this.name = 'LockHeldError';
  }
}

/** The execution's own lease could not be renewed: it expired or someone else took it. Stop touching the cluster. */
export class LockLostError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOCK_LOST', message, options);
    this.name = 'LockLostError';
  }
}

/** A gate vetoed the start of a hop (pre-flight, or the gate before the next hop); the message lists every blocker. */
export class UpgradeBlockedError extends UpgradeTaskError {
  /** The blocker codes (DESIGN §4). */
  readonly blockers: readonly string[];

  constructor(blockers: readonly string[], message: string, options?: { cause?: unknown }) {
    super('UPGRADE_BLOCKED', message, options);
    this.name = 'UpgradeBlockedError';
    this.blockers = blockers;
  }
}

/** After a hop the cluster, a node group or an add-on is not ACTIVE and healthy at the new version. */
export class PostFlightError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('POST_FLIGHT_FAILED', message, options);
    this.name = 'PostFlightError';
  }
}

/** An update stayed InProgress longer than the workflow waits for one. */
export class UpdateTimeoutError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPDATE_TIMEOUT', message, options);
    this.name = 'UpdateTimeoutError';
  }
}

/** A task got an input the state machine never sends (a wiring or definition bug). */
export class UpgradeInputError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPGRADE_INPUT', message, options);
    this.name = 'UpgradeInputError';
  }
}

/**
 * Error names the state machine retries: transient AWS, DynamoDB and Lambda failures. Everything else (a refused or
 * failed update, a held lock, a blocker, access denied, a vanished cluster) ends the execution through its Catch.
 */
export const RETRYABLE_ERRORS: readonly string[] = Object.freeze([
  'ThrottledError',
  'EndpointUnreachableError',
  'StoreUnavailableError',
  'StoreThrottledError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
]);

/** Retried separately, with longer pauses: another update runs on the cluster; the call is idempotent by token. */
export const UPDATE_IN_PROGRESS_ERROR = 'UpdateInProgressError';

/** A bake check found the cluster at neither end of its baking hop: someone else changed its version. */
export class BakeStateError extends UpgradeTaskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAKE_STATE', message, options);
    this.name = 'BakeStateError';
  }
}

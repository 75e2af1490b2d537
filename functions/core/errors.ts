/**
 * Errors raised by the pure domain core. Each carries a stable machine-readable `code` next to its human message,
 * so callers (CLI exit codes, Step Functions `Catch` by name, the JSON report) can act on it without parsing text.
 */

/** Options every domain error accepts: the underlying `cause`, kept for diagnosis. */
export interface DomainErrorOptions {
  readonly cause?: unknown;
}

/**
 * Base class of every error the core throws on bad input. Subclasses fix the `code` and set their own `name`,
 * so `err instanceof DomainError` catches them all while `err.name` still tells them apart.
 */
export class DomainError extends Error {
  /** Stable, machine-readable error code (e.g. `INVALID_VERSION`). */
  readonly code: string;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
  }
}

/** A string that is not a Kubernetes `MAJOR.MINOR` version, or a version request that cannot be honoured (a downgrade). */
export class InvalidVersionError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super('INVALID_VERSION', message, options);
    this.name = 'InvalidVersionError';
  }
}

/** A support calendar (fleet file or API data) with a missing or malformed row; the message names the row and field. */
export class InvalidCalendarError extends DomainError {
  /** Where the problem is, e.g. `calendar[3].endOfStandardSupport`. */
  readonly path: string;

  constructor(path: string, message: string, options: DomainErrorOptions = {}) {
    super('INVALID_CALENDAR', `${path}: ${message}`, options);
    this.name = 'InvalidCalendarError';
    this.path = path;
  }
}

/** A `Date` that does not denote an instant (`new Date('garbage')`), or a string that is not a real `YYYY-MM-DD` date. */
export class InvalidDateError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super('INVALID_DATE', message, options);
    this.name = 'InvalidDateError';
  }
}

/**
 * Errors of the simulator. `FleetFileError` is thrown to callers (a bad fleet file); `SimApiError` never leaves the
 * server: it is rendered on the wire in the protocol of the service that raised it, so the SDK throws the exact
 * exception AWS would.
 */

/** A fleet file that cannot be served: `message` names each JSON path and its problem. */
export class FleetFileError extends Error {
  /** One line per problem, `path: problem`. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options?: { cause?: unknown; source?: string }) {
    const shown = issues.slice(0, 10).join('; ');
    const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
    const where = options?.source === undefined ? 'invalid fleet file' : `invalid fleet file ${options.source}`;
    super(`${where}: ${shown}${more}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FleetFileError';
    this.issues = issues;
  }
}

/** Misuse of the simulator's own API (bad options, unknown cluster for `removeCluster`). */
export class SimulatorUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulatorUsageError';
  }
}

/**
 * An AWS API error as the service reports it: exception name (`code`), HTTP status, message and the extra
 * members some exceptions carry (`clusterName`, `nodegroupName`, …).
 */
export class SimApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: string, status: number, message: string, fields: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'SimApiError';
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

/** EKS `InvalidParameterException` (400): a parameter value AWS rejects. */
export function invalidParameter(message: string, fields: Readonly<Record<string, string>> = {}): SimApiError {
  return new SimApiError('InvalidParameterException', 400, message, fields);
}

/** EKS `InvalidRequestException` (400): the request is valid but the resource's state forbids it. */
export function invalidRequest(message: string, fields: Readonly<Record<string, string>> = {}): SimApiError {
  return new SimApiError('InvalidRequestException', 400, message, fields);
}

/** EKS `ResourceNotFoundException` (404). */
export function resourceNotFound(message: string, fields: Readonly<Record<string, string>> = {}): SimApiError {
  return new SimApiError('ResourceNotFoundException', 404, message, fields);
}

/** EKS `ResourceInUseException` (409): another update holds the resource. */
export function resourceInUse(message: string, fields: Readonly<Record<string, string>> = {}): SimApiError {
  return new SimApiError('ResourceInUseException', 409, message, fields);
}

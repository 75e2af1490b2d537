/**
 * Port: what the use cases tell operators while they work, as log lines and count metrics. The Lambda handlers
 * always plug in the Powertools implementation (functions/adapters/powertools-telemetry.ts); every other caller
 * passes one explicitly ({@link NO_TELEMETRY} or a recording fake), so a forgotten plug-in is a type error, not
 * silently dropped metrics.
 */

/** Structured attributes of a log line. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/** Log lines and count metrics of one task invocation. */
export interface Telemetry {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** Adds a count to the invocation's metrics (published when the invocation ends). */
  count(name: string, value: number): void;
  /** Publishes a count at once with one extra dimension of its own (e.g. ClustersBySeverity per severity). */
  countByDimension(name: string, dimension: string, dimensionValue: string, value: number): void;
}

/** Deps of a use case that reports telemetry. */
export interface TelemetryDeps {
  /** Required: the Lambda handlers pass the Powertools one, other callers choose theirs. */
  readonly telemetry: Telemetry;
}

/** Telemetry that emits nothing, for a caller that chooses to report nothing (tests, one-off local calls). */
export const NO_TELEMETRY: Telemetry = Object.freeze({
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
  count: (): void => undefined,
  countByDimension: (): void => undefined,
});

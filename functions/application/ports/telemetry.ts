/**
 * Port: what the use cases tell operators while they work, as log lines and count metrics. The Lambda handlers
 * plug in the Powertools implementation (functions/adapters/powertools-telemetry.ts); a use case called without one
 * emits nothing.
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
  /** Default {@link NO_TELEMETRY}: the Lambda handlers always pass the Powertools one. */
  readonly telemetry?: Telemetry;
}

/** Telemetry that emits nothing (a use case called directly, without a handler around it). */
export const NO_TELEMETRY: Telemetry = Object.freeze({
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
  count: (): void => undefined,
  countByDimension: (): void => undefined,
});

/** The telemetry of `deps`, or {@link NO_TELEMETRY}. */
export function telemetryOf(deps: TelemetryDeps): Telemetry {
  return deps.telemetry ?? NO_TELEMETRY;
}

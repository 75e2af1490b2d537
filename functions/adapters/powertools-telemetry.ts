/**
 * The Powertools logger and metrics of every handler, created once, here, and the application's Telemetry port
 * over them: log lines go to the logger, counts to EMF metrics in the `EksFleetAuditor` namespace.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LogAttributes, Telemetry } from '../application/ports/telemetry.ts';

export const logger = new Logger({ serviceName: 'eks-fleet-auditor' });

export const metrics = new Metrics({ namespace: 'EksFleetAuditor', serviceName: 'eks-fleet-auditor' });

/** {@link Telemetry} through the Powertools {@link logger} and {@link metrics} singletons. */
export const powertoolsTelemetry: Telemetry = Object.freeze({
  info: (message: string, attributes?: LogAttributes): void => logWith('info', message, attributes),
  warn: (message: string, attributes?: LogAttributes): void => logWith('warn', message, attributes),
  error: (message: string, attributes?: LogAttributes): void => logWith('error', message, attributes),
  count: (name: string, value: number): void => {
    metrics.addMetric(name, MetricUnit.Count, value);
  },
  countByDimension: (name: string, dimension: string, dimensionValue: string, value: number): void => {
    const single = metrics.singleMetric();
    single.addDimension(dimension, dimensionValue);
    single.addMetric(name, MetricUnit.Count, value);
  },
});

function logWith(level: 'info' | 'warn' | 'error', message: string, attributes: LogAttributes | undefined): void {
  if (attributes === undefined) logger[level](message);
  else logger[level](message, { ...attributes });
}

/**
 * The one way a task (nightly or upgrade) becomes a Lambda handler: middy with the Powertools logger context and metrics
 * flushing, nothing else. Business logic stays in the plain task function it wraps.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../adapters/powertools-telemetry.ts';

/** A Lambda handler: the event is validated inside, so it is `unknown` here. */
export type LambdaHandler<R> = (event: unknown, context: Context) => Promise<R>;

/**
 * Wraps a plain task `(event) => result` with middy, `injectLambdaContext(logger)` and `logMetrics(metrics)`. A
 * task that throws is counted as `TaskErrors` (so every invocation flushes at least one metric) and the error is
 * rethrown unchanged, keeping its name for the state machine's Retry and Catch.
 */
export function lambdaHandler<R>(task: (event: unknown) => Promise<R>): LambdaHandler<R> {
  const wrapped = middy(async (event: unknown): Promise<R> => {
    try {
      return await task(event);
    } catch (error) {
      metrics.addMetric('TaskErrors', MetricUnit.Count, 1);
      throw error;
    }
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
  return (event, context) => wrapped(event, context);
}

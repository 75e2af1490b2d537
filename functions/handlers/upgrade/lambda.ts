/**
 * The one way an upgrade task becomes a Lambda handler: middy with the Powertools logger context and metrics
 * flushing, nothing else. Business logic stays in the plain task function it wraps.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../observability.ts';

/** A Lambda handler: the event is validated inside the task, so it is `unknown` here. */
export type UpgradeLambdaHandler<R> = (event: unknown, context: Context) => Promise<R>;

/** A plain upgrade task: `(event, deps) => result`. */
export type UpgradeTask<D, R> = (event: unknown, deps: D) => Promise<R>;

/** Wraps `task` (with its deps bound) in middy, `injectLambdaContext(logger)` and `logMetrics(metrics)`. */
export function upgradeLambdaHandler<D, R>(task: UpgradeTask<D, R>, deps: D): UpgradeLambdaHandler<R> {
  const wrapped = middy(async (event: unknown): Promise<R> => task(event, deps))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
  return (event, context) => wrapped(event, context);
}

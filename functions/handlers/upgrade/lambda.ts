/** Upgrade tasks become Lambda handlers the one way every task does (see ../lambda-handler.ts). */
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';

/** A Lambda handler: the event is validated inside the task, so it is `unknown` here. */
export type UpgradeLambdaHandler<R> = LambdaHandler<R>;

/** A plain upgrade task: `(event, deps) => result`. */
export type UpgradeTask<D, R> = (event: unknown, deps: D) => Promise<R>;

/** Binds `task` to its deps and wraps it in middy, `injectLambdaContext(logger)` and `logMetrics(metrics)`. */
export function upgradeLambdaHandler<D, R>(task: UpgradeTask<D, R>, deps: D): UpgradeLambdaHandler<R> {
  return lambdaHandler((event) => task(event, deps));
}

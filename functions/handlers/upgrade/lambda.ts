/** Upgrade tasks become Lambda handlers the one way every task does (see ../lambda-handler.ts). */
import { runAsSession } from '../../adapters/accounts.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import type { LambdaHandler } from '../lambda-handler.ts';

/** A Lambda handler: the event is validated inside the task, so it is `unknown` here. */
export type UpgradeLambdaHandler<R> = LambdaHandler<R>;

/** A plain upgrade task: `(event, deps) => result`. */
export type UpgradeTask<D, R> = (event: unknown, deps: D) => Promise<R>;

/** Binds `task` to its deps and wraps it in middy, `injectLambdaContext(logger)` and `logMetrics(metrics)`. */
export function upgradeLambdaHandler<D, R>(task: UpgradeTask<D, R>, deps: D): UpgradeLambdaHandler<R> {
  // Member roles are assumed as the execution (RoleSessionName and SourceIdentity), so CloudTrail names it.
  return lambdaHandler((event) => runAsSession(executionNameOf(event), () => task(event, deps)));
}

/**
 * The execution an upgrade task event belongs to (its `executionName`, or that of its `state`), or
 * `fleet-auditor-upgrade` when it names none.
 */
export function executionNameOf(event: unknown): string {
  for (const candidate of [event, field(event, 'state')]) {
    const name = field(candidate, 'executionName');
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'fleet-auditor-upgrade';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * NotifySuccess / NotifyFailure: UPGRADE_SUCCEEDED or UPGRADE_FAILED (DESIGN §5.4), the failure with its named
 * error, message and the step it happened at. (UPGRADE_STARTED is the dispatcher's: it knows the start happened.)
 */
import { upgradeMessage, type ClusterRef } from '../../core/messages.ts';
import { causeMessage, outcomeEventSchema, parseTaskInput } from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';

/** What was published. */
export interface NotifyResult {
  readonly code: 'NOTIFIED';
  readonly type: 'UPGRADE_SUCCEEDED' | 'UPGRADE_FAILED';
  readonly subject: string;
}

/** Publishes the upgrade's outcome. */
export async function notifyUpgradeOutcome(event: unknown, deps: UpgradeTaskDeps): Promise<NotifyResult> {
  const input = parseTaskInput(outcomeEventSchema, event, 'NotifyOutcome');
  const { state } = input;
  const hops = state.upgrade?.hops ?? [];
  const cluster: ClusterRef = { ...state.cluster, version: hops.at(-1)?.toVersion ?? state.cluster.version };
  const base = {
    fromVersion: state.cluster.version,
    toVersion: state.targetVersion,
    executionName: state.executionName,
  };
  const message =
    input.outcome === 'SUCCEEDED'
      ? upgradeMessage('UPGRADE_SUCCEEDED', cluster, { ...base, toVersion: input.state.upgrade.targetVersion })
      : upgradeMessage('UPGRADE_FAILED', cluster, {
          ...base,
          error: {
            name: input.state.failure.Error,
            message: causeMessage(input.state.failure.Cause),
            step: input.state.failedStep,
          },
        });
  await deps.notifier.publish(message);
  return { code: 'NOTIFIED', type: message.event.type as NotifyResult['type'], subject: message.subject };
}

/**
 * The messages of the bake and the rollback (DESIGN §5.4): UPGRADE_BAKING when a hop's control plane moved and the
 * node groups wait, ROLLBACK_STARTED / SUCCEEDED / FAILED naming the bad signal. A failed rollback is an ERROR:
 * nothing retries it, a person must act.
 */
import { clampSubject, clusterRef, type ClusterRef, type OutgoingMessage } from './messages.ts';
import { minuteOf } from './rollback-readiness.ts';
import type { IsoInstant, Version } from './types.ts';

/** UPGRADE_BAKING detail. */
interface BakingDetail {
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly bakeUntil: IsoInstant;
  readonly rollbackUntil: IsoInstant;
  readonly executionName: string;
}

/** A hop's control plane reached its new minor and bakes; the node groups stay at the old one meanwhile. */
export function bakingMessage(cluster: ClusterRef, detail: BakingDetail): OutgoingMessage {
  const where = `EKS cluster ${cluster.name} (${cluster.accountId}, ${cluster.region})`;
  const text =
    `${where}: control plane upgraded from ${detail.fromVersion} to ${detail.toVersion}; it bakes until ` +
    `${minuteOf(detail.bakeUntil)} with the node groups at ${detail.fromVersion}. A bad health signal meanwhile rolls it back ` +
    `automatically; a manual rollback is possible until ${minuteOf(detail.rollbackUntil)} (execution ${detail.executionName}).`;
  return {
    subject: clampSubject(`EKS ${cluster.name} ${detail.toVersion} baking until ${minuteOf(detail.bakeUntil)}`),
    attributes: { type: 'UPGRADE_BAKING', severity: 'INFO', accountId: cluster.accountId },
    event: { schemaVersion: 1, type: 'UPGRADE_BAKING', cluster: clusterRef(cluster), detail: { ...detail }, text },
  };
}

/** ROLLBACK_* detail: `reason` names the bad signal (e.g. the alarm that fired). */
interface RollbackDetail {
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly reason: string;
  readonly executionName: string;
  readonly error?: { readonly name: string; readonly message: string };
}

/** A rollback started, succeeded or failed. */
export function rollbackMessage(
  type: 'ROLLBACK_STARTED' | 'ROLLBACK_SUCCEEDED' | 'ROLLBACK_FAILED',
  cluster: ClusterRef,
  detail: RollbackDetail,
): OutgoingMessage {
  const where = `EKS cluster ${cluster.name} (${cluster.accountId}, ${cluster.region})`;
  const text =
    type === 'ROLLBACK_STARTED'
      ? `${where}: rolling the control plane back from ${detail.fromVersion} to ${detail.toVersion} because ${detail.reason} (execution ${detail.executionName}).`
      : type === 'ROLLBACK_SUCCEEDED'
        ? `${where}: control plane rolled back from ${detail.fromVersion} to ${detail.toVersion} because ${detail.reason}. ` +
          `Automatic upgrades are held until the target-version tag changes or an operator releases the cluster (execution ${detail.executionName}).`
        : `${where}: the rollback from ${detail.fromVersion} to ${detail.toVersion} (because ${detail.reason}) FAILED: ` +
          `${detail.error?.name ?? 'Error'}: ${detail.error?.message ?? 'no detail'}. It will not be retried automatically; ` +
          `the lock is released and the cluster held. Act now (execution ${detail.executionName}).`;
  const verb = type === 'ROLLBACK_STARTED' ? 'started' : type === 'ROLLBACK_SUCCEEDED' ? 'succeeded' : 'FAILED';
  return {
    subject: clampSubject(`EKS ${cluster.name} rollback ${detail.fromVersion} to ${detail.toVersion} ${verb}`),
    attributes: {
      type,
      severity: type === 'ROLLBACK_FAILED' ? 'ERROR' : type === 'ROLLBACK_STARTED' ? 'WARNING' : 'INFO',
      accountId: cluster.accountId,
    },
    event: { schemaVersion: 1, type, cluster: clusterRef(cluster), detail: { ...detail }, text },
  };
}

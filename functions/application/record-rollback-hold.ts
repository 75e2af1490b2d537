/**
 * The end of an automatic rollback, whoever records it (RecordRollback in the workflow, or the reconciliation of a
 * rollback whose execution ended outside it): hold the cluster (`HELD_AFTER_ROLLBACK`), close the upgrade record
 * FAILED at ROLLBACK and send ROLLBACK_SUCCEEDED or ROLLBACK_FAILED naming the signal.
 */
import type { Notifier } from './ports/notifier.ts';
import type { FleetStore } from './ports/fleet-store.ts';
import { clusterRef, type ClusterRef } from '../core/messages.ts';
import { rollbackMessage } from '../core/rollback-messages.ts';
import type { RollbackHold } from '../core/upgrade-phase.ts';

/** What is known of the rollback being recorded. */
interface RollbackToRecord {
  readonly cluster: ClusterRef;
  readonly targetVersion: string;
  readonly startedAt: string;
  readonly executionName: string;
  /** The baking hop that was rolled back. */
  readonly bake: { readonly fromVersion: string; readonly toVersion: string };
  /** The bake check that decided the rollback. */
  readonly check: {
    readonly code: string;
    readonly reason: string;
    readonly checkedAt: string;
    readonly targetTag: string | null;
  };
  readonly outcome: 'SUCCEEDED' | 'FAILED';
  /** Why the rollback failed (outcome FAILED). */
  readonly error?: { readonly name: string; readonly message: string };
  readonly now: string;
}

/** The hold written and what became of the upgrade record. */
interface RecordedRollbackHold {
  readonly hold: RollbackHold;
  readonly message: string;
}

/** Holds the cluster, closes the upgrade record and announces how the rollback ended. */
export async function recordRollbackHold(
  store: Pick<FleetStore, 'putUpgradePhase' | 'updateUpgradeRecord'>,
  notifier: Notifier,
  rollback: RollbackToRecord,
): Promise<RecordedRollbackHold> {
  const { bake, check, outcome, error, now } = rollback;
  const arn = rollback.cluster.arn;
  const hold: RollbackHold = {
    at: now,
    fromVersion: bake.toVersion,
    toVersion: bake.fromVersion,
    outcome,
    reason: check.reason,
    targetTag: check.targetTag,
  };
  // The hold first: whatever fails after it, nothing starts on this cluster again without its owner.
  await store.putUpgradePhase({
    arn,
    phase: 'HELD_AFTER_ROLLBACK',
    targetVersion: rollback.targetVersion,
    resume: null,
    hold,
    lastCheck: { code: check.code, reason: check.reason, at: check.checkedAt },
    updatedAt: now,
  });
  let message: string;
  try {
    await store.updateUpgradeRecord(
      arn,
      rollback.startedAt,
      rollback.executionName,
      {
        status: 'FAILED',
        step: 'ROLLBACK',
        error:
          error === undefined
            ? { code: 'ROLLED_BACK', message: `rolled back to ${bake.fromVersion} because ${check.reason}` }
            : { code: error.name, message: `rollback to ${bake.fromVersion} failed: ${error.message}` },
        finishedAt: now,
      },
      now,
    );
    message = 'upgrade record closed';
  } catch (cause) {
    message = `upgrade record not closed (${cause instanceof Error ? cause.message : String(cause)})`;
  }
  const ref = clusterRef({
    ...rollback.cluster,
    version: outcome === 'SUCCEEDED' ? bake.fromVersion : bake.toVersion,
  });
  const detail = {
    fromVersion: bake.toVersion,
    toVersion: bake.fromVersion,
    reason: check.reason,
    executionName: rollback.executionName,
    ...(error === undefined ? {} : { error }),
  };
  await notifier.publish(
    rollbackMessage(outcome === 'SUCCEEDED' ? 'ROLLBACK_SUCCEEDED' : 'ROLLBACK_FAILED', ref, detail),
  );
  return { hold, message };
}

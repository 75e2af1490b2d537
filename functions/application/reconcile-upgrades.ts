/**
 * Reconciliation of upgrades whose execution ended outside the state machine's own Catch (a process killed, an
 * execution stopped or timed out): the upgrade record still says RUNNING and the lock is held. For each such
 * execution: record the outcome (FAILED, with the reason), announce UPGRADE_FAILED, release the lock. Run at the
 * start of every local `nightly` (with the state directory locked, every local execution still RUNNING is dead).
 */
import type { Notifier } from '../adapters/notifier.ts';
import type { FleetStore } from '../adapters/store/fleet-store.ts';
import { upgradeMessage } from '../core/messages.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';

/** One reconciled execution, with what was done and why. */
export interface ReconciledUpgrade {
  readonly executionName: string;
  readonly arn: string;
  readonly code: 'RECORDED_FAILED' | 'NO_RUNNING_RECORD';
  readonly reason: string;
}

/** What killed the execution, as recorded and announced. */
export interface EndedExecution {
  readonly input: UpgradeExecutionInput;
  /** e.g. ABORTED, TIMED_OUT, FAILED (Step Functions' status), or the local runner's ABORTED. */
  readonly status: string;
  readonly cause: string;
}

/**
 * Records one ended execution's RUNNING upgrade record as FAILED, announces UPGRADE_FAILED and releases the lock
 * the execution held. Idempotent: a record already closed is left alone and nothing is announced.
 */
export async function reconcileEndedExecution(
  ended: EndedExecution,
  store: Pick<FleetStore, 'listUpgradeRecords' | 'updateUpgradeRecord' | 'releaseLock'>,
  notifier: Notifier,
  at: string,
): Promise<ReconciledUpgrade> {
  const { input } = ended;
  const arn = input.cluster.arn;
  const records = await store.listUpgradeRecords(arn);
  const running = records.find((r) => r.executionName === input.executionName && r.status === 'RUNNING');
  await store.releaseLock(arn, input.executionName);
  if (running === undefined) {
    return {
      executionName: input.executionName,
      arn,
      code: 'NO_RUNNING_RECORD',
      reason: `execution ${input.executionName} ended ${ended.status}; no RUNNING record (its lock, if any, released)`,
    };
  }
  const step = running.step ?? 'UNKNOWN';
  const message = `the execution ended ${ended.status} outside the workflow: ${ended.cause}`;
  await store.updateUpgradeRecord(
    arn,
    running.startedAt,
    running.executionName,
    { status: 'FAILED', error: { code: `EXECUTION_${ended.status}`, message }, finishedAt: at },
    at,
  );
  try {
    await notifier.publish(
      upgradeMessage('UPGRADE_FAILED', input.cluster, {
        fromVersion: running.fromVersion,
        toVersion: running.toVersion,
        executionName: running.executionName,
        error: { name: `Execution${ended.status}`, message, step },
      }),
    );
  } catch {
    // Recorded and unlocked either way; the record says what happened.
  }
  return {
    executionName: input.executionName,
    arn,
    code: 'RECORDED_FAILED',
    reason: `upgrade ${running.fromVersion} → ${running.toVersion} recorded FAILED at ${step}: ${message}`,
  };
}

/**
 * Local reconciliation: every execution of the local runner still RUNNING belongs to a process that died (the
 * caller holds the state directory's lock), so each is closed ABORTED and its upgrade reconciled.
 */
export async function reconcileLocalExecutions(
  store: FleetStore,
  notifier: Notifier,
  at: string,
): Promise<ReconciledUpgrade[]> {
  const done: ReconciledUpgrade[] = [];
  for (const execution of await store.runningExecutions()) {
    const input = JSON.parse(execution.input) as UpgradeExecutionInput;
    const cause = 'its process stopped while it ran (killed or crashed); not started again';
    done.push(await reconcileEndedExecution({ input, status: 'ABORTED', cause }, store, notifier, at));
    await store.finishExecution(execution.name, 'ABORTED', at);
  }
  return done;
}

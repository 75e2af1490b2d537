/**
 * Reconciliation of upgrades whose execution ended outside the state machine's own Catch (a process killed, an
 * execution stopped or timed out): the upgrade record still says RUNNING and the lock is held. For each such
 * execution: record the outcome (FAILED, with the reason), announce UPGRADE_FAILED, release the lock. Runs
 * - at the start of every local `nightly` (with the state directory locked, every local execution still RUNNING is
 *   dead);
 * - in AWS, on the upgrade machine's execution status change (FAILED, TIMED_OUT, ABORTED), through an EventBridge
 *   rule and its Lambda;
 * - in every nightly run, before upgrades are dispatched: every RUNNING record whose execution is not running
 *   (DescribeExecution in AWS; the local runner's execution records locally).
 */
import type { Notifier } from './ports/notifier.ts';
import type { FleetStore } from './ports/fleet-store.ts';
import type { StoredUpgradePhase } from './ports/fleet-store.ts';
import { clusterRef, upgradeMessage } from '../core/messages.ts';
import type { ClusterRef } from '../core/messages.ts';
import { decideReconcile } from '../core/upgrade-reconciliation.ts';
import type { ReconcileDecision } from '../core/upgrade-reconciliation.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';
import { recordRollbackHold } from './record-rollback-hold.ts';
import type { UpgradeExecutionReader } from './ports/upgrade-execution-reader.ts';

/** One reconciled execution, with what was done and why. */
export interface ReconciledUpgrade {
  readonly executionName: string;
  readonly arn: string;
  /**
   * RECORDED_FAILED: the record was closed FAILED, announced and its lock released. NO_RUNNING_RECORD: nothing was
   * open (idempotent repeat). RECONCILE_FAILED: the execution could not be described or the record not closed (the
   * next run tries again). BAKE_CONTINUES: the upgrade is baking between executions; record, lock and phase are left
   * for the next resume. RECORDED_ROLLBACK_FAILED: the execution ended while rolling back; the cluster is held, the
   * record closed FAILED, ROLLBACK_FAILED announced and the lock released. Otherwise the decision's code for a record
   * left as it is.
   */
  readonly code:
    | 'RECORDED_FAILED'
    | 'RECORDED_ROLLBACK_FAILED'
    | 'BAKE_CONTINUES'
    | 'NO_RUNNING_RECORD'
    | 'RECONCILE_FAILED'
    | ReconcileDecision['code'];
  readonly reason: string;
}

/** What killed the execution, as recorded and announced. */
interface EndedExecution {
  readonly input: UpgradeExecutionInput;
  /** e.g. ABORTED, TIMED_OUT, FAILED (Step Functions' status), or the local runner's ABORTED. */
  readonly status: string;
  readonly cause: string;
}

/** The store calls of {@link reconcileEndedExecution}. */
type ReconcileStore = Pick<
  FleetStore,
  'listUpgradeRecords' | 'updateUpgradeRecord' | 'releaseLock' | 'getUpgradePhase' | 'putUpgradePhase'
>;

/**
 * Records one ended execution's RUNNING upgrade record as FAILED, announces UPGRADE_FAILED and releases the lock
 * the execution held. Idempotent: a record already closed is left alone and nothing is announced. The cluster's
 * phase is read first: a bake of this upgrade goes on (the next resume checks it); a rollback of this upgrade that
 * ended outside the workflow is recorded as a failed rollback (held, ROLLBACK_FAILED).
 */
export async function reconcileEndedExecution(
  ended: EndedExecution,
  store: ReconcileStore,
  notifier: Notifier,
  at: string,
): Promise<ReconciledUpgrade> {
  const { input } = ended;
  const arn = input.cluster.arn;
  const phase = await store.getUpgradePhase(arn);
  const ofThisUpgrade = phase !== null && phase.resume?.['executionName'] === input.executionName;
  if (ofThisUpgrade && phase.phase === 'BAKING') {
    return {
      executionName: input.executionName,
      arn,
      code: 'BAKE_CONTINUES',
      reason: `execution ${input.executionName} ended ${ended.status} while its upgrade bakes; record, lock and phase left for the next resume`,
    };
  }
  if (ofThisUpgrade && phase.phase === 'ROLLING_BACK') {
    return reconcileRollback(ended, phase, store, notifier, at);
  }
  const records = await store.listUpgradeRecords(arn);
  const running = records.find((r) => r.executionName === input.executionName && r.status === 'RUNNING');
  if (running === undefined) {
    // A late or repeated event: the lock may be a newer execution's of the same upgrade (a resume); left alone.
    return {
      executionName: input.executionName,
      arn,
      code: 'NO_RUNNING_RECORD',
      reason: `execution ${input.executionName} ended ${ended.status}; no RUNNING record (lock left alone)`,
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
  // Released only once this execution's record is closed.
  await store.releaseLock(arn, input.executionName);
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

/** A rollback whose execution ended outside the workflow: held and recorded as a failed rollback, lock released. */
async function reconcileRollback(
  ended: EndedExecution,
  phase: StoredUpgradePhase,
  store: ReconcileStore,
  notifier: Notifier,
  at: string,
): Promise<ReconciledUpgrade> {
  const { input } = ended;
  const arn = input.cluster.arn;
  const bake = (phase.resume?.['bake'] ?? {}) as { fromVersion?: unknown; toVersion?: unknown };
  const records = await store.listUpgradeRecords(arn);
  const running = records.find((r) => r.executionName === input.executionName && r.status === 'RUNNING');
  const hop = {
    fromVersion: typeof bake.fromVersion === 'string' ? bake.fromVersion : (running?.fromVersion ?? ''),
    toVersion: typeof bake.toVersion === 'string' ? bake.toVersion : (running?.toVersion ?? ''),
  };
  const message = `the execution ended ${ended.status} outside the workflow while rolling back: ${ended.cause}`;
  const reason = phase.lastCheck?.reason ?? message;
  let recorded = 'not recorded';
  try {
    const result = await recordRollbackHold(store, notifier, {
      cluster: input.cluster,
      targetVersion: input.targetVersion,
      startedAt: input.startedAt,
      executionName: input.executionName,
      bake: hop,
      // The tag is not known here: the execution's target stands for it (a changed tag releases the hold).
      check: {
        code: phase.lastCheck?.code ?? 'BAD_SIGNAL',
        reason,
        checkedAt: phase.lastCheck?.at ?? at,
        targetTag: input.targetVersion,
      },
      outcome: 'FAILED',
      error: { name: `Execution${ended.status}`, message },
      now: at,
    });
    recorded = result.message;
  } finally {
    await store.releaseLock(arn, input.executionName);
  }
  return {
    executionName: input.executionName,
    arn,
    code: 'RECORDED_ROLLBACK_FAILED',
    reason: `rollback ${hop.toVersion} → ${hop.fromVersion} recorded FAILED and held (${recorded}): ${message}`,
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

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The cluster as tonight's store knows it, for the message; its ARN alone when it is not stored any more. */
async function clusterOf(store: Pick<FleetStore, 'getCluster'>, arn: string, fromVersion: string): Promise<ClusterRef> {
  const stored = await store.getCluster(arn);
  if (stored !== null) return clusterRef(stored.report);
  const [, , , region = '', accountId = '', resource = ''] = arn.split(':');
  return { accountId, region, name: resource.replace(/^cluster\//, ''), arn, version: fromVersion };
}

/** Options of {@link reconcileRunningUpgrades}. */
interface ReconcileRunningOptions {
  readonly store: Pick<
    FleetStore,
    | 'listRunningUpgrades'
    | 'listUpgradeRecords'
    | 'updateUpgradeRecord'
    | 'releaseLock'
    | 'getCluster'
    | 'getUpgradePhase'
    | 'putUpgradePhase'
  >;
  readonly executions: UpgradeExecutionReader;
  readonly notifier: Notifier;
  /** The run's clock: the age of a forgotten execution, and the time recorded. */
  readonly now: Date;
}

/**
 * Every open (RUNNING) upgrade record whose execution ended FAILED, TIMED_OUT or ABORTED (or was forgotten after the
 * retention) is closed FAILED, announced UPGRADE_FAILED and its lock released; every other is left, with why
 * (`decideReconcile`). One record that cannot be reconciled does not stop the others: it is reported
 * RECONCILE_FAILED and the next run tries again.
 */
export async function reconcileRunningUpgrades(options: ReconcileRunningOptions): Promise<ReconciledUpgrade[]> {
  const { store, now } = options;
  const at = now.toISOString();
  const done: ReconciledUpgrade[] = [];
  for (const ref of await store.listRunningUpgrades()) {
    const { arn, executionName } = ref;
    try {
      // The index is eventually consistent: decide on the record itself.
      const record = (await store.listUpgradeRecords(arn)).find(
        (r) => r.executionName === executionName && r.startedAt === ref.startedAt,
      );
      if (record === undefined) {
        done.push({ executionName, arn, code: 'NO_RUNNING_RECORD', reason: `no record of ${executionName} is open` });
        continue;
      }
      const execution = await options.executions.describe(executionName);
      const decision = decideReconcile(record, execution.status, now);
      if (decision.action === 'LEAVE') {
        done.push({ executionName, arn, code: decision.code, reason: decision.reason });
        continue;
      }
      const input: UpgradeExecutionInput = execution.input ?? {
        executionName,
        cluster: await clusterOf(store, arn, record.fromVersion),
        targetVersion: record.toVersion,
        startedAt: record.startedAt,
      };
      const status = execution.status === 'NOT_FOUND' ? 'FORGOTTEN' : execution.status;
      const cause = execution.cause ?? decision.reason;
      done.push(await reconcileEndedExecution({ input, status, cause }, store, options.notifier, at));
    } catch (error) {
      done.push({ executionName, arn, code: 'RECONCILE_FAILED', reason: describeError(error) });
    }
  }
  return done;
}

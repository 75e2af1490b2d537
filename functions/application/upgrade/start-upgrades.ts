/**
 * The upgrade dispatcher, run after each nightly audit: one execution per eligible cluster, lowest wave and most
 * urgent first, within the fleet-wide cap on concurrent upgrades, each under its deterministic name (cluster + target
 * + date) so that a duplicate start is refused by Step Functions itself (ALREADY_STARTED, not an error). Announces
 * each start (UPGRADE_STARTED); the state machine announces how it ended. A cluster whose last upgrade to the same
 * target failed is held back (HELD_AFTER_FAILURE, see `planDispatch`) instead of failing again every night.
 *
 * Before any new start it resumes every baking hop (DESIGN §7.1): one resume execution per cluster whose upgrade is
 * BAKING, with the input the baking execution stored, under a name of its own per hour (RESUMED). Clusters that bake,
 * roll back, or are held after a rollback (until the target their upgrade was for changes) start nothing new.
 */
import { crashPoint } from '../../shared/crash-point.ts';
import { mapLimited } from '../../shared/limit.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { FleetStore, StoredCluster, StoredUpgradePhase } from '../ports/fleet-store.ts';
import { isLeaseActive } from '../../core/lock-lease.ts';
import { clusterRef, upgradeMessage } from '../../core/messages.ts';
import type { ClusterReport } from '../../core/report-types.ts';
import {
  lastDecisiveUpgrade,
  planDispatch,
  type DispatchCode,
  type UpgradeHistory,
} from '../../core/upgrade-start-plan.ts';
import type { UpgradeExecutionInput } from '../../core/upgrade-execution.ts';
import type { ExecutionOutcome, UpgradeStarter, UpgradeStartResult } from '../ports/upgrade-starter.ts';
import { DEFAULT_FAILURE_HOLD_DAYS } from '../../core/defaults.ts';

/** The dispatch outcome of one cluster. */
export interface DispatchEntry {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly code:
    | Exclude<DispatchCode, 'START'>
    | 'STARTED'
    | 'ALREADY_STARTED'
    | 'START_FAILED'
    | 'RESUMED'
    | 'BAKING'
    | 'HELD_AFTER_ROLLBACK';
  readonly reason: string;
  /** The version the cluster runs (the upgrade's starting point). */
  readonly fromVersion: string;
  /** The version it would be (or is being) upgraded to; null when it has none (NOT_ELIGIBLE). */
  readonly target: string | null;
  readonly executionName: string | null;
  readonly executionArn: string | null;
  /** How the execution ended, when the starter waits for it. */
  readonly outcome: ExecutionOutcome | null;
}

/** What the dispatcher did. */
export interface DispatchResult {
  /** Upgrades already running (held, unexpired locks) before this dispatch. */
  readonly running: number;
  readonly started: number;
  readonly entries: readonly DispatchEntry[];
}

/** Input of {@link dispatchUpgrades}. */
interface DispatchInput {
  readonly reports: readonly ClusterReport[];
  readonly store: FleetStore;
  readonly starter: UpgradeStarter;
  /** Fleet-wide cap on upgrades running at once (DESIGN default 5; 0 = audit only). */
  readonly maxConcurrent: number;
  /** The audit's clock: dispatch time, the date in execution names and the key of upgrade records. */
  readonly now: Date;
  readonly notifier: Notifier;
  /** Days a failed upgrade holds its cluster back (default {@link DEFAULT_FAILURE_HOLD_DAYS}). */
  readonly failureHoldDays?: number;
}

/** Store reads in flight at once. */
const READ_CONCURRENCY = 16;

/**
 * Upgrades running across the fleet: locks holding an unexpired lease (not counting the leases of `exceptHolder`, the
 * execution asking), read from the locks' sparse index, so the count costs the locks, not the fleet.
 */
export async function countRunningUpgrades(
  store: FleetStore,
  now: Date,
  exceptHolder: string | null = null,
): Promise<number> {
  const locks = await store.listLocks();
  return locks.filter(({ lease }) => isLeaseActive(lease, now) && lease.holder !== exceptHolder).length;
}

/**
 * The upgrade history of each report that could start tonight (eligible, with a path): its most recent upgrade
 * record that is not a gate refusal (`lastDecisiveUpgrade`) and the stored `versionSince`. Others are not read: nothing would start for them anyway.
 */
async function upgradeHistories(
  store: FleetStore,
  reports: readonly ClusterReport[],
  stored: readonly StoredCluster[],
): Promise<Map<string, UpgradeHistory>> {
  const since = new Map(stored.map((cluster) => [cluster.report.arn, cluster.versionSince ?? null]));
  const startable = reports.filter((report) => report.upgrade.eligible && report.upgrade.path.length > 0);
  const records = await mapLimited(startable, READ_CONCURRENCY, (report) => store.listUpgradeRecords(report.arn));
  return new Map(
    startable.map((report, index) => [
      report.arn,
      { lastUpgrade: lastDecisiveUpgrade(records[index] ?? []), versionSince: since.get(report.arn) ?? null },
    ]),
  );
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function entry(
  report: ClusterReport,
  fields: Pick<DispatchEntry, 'code' | 'reason' | 'executionName' | 'target'> & Partial<DispatchEntry>,
): DispatchEntry {
  return {
    accountId: report.accountId,
    region: report.region,
    name: report.name,
    arn: report.arn,
    fromVersion: report.version,
    executionArn: null,
    outcome: null,
    ...fields,
  };
}

/**
 * Starts one upgrade execution per eligible cluster (see `planDispatch` for the order and the cap), announces each
 * start, and returns when every execution it started and can wait for has ended (the local starter's; Step
 * Functions executions run on). A start that fails is reported (START_FAILED with the named error) and the others
 * still start.
 */
export async function dispatchUpgrades(input: DispatchInput): Promise<DispatchResult> {
  const phases = new Map((await input.store.listUpgradePhases()).map((phase) => [phase.arn, phase]));
  const resumed = await resumeBakes(input, [...phases.values()]);
  const { reports, phased } = await setAsidePhased(input, phases);
  const result = await dispatchNew({ ...input, reports });
  const settled = await settle(resumed);
  return { ...result, entries: [...settled, ...phased, ...result.entries] };
}

/** Input of {@link resumeBakingUpgrades}. */
interface ResumeBakesInput {
  readonly store: FleetStore;
  readonly starter: UpgradeStarter;
  /** The check's clock: the hour in the resume executions' names. */
  readonly now: Date;
}

/** What a bake check between nightly runs did. */
export interface ResumeBakesResult {
  /** Resume executions started now (RESUMED). */
  readonly resumed: number;
  /** One entry per baking cluster: RESUMED, ALREADY_STARTED (this hour's check already ran) or START_FAILED. */
  readonly entries: readonly DispatchEntry[];
}

/**
 * The hourly bake check in AWS (DESIGN §7.1): the dispatcher's resume path alone — one resume execution per cluster
 * in phase BAKING, under its per-hour name — and nothing new: no audit, no cap, no new upgrade.
 */
export async function resumeBakingUpgrades(input: ResumeBakesInput): Promise<ResumeBakesResult> {
  const entries = await settle(await resumeBakes(input, await input.store.listUpgradePhases()));
  return { resumed: entries.filter((e) => e.code === 'RESUMED').length, entries };
}

/** The entries once the executions the starter waits for (the local one's) have ended. */
async function settle(
  started: readonly { entry: DispatchEntry; completion: Promise<ExecutionOutcome> | null }[],
): Promise<DispatchEntry[]> {
  return Promise.all(
    started.map(async ({ entry: one, completion }) =>
      completion === null ? one : { ...one, outcome: await completion },
    ),
  );
}

/** The name of a resume execution: the baking execution's name and the hour of the check (one resume an hour). */
function resumeExecutionName(executionName: string, now: Date): string {
  const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, '');
  return `${executionName.slice(0, 64)}-r${hour}`;
}

/** Starts one resume execution per baking cluster (a rollback in flight is its own execution's). */
async function resumeBakes(
  input: Pick<DispatchInput, 'starter' | 'now'>,
  phases: readonly StoredUpgradePhase[],
): Promise<{ entry: DispatchEntry; completion: Promise<ExecutionOutcome> | null }[]> {
  const out: { entry: DispatchEntry; completion: Promise<ExecutionOutcome> | null }[] = [];
  for (const phase of phases) {
    if (phase.phase !== 'BAKING' || phase.resume === null) continue;
    const resume = phase.resume as unknown as UpgradeExecutionInput;
    const name = resumeExecutionName(resume.executionName, input.now);
    const base: DispatchEntry = {
      accountId: resume.cluster.accountId,
      region: resume.cluster.region,
      name: resume.cluster.name,
      arn: phase.arn,
      code: 'RESUMED',
      reason: '',
      fromVersion: resume.cluster.version,
      target: resume.targetVersion,
      executionName: name,
      executionArn: null,
      outcome: null,
    };
    try {
      const result = await input.starter.start(resume, name);
      const reason = `${phase.lastCheck === null ? 'baking' : `last check: ${phase.lastCheck.reason}`}; ${result.reason}`;
      if (result.code === 'ALREADY_STARTED') {
        out.push({
          entry: { ...base, code: 'ALREADY_STARTED', reason, executionArn: result.executionArn },
          completion: null,
        });
      } else {
        out.push({ entry: { ...base, reason, executionArn: result.executionArn }, completion: result.completion });
      }
    } catch (error) {
      out.push({ entry: { ...base, code: 'START_FAILED', reason: describeError(error) }, completion: null });
    }
  }
  return out;
}

/**
 * The reports that may start something new, and an entry for each cluster whose upgrade bakes, rolls back or is
 * held after a rollback. A hold whose upgrade target is no longer the cluster's target (the owner changed the
 * `target-version` tag) is released here.
 */
async function setAsidePhased(
  input: DispatchInput,
  phases: ReadonlyMap<string, StoredUpgradePhase>,
): Promise<{ reports: ClusterReport[]; phased: DispatchEntry[] }> {
  const reports: ClusterReport[] = [];
  const phased: DispatchEntry[] = [];
  for (const report of input.reports) {
    const phase = phases.get(report.arn);
    if (phase === undefined) {
      reports.push(report);
      continue;
    }
    if (phase.phase === 'HELD_AFTER_ROLLBACK' && phase.hold !== null) {
      if (report.upgrade.target !== phase.targetVersion) {
        await input.store.deleteUpgradePhase(report.arn);
        reports.push(report);
        continue;
      }
      const { hold } = phase;
      const what = hold.outcome === 'SUCCEEDED' ? 'rolled back' : 'its rollback FAILED';
      phased.push(
        entry(report, {
          code: 'HELD_AFTER_ROLLBACK',
          reason: `${what} from ${hold.fromVersion} to ${hold.toVersion} on ${hold.at} (${hold.reason}); held until the target-version tag changes or an operator releases it`,
          executionName: null,
          target: phase.targetVersion,
        }),
      );
      continue;
    }
    phased.push(
      entry(report, {
        code: 'BAKING',
        reason: `the upgrade to ${phase.targetVersion} is ${phase.phase === 'BAKING' ? 'baking' : 'rolling back'}; nothing else starts meanwhile`,
        executionName: null,
        target: phase.targetVersion,
      }),
    );
  }
  return { reports, phased };
}

async function dispatchNew(input: DispatchInput): Promise<DispatchResult> {
  const stored = await input.store.listClusters();
  const [running, history] = await Promise.all([
    countRunningUpgrades(input.store, input.now),
    upgradeHistories(input.store, input.reports, stored),
  ]);
  const decisions = planDispatch({
    reports: input.reports,
    running,
    maxConcurrent: input.maxConcurrent,
    now: input.now,
    history,
    failureHoldDays: input.failureHoldDays ?? DEFAULT_FAILURE_HOLD_DAYS,
  });
  const entries: DispatchEntry[] = [];
  const waiting: { index: number; completion: Promise<ExecutionOutcome> }[] = [];
  for (const decision of decisions) {
    const { report } = decision;
    if (decision.code !== 'START') {
      entries.push(
        entry(report, {
          code: decision.code,
          reason: decision.reason,
          executionName: decision.executionName,
          target: decision.target,
        }),
      );
      continue;
    }
    const { executionName, target } = decision;
    const execution: UpgradeExecutionInput = {
      executionName,
      cluster: clusterRef(report),
      targetVersion: target,
      startedAt: input.now.toISOString(),
    };
    let result: UpgradeStartResult;
    try {
      result = await input.starter.start(execution);
    } catch (error) {
      entries.push(entry(report, { code: 'START_FAILED', reason: describeError(error), executionName, target }));
      continue;
    }
    if (result.code === 'ALREADY_STARTED') {
      entries.push(
        entry(report, {
          code: 'ALREADY_STARTED',
          reason: result.reason,
          executionName,
          target,
          executionArn: result.executionArn,
        }),
      );
      continue;
    }
    let reason = `${decision.reason}; ${result.reason}`;
    try {
      await input.notifier.publish(
        upgradeMessage('UPGRADE_STARTED', execution.cluster, {
          fromVersion: report.version,
          toVersion: target,
          executionName,
        }),
      );
    } catch (error) {
      // The upgrade runs either way; its outcome message will still be sent by the state machine.
      reason = `${reason}; UPGRADE_STARTED could not be published: ${describeError(error)}`;
    }
    crashPoint('upgrade-started');
    if (result.completion !== null) waiting.push({ index: entries.length, completion: result.completion });
    entries.push(entry(report, { code: 'STARTED', reason, executionName, target, executionArn: result.executionArn }));
  }
  for (const { index, completion } of waiting) {
    const outcome = await completion;
    const started = entries[index];
    if (started !== undefined) entries[index] = { ...started, outcome };
  }
  return { running, started: entries.filter((e) => e.code === 'STARTED').length, entries };
}

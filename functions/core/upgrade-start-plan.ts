/**
 * Which upgrades the nightly run starts (DESIGN §1.4, §7): every cluster the audit found eligible, lowest wave and
 * most urgent first, while the fleet-wide cap on concurrent upgrades leaves room. The decision per cluster carries a
 * code and a reason; the adapter then starts the executions and learns which were already started today.
 *
 * Decision (the design is silent): a cluster whose most recent upgrade failed for the same target is held back
 * (HELD_AFTER_FAILURE) instead of being retried every night, while its version is unchanged since the failure and
 * the failure is younger than {@link DEFAULT_FAILURE_HOLD_DAYS} days. Changing the version (an operator fixed the
 * cause and upgraded by hand) or the target tag clears the hold; after the hold time the upgrade is tried again.
 * A refusal of the gates ({@link GATE_REFUSAL_ERRORS}) is not a failure of the cluster and holds nothing back.
 */
import { SEVERITIES } from './types.ts';
import type { ClusterReport } from './report-types.ts';
import type { IsoInstant, Version } from './types.ts';
import { upgradeExecutionName } from './upgrade-execution.ts';
import { compareVersions, isVersion } from './versions.ts';
import { DEFAULT_FAILURE_HOLD_DAYS } from './defaults.ts';

/**
 * Named errors that end an upgrade because a gate said "not now" (a blocker found by the pre-flight or between
 * hops, another holder of the lock), not because the cluster failed to upgrade: they never hold a cluster back.
 */
const GATE_REFUSAL_ERRORS: readonly string[] = Object.freeze(['UpgradeBlockedError', 'LockHeldError']);

/**
 * START: start an execution; NOT_ELIGIBLE: the audit found a blocker; CAP_REACHED: eligible, but no room tonight;
 * HELD_AFTER_FAILURE: eligible, but its last upgrade to the same target failed (see the module comment).
 */
export type DispatchCode = 'START' | 'NOT_ELIGIBLE' | 'CAP_REACHED' | 'HELD_AFTER_FAILURE';

/** The most recent upgrade of a cluster, as the dispatcher needs it (the shape of a stored upgrade record). */
export interface LastUpgrade {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly startedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
  readonly updatedAt: IsoInstant;
  /** The step it failed at (e.g. `CONTROL_PLANE`). */
  readonly step: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** What the dispatcher knows of a cluster's past besides its report. */
export interface UpgradeHistory {
  /** Its most recent upgrade record, or null when it was never upgraded. */
  readonly lastUpgrade: LastUpgrade | null;
  /** Since when it runs its current version, when known. */
  readonly versionSince: IsoInstant | null;
}

/** The dispatch decision of one cluster: START and CAP_REACHED name the execution and its target. */
type DispatchDecision =
  | {
      readonly report: ClusterReport;
      readonly code: 'START' | 'CAP_REACHED';
      readonly reason: string;
      readonly executionName: string;
      readonly target: Version;
    }
  | {
      readonly report: ClusterReport;
      readonly code: 'HELD_AFTER_FAILURE';
      readonly reason: string;
      readonly executionName: null;
      readonly target: Version;
    }
  | {
      readonly report: ClusterReport;
      readonly code: 'NOT_ELIGIBLE';
      readonly reason: string;
      readonly executionName: null;
      readonly target: null;
    };

/** Input of {@link planDispatch}. */
interface DispatchPlanInput {
  readonly reports: readonly ClusterReport[];
  /** Upgrades already running across the fleet (held, unexpired locks). */
  readonly running: number;
  readonly maxConcurrent: number;
  readonly now: Date;
  /** Each cluster's upgrade history, by ARN (default: none known, nothing held after a failure). */
  readonly history?: ReadonlyMap<string, UpgradeHistory>;
  /** Default {@link DEFAULT_FAILURE_HOLD_DAYS}. */
  readonly failureHoldDays?: number;
}

const DAY_MS = 86_400_000;
const MESSAGE_CHARS = 200;

function clip(text: string): string {
  return text.length <= MESSAGE_CHARS ? text : `${text.slice(0, MESSAGE_CHARS - 1)}…`;
}

/** True when `version` is one the failed upgrade may have left the cluster at: from its start, short of its target. */
function withinFailedRange(version: Version, last: LastUpgrade): boolean {
  if (!isVersion(version) || !isVersion(last.fromVersion) || !isVersion(last.toVersion)) {
    return version === last.fromVersion;
  }
  return compareVersions(version, last.fromVersion) >= 0 && compareVersions(version, last.toVersion) < 0;
}

/**
 * Whether a failed upgrade holds the cluster back from starting the upgrade to `target` at `now`: the reason (naming
 * the failed step, error and date) when it does, else null. Held while the last upgrade FAILED (not a gate refusal)
 * for the same target, the cluster's version is unchanged since the failure, and the failure is younger than
 * `holdDays`. "Unchanged" is read from `versionSince` (not after the failure); when that is unknown, the cluster counts
 * as unchanged while it runs a version the failed upgrade may have left it at (from its start up to its target).
 */
export function failureHold(
  report: Pick<ClusterReport, 'version'>,
  target: Version,
  history: UpgradeHistory | undefined,
  now: Date,
  holdDays: number = DEFAULT_FAILURE_HOLD_DAYS,
): string | null {
  const last = history?.lastUpgrade ?? null;
  if (last === null || last.status !== 'FAILED' || last.toVersion !== target) return null;
  if (last.error !== null && GATE_REFUSAL_ERRORS.includes(last.error.code)) return null;
  const failedAt = Date.parse(last.finishedAt ?? last.updatedAt);
  if (Number.isNaN(failedAt)) return null;
  const until = failedAt + holdDays * DAY_MS;
  if (now.getTime() >= until) return null;
  const versionSince = history?.versionSince ?? null;
  const since = versionSince === null ? Number.NaN : Date.parse(versionSince);
  const unchanged = Number.isNaN(since) ? withinFailedRange(report.version, last) : since <= failedAt;
  if (!unchanged) return null;
  const error = last.error === null ? 'no error recorded' : `${last.error.code}: ${clip(last.error.message)}`;
  const day = new Date(failedAt).toISOString().slice(0, 10);
  return (
    `the upgrade ${last.fromVersion} → ${last.toVersion} failed at ${last.step ?? 'an unknown step'} on ${day} (${error}); ` +
    `not retried until the cluster's version changes (fix the cause, upgrade by hand) or ${new Date(until).toISOString()}, ` +
    `${holdDays} day${holdDays === 1 ? '' : 's'} after the failure`
  );
}

/**
 * The upgrade record that decides a failure hold: the most recent of `records` (newest first) that is not a gate
 * refusal ({@link GATE_REFUSAL_ERRORS}: it neither holds a cluster back nor releases a hold) and not the execution
 * `except` (the one asking, whose own record is still RUNNING); null when there is none.
 */
export function lastDecisiveUpgrade<T extends LastUpgrade & { readonly executionName: string }>(
  records: readonly T[],
  except: string | null = null,
): T | null {
  const refusal = (record: T): boolean =>
    record.status === 'FAILED' && record.error !== null && GATE_REFUSAL_ERRORS.includes(record.error.code);
  return records.find((record) => record.executionName !== except && !refusal(record)) ?? null;
}

/** Room left under the fleet-wide cap of `maxConcurrent` upgrades when `running` already hold a lock (never < 0). */
export function capRoom(running: number, maxConcurrent: number): number {
  return Math.max(0, Math.max(0, Math.floor(maxConcurrent)) - running);
}

/** Why an upgrade about to act must not (the dispatch rules re-checked at its pre-flight). */
export interface StartRecheck {
  readonly code: 'CAP_REACHED' | 'HELD_AFTER_FAILURE';
  readonly reason: string;
}

/** Input of {@link recheckStart}. */
export interface StartRecheckInput {
  /** The version the cluster runs now. */
  readonly version: Version;
  /** The target the execution was dispatched for. */
  readonly target: Version;
  /** Other upgrades running across the fleet (held, unexpired locks of other holders). */
  readonly othersRunning: number;
  readonly maxConcurrent: number;
  readonly history: UpgradeHistory;
  readonly now: Date;
  /** Default {@link DEFAULT_FAILURE_HOLD_DAYS}. */
  readonly failureHoldDays?: number;
}

/**
 * The dispatcher's rules, re-checked by an execution right before it acts (the fleet may have changed since it was
 * dispatched, or it was started by hand): CAP_REACHED when the other running upgrades already fill the cap (same
 * rule as {@link planDispatch}: no room left), HELD_AFTER_FAILURE when {@link failureHold} holds the cluster back.
 * Empty when it may go.
 */
export function recheckStart(input: StartRecheckInput): StartRecheck[] {
  const refusals: StartRecheck[] = [];
  if (capRoom(input.othersRunning, input.maxConcurrent) === 0) {
    const cap = Math.max(0, Math.floor(input.maxConcurrent));
    refusals.push({
      code: 'CAP_REACHED',
      reason:
        `the fleet-wide cap of ${cap} concurrent upgrades is reached (${input.othersRunning} other ` +
        `upgrade${input.othersRunning === 1 ? '' : 's'} running); it waits for the next run`,
    });
  }
  const hold = failureHold(
    { version: input.version },
    input.target,
    input.history,
    input.now,
    input.failureHoldDays ?? DEFAULT_FAILURE_HOLD_DAYS,
  );
  if (hold !== null) refusals.push({ code: 'HELD_AFTER_FAILURE', reason: hold });
  return refusals;
}

/** Lowest wave first, then the most severe, the fewest days left, then account, region, name. */
export function compareUpgradeUrgency(a: ClusterReport, b: ClusterReport): number {
  return (
    a.upgrade.wave - b.upgrade.wave ||
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    (a.deadline?.daysRemaining ?? Number.MAX_SAFE_INTEGER) - (b.deadline?.daysRemaining ?? Number.MAX_SAFE_INTEGER) ||
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    a.name.localeCompare(b.name)
  );
}

/** The target of a cluster the audit found eligible with somewhere to go, else null. */
function startableTarget(report: ClusterReport): Version | null {
  const { eligible, target, path } = report.upgrade;
  return eligible && path.length > 0 ? target : null;
}

/**
 * One decision per report, startable clusters first in {@link compareUpgradeUrgency} order: HELD_AFTER_FAILURE
 * when {@link failureHold} says so (it takes no room under the cap), else START while
 * `running + started < maxConcurrent`, then CAP_REACHED; every other cluster NOT_ELIGIBLE with its blocker codes.
 */
export function planDispatch(input: DispatchPlanInput): DispatchDecision[] {
  const cap = Math.max(0, Math.floor(input.maxConcurrent));
  let room = capRoom(input.running, cap);
  const startable = input.reports
    .flatMap((report) => {
      const target = startableTarget(report);
      return target === null ? [] : [{ report, target }];
    })
    .sort((a, b) => compareUpgradeUrgency(a.report, b.report));
  const decisions: DispatchDecision[] = startable.map(({ report, target }): DispatchDecision => {
    const hold = failureHold(
      report,
      target,
      input.history?.get(report.arn),
      input.now,
      input.failureHoldDays ?? DEFAULT_FAILURE_HOLD_DAYS,
    );
    if (hold !== null) return { report, code: 'HELD_AFTER_FAILURE', reason: hold, executionName: null, target };
    const executionName = upgradeExecutionName(report, target, input.now);
    const route = `${report.version} → ${report.upgrade.path.join(' → ')}`;
    if (room > 0) {
      room -= 1;
      return { report, code: 'START', reason: `eligible: upgrade ${route}`, executionName, target };
    }
    return {
      report,
      code: 'CAP_REACHED',
      reason: `eligible for ${route}, but the fleet-wide cap of ${cap} concurrent upgrades is reached (${input.running} were already running); it waits for the next run`,
      executionName,
      target,
    };
  });
  for (const report of input.reports) {
    if (startableTarget(report) !== null) continue;
    const blockers = report.upgrade.blockers.map((blocker) => blocker.code);
    decisions.push({
      report,
      code: 'NOT_ELIGIBLE',
      reason: blockers.length === 0 ? 'no upgrade path' : `blocked: ${blockers.join(', ')}`,
      executionName: null,
      target: null,
    });
  }
  return decisions;
}

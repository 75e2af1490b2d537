/**
 * Which upgrades the nightly run starts (DESIGN §1.4, §7): every cluster the audit found eligible, lowest wave and
 * most urgent first, while the fleet-wide cap on concurrent upgrades leaves room. The decision per cluster carries a
 * code and a reason; the adapter then starts the executions and learns which were already started today.
 */
import { SEVERITIES } from './types.ts';
import type { ClusterReport } from './report-types.ts';
import type { Version } from './types.ts';
import { upgradeExecutionName } from './upgrade-execution.ts';

/** Default fleet-wide cap on upgrades running at once. */
export const DEFAULT_MAX_CONCURRENT_UPGRADES = 5;

/** START: start an execution; NOT_ELIGIBLE: the audit found a blocker; CAP_REACHED: eligible, but no room tonight. */
export type DispatchCode = 'START' | 'NOT_ELIGIBLE' | 'CAP_REACHED';

/** The dispatch decision of one cluster: START and CAP_REACHED name the execution and its target. */
export type DispatchDecision =
  | {
      readonly report: ClusterReport;
      readonly code: 'START' | 'CAP_REACHED';
      readonly reason: string;
      readonly executionName: string;
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
export interface DispatchPlanInput {
  readonly reports: readonly ClusterReport[];
  /** Upgrades already running across the fleet (held, unexpired locks). */
  readonly running: number;
  readonly maxConcurrent: number;
  readonly now: Date;
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
 * One decision per report, startable clusters first in {@link compareUpgradeUrgency} order: START while
 * `running + started < maxConcurrent`, then CAP_REACHED; every other cluster NOT_ELIGIBLE with its blocker codes.
 */
export function planDispatch(input: DispatchPlanInput): DispatchDecision[] {
  const cap = Math.max(0, Math.floor(input.maxConcurrent));
  let room = Math.max(0, cap - input.running);
  const startable = input.reports
    .flatMap((report) => {
      const target = startableTarget(report);
      return target === null ? [] : [{ report, target }];
    })
    .sort((a, b) => compareUpgradeUrgency(a.report, b.report));
  const decisions: DispatchDecision[] = startable.map(({ report, target }) => {
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

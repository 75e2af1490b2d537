/**
 * `fleet-auditor plan [--simulate FLEET] [--now ISO] [--format table|json]`: every cluster's upgrade plan as the
 * nightly dispatcher would judge it now — target, path, wave and rollout group, whether it may start, every blocker with its reason, and
 * when its maintenance window next opens. Read-only.
 */
import type { AuditReport, ClusterReport } from '../core/report-types.ts';
import { auditExitCode } from './exit-status.ts';
import { openFleetSession } from './fleet-session.ts';
import type { CliIo } from './cli-io.ts';
import { phaseLines } from './plan-phase.ts';
import type { CliOptions } from './options.ts';
import { emit } from './output.ts';
import { Progress, auditProgress } from './progress.ts';
import { terminalSafe } from './terminal-text.ts';
import { isUpToDate, shownBlockers } from './upgrade-status.ts';
import { UsageError } from './usage.ts';
import { formatStrategy } from './format-strategy.ts';
import { storedRolloutGroup } from '../core/stored-wave-members.ts';

/** The JSON form of `plan` (version 1): each cluster's identity and its report's `upgrade` object. */
export interface PlanDocument {
  readonly schemaVersion: 1;
  readonly now: string;
  readonly clusters: readonly (Pick<ClusterReport, 'accountId' | 'region' | 'name' | 'arn' | 'version'> & {
    readonly upgrade: ClusterReport['upgrade'];
    readonly rollback?: ClusterReport['rollback'];
    readonly strategy?: ClusterReport['strategy'];
  })[];
  readonly errors: AuditReport['errors'];
  /** What degraded without failing (`CALENDAR_FALLBACK`, `ADDON_CATALOG_UNAVAILABLE`). */
  readonly warnings?: NonNullable<AuditReport['warnings']>;
}

/** The plan of every cluster of a report, in report order (account, region, name). */
export function planDocument(report: AuditReport): PlanDocument {
  return {
    schemaVersion: 1,
    now: report.now,
    clusters: report.clusters.map((c) => ({
      accountId: c.accountId,
      region: c.region,
      name: c.name,
      arn: c.arn,
      version: c.version,
      upgrade: c.upgrade,
      ...(c.rollback === undefined ? {} : { rollback: c.rollback }),
      strategy: c.strategy,
    })),
    errors: report.errors,
    warnings: report.warnings ?? [],
  };
}

function status(cluster: PlanDocument['clusters'][number]): string {
  const { upgrade } = cluster;
  if (upgrade.eligible) return 'ready';
  if (isUpToDate(upgrade)) return 'up to date';
  return upgrade.optedIn ? 'blocked' : 'not opted in';
}

/** The rollout group its waves are ordered within (`fleet-auditor/rollout-group`, default `default`); "-" when not opted in. */
function group(cluster: PlanDocument['clusters'][number]): string {
  return cluster.upgrade.optedIn ? storedRolloutGroup(cluster.upgrade) : '-';
}

/** Renders the plan as a table, each cluster's blockers indented under it. */
export function formatPlan(doc: PlanDocument): string {
  const header = [
    'CLUSTER',
    'ACCOUNT',
    'REGION',
    'VERSION',
    'TARGET',
    'PATH',
    'WAVE',
    'GROUP',
    'STATUS',
    'NEXT WINDOW',
  ];
  const rows = doc.clusters.map((c) =>
    [
      c.name,
      c.accountId,
      c.region,
      c.version,
      c.upgrade.target ?? '-',
      c.upgrade.path.length === 0 ? '-' : c.upgrade.path.join(' → '),
      String(c.upgrade.wave),
      group(c),
      status(c),
      c.upgrade.nextWindowStart ?? 'any time',
    ].map(terminalSafe),
  );
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header)];
  doc.clusters.forEach((cluster, index) => {
    lines.push(line(rows[index] ?? []));
    for (const phase of phaseLines(cluster.upgrade, cluster.rollback, new Date(doc.now))) {
      lines.push(terminalSafe(`    ${phase}`));
    }
    for (const blocker of shownBlockers(cluster.upgrade)) {
      lines.push(terminalSafe(`    ${blocker.code}: ${blocker.message}`));
    }
    if (cluster.strategy !== undefined) lines.push(...formatStrategy(cluster.strategy).map(terminalSafe));
  });
  for (const error of doc.errors) {
    lines.push(
      terminalSafe(`ERROR  ${error.accountId} ${error.region ?? '(all regions)'}  ${error.code}: ${error.message}`),
    );
  }
  for (const warning of doc.warnings ?? []) {
    const where = `${warning.accountId ?? '(all accounts)'} ${warning.region ?? '(all regions)'}`;
    lines.push(`WARNING  ${where}  ${warning.code}: ${warning.message}`);
  }
  const ready = doc.clusters.filter((c) => c.upgrade.eligible).length;
  const optedIn = doc.clusters.filter((c) => c.upgrade.optedIn).length;
  const upToDate = doc.clusters.filter((c) => isUpToDate(c.upgrade)).length;
  lines.push(
    `${doc.clusters.length} clusters; ${optedIn} opted in; ${ready} ready to upgrade now; ${upToDate} up to date; as of ${doc.now}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `plan`: reads the fleet, prints every cluster's upgrade plan. Exit codes as `audit`: 1 when no
 * account-region could be read, 3 when `--fail-on` is given and some cluster is at or above it.
 */
export async function plan(options: CliOptions, io: CliIo): Promise<number> {
  if (options.format !== 'table' && options.format !== 'json') {
    throw new UsageError(`plan --format: "${options.format}" is not one of table, json`);
  }
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const progress = new Progress({ stream: io.stderr, clock: io.clock });
    const { report, accountRegions } = await session.audit(now, auditProgress(progress));
    progress.finish();
    const doc = planDocument(report);
    await emit(options, io, options.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : formatPlan(doc));
    const coverage = { read: accountRegions.length, planned: session.accounts.length * session.regions.length };
    return auditExitCode(report, coverage, options.failOn, io);
  } finally {
    await session.close();
  }
}

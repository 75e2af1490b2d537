/**
 * The human view of an audit: one line per cluster, most urgent first, then the errors and a summary line.
 * Colour only when writing to a terminal.
 */
import type { AddonReport, AuditReport, ClusterReport } from '../core/report-types.ts';
import { SEVERITIES } from '../core/types.ts';
import type { Severity } from '../core/types.ts';
import { terminalSafe } from './terminal-text.ts';
import { isUpToDate, shownBlockers } from './upgrade-status.ts';

const COLOURS: Record<Severity, string> = {
  OK: '\x1b[32m',
  NOTICE: '\x1b[36m',
  WARNING: '\x1b[33m',
  CRITICAL: '\x1b[31m',
  EXPIRED: '\x1b[1;31m',
};
const RESET = '\x1b[0m';

/** Most urgent first: severity, then fewest days left, then account/region/name. */
export function byUrgency(a: ClusterReport, b: ClusterReport): number {
  const severity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  if (severity !== 0) return severity;
  const days = (a.deadline?.daysRemaining ?? -Infinity) - (b.deadline?.daysRemaining ?? -Infinity);
  if (days !== 0) return days;
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name);
}

/** An add-on that is incompatible now, or must move before the next minor (when that minor is published). */
export function needsUpdate(addon: AddonReport): boolean {
  return addon.compatible === false || (addon.compatibleWithNext === false && addon.recommendedForNext !== null);
}

function deadlineText(cluster: ClusterReport): string {
  if (cluster.deadline === null) return 'not in calendar';
  const what = cluster.deadline.consequence === 'AUTO_UPGRADE' ? 'auto-upgrade' : 'ext. billing';
  return `${cluster.deadline.date} ${what}`;
}

/** The UPGRADE cell of a cluster in an upgrade phase (the stored fleet's report), else null. */
function phaseText(cluster: ClusterReport): string | null {
  const { phase, bakeUntil } = cluster.upgrade;
  if (phase === 'BAKING') return bakeUntil === undefined ? 'baking' : `baking until ${bakeUntil.slice(0, 16)}Z`;
  if (phase === 'ROLLING_BACK') return 'rolling back';
  if (phase === 'HELD_AFTER_ROLLBACK') return 'held after rollback';
  return null;
}

function upgradeText(cluster: ClusterReport): string {
  const { upgrade } = cluster;
  const phase = phaseText(cluster);
  if (phase !== null) return phase;
  const target = upgrade.target === null ? '' : `→${upgrade.target}`;
  if (upgrade.eligible) return `ready ${[cluster.version, ...upgrade.path].join('→')}`;
  if (isUpToDate(upgrade)) return 'up to date';
  if (!upgrade.optedIn) return `manual ${target}`.trim();
  return `blocked ${shownBlockers(upgrade)
    .map((b) => b.code)
    .join(',')}`;
}

/** `name (id)` when the account's name is known, else its id. */
function accountText(cluster: ClusterReport): string {
  return cluster.accountName === undefined || cluster.accountName === null
    ? cluster.accountId
    : `${cluster.accountName} (${cluster.accountId})`;
}

function row(cluster: ClusterReport): string[] {
  const maxSkew = Math.max(0, ...cluster.nodegroups.map((ng) => ng.skew ?? 0));
  const staleAddons = cluster.addons.filter(needsUpdate).length;
  return [
    cluster.severity,
    accountText(cluster),
    cluster.region,
    cluster.name,
    cluster.owner ?? '-',
    cluster.version,
    cluster.supportType.toLowerCase(),
    cluster.supportStatus.replace('_SUPPORT', '').toLowerCase(),
    deadlineText(cluster),
    cluster.deadline === null ? '-' : String(cluster.deadline.daysRemaining),
    cluster.extendedSupportMonthlyUsd === 0 ? '-' : `$${cluster.extendedSupportMonthlyUsd}`,
    cluster.nodegroups.length === 0 ? '-' : `${cluster.nodegroups.length} (skew ${maxSkew})`,
    cluster.addons.length === 0 ? '-' : `${staleAddons}/${cluster.addons.length}`,
    upgradeText(cluster),
  ].map(terminalSafe);
}

const HEADER = [
  'SEVERITY',
  'ACCOUNT',
  'REGION',
  'CLUSTER',
  'OWNER',
  'VERSION',
  'POLICY',
  'SUPPORT',
  'DEADLINE',
  'DAYS',
  'EXT $/MO',
  'NODEGROUPS',
  'ADDONS TO UPDATE',
  'UPGRADE',
];

/** Marked clusters (a stored fleet's report) listed at most this many, the rest counted. */
const STALE_LISTED = 10;

/**
 * One `STALE` line per cluster shown at its last known state (reports of the stored fleet: `nightly`), with the
 * code (TARGET_UNREADABLE, OUT_OF_SCOPE), when it was last seen and why.
 */
function staleLines(report: AuditReport): string[] {
  const marked = report.clusters.filter((c) => c.stale !== undefined);
  const lines = marked
    .slice(0, STALE_LISTED)
    .map((c) =>
      terminalSafe(
        `STALE  ${c.name} (${c.accountId}, ${c.region}) ${c.stale?.code ?? ''}, last seen ${c.stale?.lastSeen ?? '?'}: ` +
          `${c.stale?.reason ?? ''}`,
      ),
    );
  if (marked.length > STALE_LISTED) lines.push(`STALE  … and ${marked.length - STALE_LISTED} more`);
  return lines;
}

/** Renders the report as an aligned text table. */
export function formatTable(report: AuditReport, options: { colour: boolean }): string {
  const clusters = [...report.clusters].sort(byUrgency);
  const rows = [HEADER, ...clusters.map(row)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r, index) => {
    const text = r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
    const severity = clusters[index - 1]?.severity;
    return options.colour && severity !== undefined ? `${COLOURS[severity]}${text}${RESET}` : text;
  });
  for (const error of report.errors) {
    lines.push(
      terminalSafe(`ERROR  ${error.accountId} ${error.region ?? '(all regions)'}  ${error.code}: ${error.message}`),
    );
  }
  for (const warning of report.warnings ?? []) {
    const where = `${warning.accountId ?? '(all accounts)'} ${warning.region ?? '(all regions)'}`;
    lines.push(`WARNING  ${where}  ${warning.code}: ${warning.message}`);
  }
  const partial = report.clusters.filter((cluster) => (cluster.partial ?? []).length > 0);
  if (partial.length > 0) {
    const named = partial.map((c) => `${c.name} (${(c.partial ?? []).map((p) => p.operation).join(', ')})`);
    const more = named.length > 5 ? `; and ${named.length - 5} more` : '';
    lines.push(`PARTIAL  ${partial.length} cluster(s) read in part: ${named.slice(0, 5).join('; ')}${more}`);
  }
  lines.push(...staleLines(report));
  // The stored fleet's upgrades between executions: what each phase is, and the signal a cluster is held after.
  for (const c of report.clusters.filter((cluster) => cluster.upgrade.phaseReason !== undefined)) {
    lines.push(terminalSafe(`PHASE  ${c.name} (${c.accountId}, ${c.region}): ${c.upgrade.phaseReason ?? ''}`));
  }
  const { summary } = report;
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0)
    .reverse()
    .map((s) => `${summary.bySeverity[s]} ${s}`)
    .join(', ');
  lines.push(
    `${summary.clusters} clusters${counts === '' ? '' : ` (${counts})`}; extended support $${summary.extendedSupportMonthlyUsd}/month; ` +
      `${summary.errors} ${summary.errors === 1 ? 'error' : 'errors'}; as of ${report.now}`,
  );
  return `${lines.join('\n')}\n`;
}

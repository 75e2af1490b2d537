/**
 * The clusters: the most urgent first (in a large fleet), then every cluster grouped by account in folded sections,
 * each with what to do next. A large fleet keeps each row short (actions without their reasons, no finding texts;
 * the JSON report has every word) so 5,000 clusters stay a file a browser opens at once.
 */
import { nextActions } from '../../core/next-actions.ts';
import type { NextActionsOptions } from '../../core/next-actions.ts';
import type { AuditReport, ClusterReport } from '../../core/report-types.ts';
import { byUrgency } from '../format-table.ts';
import { escapeHtml as e } from './escape.ts';
import {
  accountLabel,
  accountNames,
  badge,
  countBySeverity,
  severityBar,
  URGENT_FIRST,
  usd,
  worstOf,
} from './parts.ts';
import { clusterExtras } from './report-extras.ts';

/** Fleets up to this size show every account open and no separate "most urgent" list. */
export const OPEN_LIMIT = 40;
/** Fleets up to this size show every action's reason and every finding's text. */
export const DETAIL_LIMIT = 400;
/** How many clusters the "most urgent" list of a large fleet shows. */
export const URGENT_COUNT = 20;

function deadlineCell(c: ClusterReport): string {
  if (c.deadline === null) return '<div>–<small>not in the support calendar</small></div>';
  const what = c.deadline.consequence === 'AUTO_UPGRADE' ? 'auto-upgrade' : 'extended billing';
  const days = c.deadline.daysRemaining;
  const when = days < 0 ? `${-days} d ago` : days === 0 ? 'today' : `in ${days} d`;
  return `<div>${e(c.deadline.date)}<small>${what} · ${when}</small></div>`;
}

function tags(c: ClusterReport): string {
  const x = clusterExtras(c);
  const out: string[] = [];
  if (x.owner !== null) out.push(`<span class="tag">owner ${e(x.owner)}</span>`);
  if (c.upgrade.optedIn) out.push(`<span class="tag">auto-upgrade · wave ${c.upgrade.wave}</span>`);
  if (x.phase !== null)
    out.push(
      x.phase !== 'BAKING' && x.phaseReason !== null
        ? `<span class="tag NOTICE">${e(x.phaseReason)}</span>`
        : `<span class="tag NOTICE"${x.phaseReason === null ? '' : ` title="${e(x.phaseReason)}"`}>${e(x.phase)}${x.bakeUntil === null ? '' : ` until ${e(x.bakeUntil.slice(0, 16))}`}</span>`,
    );
  if (x.rollback?.available === true && x.rollback.toVersion !== null) {
    out.push(
      `<span class="tag">rollback to ${e(x.rollback.toVersion)}${x.rollback.until === null ? '' : ` until ${e(x.rollback.until.slice(0, 10))}`}</span>`,
    );
  }
  if (x.strategy?.recommended === 'BLUE_GREEN') out.push('<span class="tag WARNING">blue/green recommended</span>');
  return out.length === 0 ? '' : `<div class="tags">${out.join('')}</div>`;
}

function actionsCell(c: ClusterReport, detailed: boolean, options: NextActionsOptions): string {
  const items = nextActions(c, options).map((a) => {
    const actor = a.actor === 'OWNER' ? 'o' : 'a';
    if (!detailed) return `<li class="${actor}">${e(a.action)}</li>`;
    return `<li class="${actor}" data-code="${a.code}">${e(a.action)}<span class="why">${e(a.reason)}</span></li>`;
  });
  return `<ol class="na na-c">${items.join('')}</ol>`;
}

function findingsCell(c: ClusterReport, detailed: boolean): string {
  const n = c.findings.length;
  if (n === 0 || !detailed) return '';
  const items = c.findings
    .map((f) => `<li>${badge(f.severity)} <code>${e(f.code)}</code> ${e(f.message)}</li>`)
    .join('');
  return `<details class="fd"><summary>${n} finding${n === 1 ? '' : 's'}</summary><ul>${items}</ul></details>`;
}

function clusterRow(
  c: ClusterReport,
  detailed: boolean,
  withAccount: string | null,
  options: NextActionsOptions,
): string {
  const where = withAccount === null ? e(c.region) : `${withAccount} · ${e(c.region)}`;
  const money = c.extendedSupportMonthlyUsd === 0 ? '' : `${usd(c.extendedSupportMonthlyUsd)}<small>/month</small>`;
  return (
    `<div class="cl ${c.severity}">${badge(c.severity)}` +
    `<div class="nm"><b>${e(c.name)}</b><small>${where}</small>${tags(c)}</div>` +
    `<div>${e(c.version)}<small>${c.supportType} policy</small></div>${deadlineCell(c)}<div class="usd">${money}</div>` +
    `${actionsCell(c, detailed, options)}${findingsCell(c, detailed)}</div>`
  );
}

const HEADER =
  '<div class="cl hdr"><div>Severity</div><div>Cluster</div><div>Version</div><div>Deadline</div><div>Extra cost</div><div>What to do next</div></div>';

/** The "most urgent" list (large fleets only) and the per-account sections. */
export function clustersHtml(report: AuditReport, options: NextActionsOptions = {}): string {
  const total = report.clusters.length;
  if (total === 0)
    return '<section id="clusters"><h2>Clusters</h2><div class="panel mut">No clusters were found.</div></section>';
  const detailed = total <= DETAIL_LIMIT;
  const names = accountNames(report);
  const parts: string[] = [];
  if (total > OPEN_LIMIT) {
    const urgent = [...report.clusters]
      .filter((c) => c.severity !== 'OK')
      .sort(byUrgency)
      .slice(0, URGENT_COUNT);
    if (urgent.length > 0) {
      const rows = urgent.map((c) => clusterRow(c, true, accountLabel(c.accountId, names), options)).join('');
      parts.push(
        `<section id="urgent"><h2>Act first: the ${urgent.length} most urgent clusters</h2><div class="urgent">${HEADER}${rows}</div></section>`,
      );
    }
  }
  const byAccount = new Map<string, ClusterReport[]>();
  for (const c of report.clusters) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
  const groups = [...byAccount.entries()].sort(([ia, a], [ib, b]) => {
    const ca = countBySeverity(a);
    const cb = countBySeverity(b);
    for (const s of URGENT_FIRST) if (ca[s] !== cb[s]) return cb[s] - ca[s];
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const open = total <= OPEN_LIMIT ? ' open' : '';
  const sections = groups.map(([accountId, clusters]) => {
    const counts = countBySeverity(clusters);
    const money = clusters.reduce((sum, c) => sum + c.extendedSupportMonthlyUsd, 0);
    const rows = [...clusters].sort(byUrgency).map((c) => clusterRow(c, detailed, null, options));
    return (
      `<details class="acct"${open} data-account="${e(accountId)}"><summary>${badge(worstOf(counts))} ${accountLabel(accountId, names)}` +
      `<span class="mut">${clusters.length} cluster${clusters.length === 1 ? '' : 's'}${money > 0 ? ` · ${usd(money)}/month` : ''}</span>` +
      `${severityBar(counts, 'mini')}</summary>${HEADER}${rows.join('')}</details>`
    );
  });
  const note = detailed
    ? ''
    : `<p class="mut">Large fleet: rows list actions without their reasons, and no finding texts; every message is in <code>--format json</code>.</p>`;
  return `${parts.join('')}<section id="clusters"><h2>All clusters by account</h2>${note}${sections.join('')}</section>`;
}

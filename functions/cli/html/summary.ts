/** The top of the report: title, what could not be read (first, so nobody misses it), and the summary cards. */
import type { AuditReport } from '../../core/report-types.ts';
import type { Severity } from '../../core/types.ts';
import { escapeHtml as e } from './escape.ts';
import { accountLabel, accountNames, badge, instantText, severityBar, URGENT_FIRST, usd } from './parts.ts';
import { reportWarnings } from './report-extras.ts';

/** Errors and warnings lists show this many lines before folding the rest. */
const SHOWN = 8;

function foldedList(items: readonly string[]): string {
  const shown = items.slice(0, SHOWN).map((i) => `<li>${i}</li>`);
  const rest = items.slice(SHOWN).map((i) => `<li>${i}</li>`);
  const more =
    rest.length === 0 ? '' : `<details><summary>${rest.length} more</summary><ul>${rest.join('')}</ul></details>`;
  return `<ul>${shown.join('')}</ul>${more}`;
}

/** The dark title band. */
export function headerHtml(report: AuditReport): string {
  const legend = URGENT_FIRST.map(badge).join('');
  return `<header class="top"><div><div><h1>EKS fleet audit</h1><p>As of ${e(instantText(report.now))} · generated ${e(
    instantText(report.generatedAt),
  )}</p></div><div class="legend" aria-label="severity legend">${legend}</div></div></header>`;
}

/** Unreadable accounts/regions (red) and degraded reads (amber), right under the title. */
export function alertsHtml(report: AuditReport): string {
  const names = accountNames(report);
  const parts: string[] = [];
  if (report.errors.length > 0) {
    const n = report.errors.length;
    const items = report.errors.map(
      (err) =>
        `${accountLabel(err.accountId, names)} · ${e(err.region ?? 'all regions')} — <code>${e(err.code)}</code> ${e(err.message)}`,
    );
    parts.push(
      `<section class="alert err" id="errors" role="alert"><h2>${n} account${n === 1 ? '' : 's'}/region${n === 1 ? '' : 's'} not audited</h2>` +
        `<div>Their clusters are missing from every figure below; fix access and run the audit again.</div>${foldedList(items)}</section>`,
    );
  }
  const warnings = reportWarnings(report);
  if (warnings.length > 0) {
    const items = warnings.map((w) => {
      const where = [
        w.accountId === null ? null : accountLabel(w.accountId, names),
        w.region === null ? null : e(w.region),
      ]
        .filter((x) => x !== null)
        .join(' · ');
      return `${where === '' ? '' : `${where} — `}<code>${e(w.code)}</code> ${e(w.message)}`;
    });
    parts.push(
      `<section class="alert warn" id="warnings"><h2>${warnings.length} degraded read${warnings.length === 1 ? '' : 's'}</h2>` +
        `<div>The audit went on with fallbacks; figures that depend on them may be less exact.</div>${foldedList(items)}</section>`,
    );
  }
  const stale = report.clusters.filter((c) => c.stale !== undefined);
  if (stale.length > 0) {
    const items = stale.map(
      (c) =>
        `${e(c.name)} · ${accountLabel(c.accountId, names)} · ${e(c.region)} — <code>${e(c.stale?.code ?? '')}</code> ` +
        `last seen ${e(instantText(c.stale?.lastSeen ?? ''))}: ${e(c.stale?.reason ?? '')}`,
    );
    parts.push(
      `<section class="alert warn" id="stale"><h2>${stale.length} cluster${stale.length === 1 ? '' : 's'} at their last known state</h2>` +
        '<div>Not read by this run; an OUT_OF_SCOPE cluster is no longer audited and leaves the cost total.</div>' +
        `${foldedList(items)}</section>`,
    );
  }
  return parts.join('');
}

/** $ at risk, clusters, errors, then one tile per severity. */
export function cardsHtml(report: AuditReport): string {
  const { summary } = report;
  const billed = report.clusters.filter((c) => c.extendedSupportMonthlyUsd > 0).length;
  const accounts = new Set(report.clusters.map((c) => c.accountId)).size;
  const regions = new Set(report.clusters.map((c) => `${c.region}`)).size;
  const tiles = URGENT_FIRST.map((s: Severity) => {
    const n = summary.bySeverity[s];
    const share = summary.clusters === 0 ? 0 : Math.round((n / summary.clusters) * 100);
    return `<div class="tile ${s}" data-severity="${s}">${badge(s)}<div class="v">${n.toLocaleString('en-US')}</div><small>${share}% of clusters</small></div>`;
  });
  return (
    `<section aria-label="summary"><div class="cards">` +
    `<div class="card" id="card-usd"><div class="k">Extended support at risk</div><div class="v">${usd(summary.extendedSupportMonthlyUsd)}<small>/month</small></div>` +
    `<small>${usd(summary.extendedSupportMonthlyUsd * 12)} a year · ${billed.toLocaleString('en-US')} cluster${billed === 1 ? '' : 's'} billed</small></div>` +
    `<div class="card" id="card-clusters"><div class="k">Clusters audited</div><div class="v">${summary.clusters.toLocaleString('en-US')}</div>` +
    `<small>${accounts} account${accounts === 1 ? '' : 's'} · ${regions} region${regions === 1 ? '' : 's'}</small></div>` +
    `<div class="card${summary.errors > 0 ? ' bad' : ''}" id="card-errors"><div class="k">Not audited</div><div class="v">${summary.errors}</div>` +
    `<small>${summary.errors === 0 ? 'every account-region was read' : '<a href="#errors">account-regions unreadable</a>'}</small></div>` +
    `</div><div class="sevs">${tiles.join('')}</div>${severityBar(summary.bySeverity, 'bar')}</section>`
  );
}

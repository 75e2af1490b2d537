/** Small shared pieces of the HTML report: severity badges, money, dates, account labels. */
import type { AuditReport, ClusterReport } from '../../core/report-types.ts';
import { SEVERITIES } from '../../core/types.ts';
import type { Severity } from '../../core/types.ts';
import { escapeHtml as e } from './escape.ts';
import { clusterExtras } from './report-extras.ts';

/** Most urgent first. */
export const URGENT_FIRST: readonly Severity[] = [...SEVERITIES].reverse();

/** A severity as a coloured badge that also says its name (never colour alone). */
export function badge(severity: Severity): string {
  return `<span class="sev ${e(severity)}">${e(severity)}</span>`;
}

/** `$1,095` */
export function usd(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

/** Whole UTC days since 1970 of a `YYYY-MM-DD` date (or the date part of an instant). */
export function dayOf(date: string): number {
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** `2026-11-22 12:00 UTC` */
export function instantText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Severity counts of some clusters, in {@link SEVERITIES} order. */
export function countBySeverity(clusters: readonly ClusterReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { OK: 0, NOTICE: 0, WARNING: 0, CRITICAL: 0, EXPIRED: 0 };
  for (const c of clusters) counts[c.severity] += 1;
  return counts;
}

/** The worst severity among the counts (OK when empty). */
export function worstOf(counts: Readonly<Record<Severity, number>>): Severity {
  return URGENT_FIRST.find((s) => counts[s] > 0) ?? 'OK';
}

/** A proportional bar of severity counts, with the counts spelled out for screen readers and tooltips. */
export function severityBar(counts: Readonly<Record<Severity, number>>, className: string): string {
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
  const label = URGENT_FIRST.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const parts = URGENT_FIRST.filter((s) => counts[s] > 0).map(
    (s) => `<span class="${s}" style="width:${((counts[s] / Math.max(total, 1)) * 100).toFixed(2)}%"></span>`,
  );
  return `<div class="${className}" role="img" aria-label="${e(label || 'no clusters')}" title="${e(label || 'no clusters')}">${parts.join('')}</div>`;
}

/** Account id → its name, from the clusters that carry one. */
export function accountNames(report: AuditReport): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of report.clusters) {
    const name = clusterExtras(c).accountName;
    if (name !== null && !names.has(c.accountId)) names.set(c.accountId, name);
  }
  return names;
}

/** `payments-prod <small>210987654321</small>`, or the id alone. */
export function accountLabel(accountId: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(accountId);
  return name === undefined ? `<b>${e(accountId)}</b>` : `<b>${e(name)}</b> <small>${e(accountId)}</small>`;
}

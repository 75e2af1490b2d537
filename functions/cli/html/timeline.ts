/**
 * The deadline timeline: each cluster (or, in a large fleet, each Kubernetes version) on a calendar axis, with its
 * standard and extended support drawn as bands, its effective deadline as a diamond, and today as a line. Plain
 * HTML and CSS (percent positions), so it reflows on a phone and needs no script or image.
 */
import type { AuditReport, ClusterReport } from '../../core/report-types.ts';
import { compareVersions, isVersion } from '../../core/versions.ts';
import type { Severity } from '../../core/types.ts';
import { byUrgency } from '../format-table.ts';
import { escapeHtml as e } from './escape.ts';
import { badge, countBySeverity, dayOf, worstOf } from './parts.ts';

/** Up to this many clusters get one row each; above it, one row per version. */
export const TIMELINE_CLUSTER_ROWS = 16;

interface Row {
  readonly label: string;
  readonly sub: string;
  readonly severity: Severity;
  readonly endOfStandard: string | null;
  readonly endOfExtended: string | null;
  /** True when after end of standard support AWS upgrades (STANDARD policy) instead of billing extended support. */
  readonly standardPolicy: boolean;
  readonly deadline: string | null;
}

interface Axis {
  readonly start: number;
  readonly end: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function quarterStart(day: number, after: boolean): number {
  const d = new Date(day * 86_400_000);
  const q = Math.floor(d.getUTCMonth() / 3) * 3 + (after ? 3 : 0);
  return dayOf(new Date(Date.UTC(d.getUTCFullYear(), q, 1)).toISOString());
}

function axisFor(rows: readonly Row[], today: number): Axis {
  const ends = rows.flatMap((r) => [r.endOfExtended, r.endOfStandard]).filter((d): d is string => d !== null);
  const latest = Math.max(today + 365, ...ends.map(dayOf));
  return { start: quarterStart(today - 365, false), end: quarterStart(Math.min(latest + 45, today + 3 * 365), true) };
}

function pct(axis: Axis, day: number): number {
  return Math.min(100, Math.max(0, ((day - axis.start) / (axis.end - axis.start)) * 100));
}

function span(className: string, axis: Axis, from: number, to: number, title: string): string {
  const left = pct(axis, from);
  const width = pct(axis, to) - left;
  if (width <= 0) return '';
  return `<span class="seg ${className}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${e(title)}"></span>`;
}

function track(row: Row, axis: Axis, today: number): string {
  const parts: string[] = [];
  const eos = row.endOfStandard === null ? null : dayOf(row.endOfStandard);
  const eoe = row.endOfExtended === null ? null : dayOf(row.endOfExtended);
  if (eos !== null) {
    parts.push(span('std', axis, axis.start, eos, `standard support until ${row.endOfStandard}`));
    if (eoe !== null) {
      parts.push(
        row.standardPolicy
          ? span('auto', axis, eos, eoe, `STANDARD policy: AWS auto-upgrades after ${row.endOfStandard}`)
          : span('ext', axis, eos, eoe, `extended support (billed) until ${row.endOfExtended}`),
      );
      parts.push(span('eol', axis, eoe, axis.end, `unsupported after ${row.endOfExtended}`));
    }
  } else {
    parts.push(span('eol', axis, axis.start, axis.end, 'not in the EKS support calendar'));
  }
  parts.push(`<span class="today" style="left:${pct(axis, today).toFixed(2)}%"></span>`);
  if (row.deadline !== null) {
    parts.push(
      `<span class="mk ${row.severity}" style="left:${pct(axis, dayOf(row.deadline)).toFixed(2)}%" title="${e(`deadline ${row.deadline}`)}"></span>`,
    );
  }
  return `<div class="tl-track">${parts.join('')}</div>`;
}

function axisRow(axis: Axis, today: number, todayText: string): string {
  const ticks: string[] = [];
  for (let day = axis.start; day < axis.end; day = quarterStart(day, true)) {
    const d = new Date(day * 86_400_000);
    const month = d.getUTCMonth();
    const text = month === 0 ? String(d.getUTCFullYear()) : (MONTHS[month] ?? '');
    if (day > axis.start)
      ticks.push(`<span class="${month === 0 ? 'y' : 'q'}" style="left:${pct(axis, day).toFixed(2)}%">${text}</span>`);
  }
  ticks.push(`<span class="tday" style="left:${pct(axis, today).toFixed(2)}%">Today ${e(todayText)}</span>`);
  return `<div class="tl-row tl-axis"><div class="tl-label"></div><div class="tl-track">${ticks.join('')}</div></div>`;
}

function clusterRow(c: ClusterReport): Row {
  const deadline =
    c.deadline === null
      ? 'not in the support calendar'
      : `${c.deadline.date} ${c.deadline.consequence === 'AUTO_UPGRADE' ? 'auto-upgrade' : 'extended billing'}`;
  return {
    label: `${badge(c.severity)} <b>${e(c.name)}</b>`,
    sub: `${e(c.version)} · ${e(c.region)} · ${e(deadline)}`,
    severity: c.severity,
    endOfStandard: c.endOfStandardSupport,
    endOfExtended: c.endOfExtendedSupport,
    standardPolicy: c.supportType === 'STANDARD',
    deadline: c.deadline?.date ?? null,
  };
}

function versionRows(clusters: readonly ClusterReport[]): Row[] {
  const groups = new Map<string, ClusterReport[]>();
  for (const c of clusters) groups.set(c.version, [...(groups.get(c.version) ?? []), c]);
  const versions = [...groups.keys()].sort((a, b) =>
    isVersion(a) && isVersion(b) ? compareVersions(a, b) : a < b ? -1 : a > b ? 1 : 0,
  );
  return versions.map((version) => {
    const members = groups.get(version) ?? [];
    const counts = countBySeverity(members);
    const worst = worstOf(counts);
    const dated = members.find((c) => c.endOfStandardSupport !== null);
    const standard = members.filter((c) => c.supportType === 'STANDARD').length;
    const mix = (['EXPIRED', 'CRITICAL', 'WARNING'] as const)
      .filter((s) => counts[s] > 0)
      .map((s) => `${counts[s]} ${s}`)
      .join(', ');
    return {
      label: `${badge(worst)} <b>Kubernetes ${e(version)}</b>`,
      sub: `${members.length} cluster${members.length === 1 ? '' : 's'}${mix === '' ? '' : ` · ${mix}`}${standard > 0 ? ` · ${standard} STANDARD policy` : ''}`,
      severity: worst,
      endOfStandard: dated?.endOfStandardSupport ?? null,
      endOfExtended: dated?.endOfExtendedSupport ?? null,
      standardPolicy: standard === members.length,
      deadline: dated?.endOfStandardSupport ?? null,
    };
  });
}

/** The timeline section. */
export function timelineHtml(report: AuditReport): string {
  if (report.clusters.length === 0) return '';
  const today = dayOf(report.now);
  const perCluster = report.clusters.length <= TIMELINE_CLUSTER_ROWS;
  const rows = perCluster ? [...report.clusters].sort(byUrgency).map(clusterRow) : versionRows(report.clusters);
  const axis = axisFor(rows, today);
  const body = rows
    .map(
      (row) =>
        `<div class="tl-row"><div class="tl-label">${row.label}<small>${row.sub}</small></div>${track(row, axis, today)}</div>`,
    )
    .join('');
  const legend =
    '<div class="tl-legend"><span><i class="seg std"></i>standard support</span><span><i class="seg ext"></i>extended support (billed)</span>' +
    '<span><i class="seg auto"></i>STANDARD policy: AWS auto-upgrade</span><span><i class="seg eol"></i>end of support</span>' +
    `<span><i style="background:#0f1b2d;width:2px"></i>today</span><span>◆ ${perCluster ? 'effective deadline' : 'end of standard support'}</span></div>`;
  const title = perCluster ? 'Deadline timeline' : 'Deadline timeline by Kubernetes version';
  return `<section id="timeline"><h2>${title}</h2><div class="panel">${axisRow(axis, today, report.now.slice(0, 10))}${body}${legend}</div></section>`;
}

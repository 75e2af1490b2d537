/** The audit as one self-contained HTML page (no scripts, no external assets) to mail or publish. */
import type { AuditReport } from '../core/report-types.ts';
import { SEVERITIES } from '../core/types.ts';
import { byUrgency } from './format-table.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
.EXPIRED{background:#fdd}.CRITICAL{background:#fee}.WARNING{background:#fff6dd}.NOTICE{background:#eef7ff}
ul{margin:0;padding-left:1rem}`;

/** Renders the report as an HTML page, most urgent clusters first. */
export function formatHtml(report: AuditReport): string {
  const e = escapeHtml;
  const counts = SEVERITIES.map((s) => `${s} ${report.summary.bySeverity[s]}`).join(' · ');
  const rows = [...report.clusters].sort(byUrgency).map((c) => {
    const findings = c.findings.map((f) => `<li>${e(f.code)}: ${e(f.message)}</li>`).join('');
    const blockers = c.upgrade.blockers.map((b) => `<li>${e(b.code)}: ${e(b.message)}</li>`).join('');
    const deadline =
      c.deadline === null
        ? 'not in calendar'
        : `${c.deadline.date} ${c.deadline.consequence} (${c.deadline.daysRemaining} d)`;
    return (
      `<tr class="${c.severity}"><td>${c.severity}</td><td>${e(c.accountId)}<br>${e(c.region)}</td><td>${e(c.name)}</td>` +
      `<td>${e(c.version)}</td><td>${e(deadline)}</td><td>${c.extendedSupportMonthlyUsd}</td>` +
      `<td><ul>${findings}</ul></td><td>${c.upgrade.path.map(e).join(' → ')}<ul>${blockers}</ul></td></tr>`
    );
  });
  const errors = report.errors.map(
    (err) => `<li>${e(err.accountId)} ${e(err.region ?? 'all regions')}: ${e(err.code)} — ${e(err.message)}</li>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EKS fleet audit ${e(report.now)}</title><style>${STYLE}</style></head>
<body><h1>EKS fleet audit</h1>
<p>${report.summary.clusters} clusters as of ${e(report.now)} — ${counts} — extended support $${report.summary.extendedSupportMonthlyUsd}/month</p>
<table><thead><tr><th>Severity</th><th>Account / region</th><th>Cluster</th><th>Version</th><th>Deadline</th><th>Ext. $/month</th><th>Findings</th><th>Upgrade</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${errors.length === 0 ? '' : `<h2>Not audited</h2><ul>${errors.join('')}</ul>`}
</body></html>
`;
}

/**
 * The audit as one self-contained HTML dashboard to forward: what could not be read, summary cards, a deadline
 * timeline, roll-ups by account and owner, and what to do next per cluster. Inline CSS only (no script, no network),
 * so it opens the same in a browser, a mail client or a locked-down viewer. Every string from the report is escaped.
 */
import type { NextActionsOptions } from '../core/next-actions.ts';
import type { AuditReport } from '../core/report-types.ts';
import { clustersHtml } from './html/clusters.ts';
import { escapeHtml } from './html/escape.ts';
import { instantText } from './html/parts.ts';
import { rollupHtml } from './html/rollup.ts';
import { STYLE } from './html/styles.ts';
import { alertsHtml, cardsHtml, headerHtml } from './html/summary.ts';
import { timelineHtml } from './html/timeline.ts';

export { escapeHtml };

/** Renders the report as an HTML page; `options.tagPrefix` names the opt-in tags in the advice. */
export function formatHtml(report: AuditReport, options: NextActionsOptions = {}): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>EKS fleet audit ${e(instantText(report.now))}</title><style>${STYLE}</style></head>
<body>${headerHtml(report)}<main>
${alertsHtml(report)}
${cardsHtml(report)}
${timelineHtml(report)}
${rollupHtml(report)}
${clustersHtml(report, options)}
<footer>fleet-auditor report, schema version ${report.schemaVersion}. Severity colours always come with their names; the JSON format (<code>--format json</code>) carries every field.</footer>
</main></body></html>
`;
}

/** `fleet-auditor audit`: the report of the whole-fleet audit, in the chosen format. */
import type { AuditReport } from '../core/report-types.ts';
import { formatCsv } from './format-csv.ts';
import { formatHtml } from './format-html.ts';
import { formatTable } from './format-table.ts';
import type { Format } from './options.ts';
import { UsageError } from './usage.ts';

/** Renders a report in one of the CLI's formats. */
export function renderReport(report: AuditReport, format: Format, colour: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return formatCsv(report);
    case 'html':
      return formatHtml(report);
    case 'table':
      return formatTable(report, { colour });
    case 'eksctl':
      throw new UsageError('--format eksctl is for blue-green only; audit takes table, json, csv or html');
  }
}

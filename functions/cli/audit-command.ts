/** `fleet-auditor audit`: read the fleet, judge every cluster, print the report in the chosen format. */
import { buildAuditReport } from '../core/audit-report.ts';
import type { AuditReport } from '../core/report-types.ts';
import type { FleetRead } from '../adapters/fleet-reader.ts';
import { formatCsv } from './format-csv.ts';
import { formatHtml } from './format-html.ts';
import { formatTable } from './format-table.ts';
import type { Format } from './options.ts';
import { UsageError } from './usage.ts';

/** Turns what the fleet reader returned into the report (pure assembly, done by the core). */
export function reportFromRead(read: FleetRead, now: Date, tagPrefix: string): AuditReport {
  return buildAuditReport({
    regions: read.targets.flatMap((target) =>
      target.inventory === null || target.catalog === null
        ? []
        : [{ clusters: target.inventory.clusters, calendar: target.catalog.calendar, catalog: target.catalog.catalog }],
    ),
    errors: read.errors,
    now,
    tagPrefix,
  });
}

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

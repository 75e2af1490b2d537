/** `fleet-auditor audit`: the report of the whole-fleet audit, in the chosen format. */
import type { AuditReport } from '../core/report-types.ts';
import { colourWanted } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';
import { auditExitCode } from './exit-status.ts';
import { openFleetSession } from './fleet-session.ts';
import { formatCsv } from './format-csv.ts';
import { formatHtml } from './format-html.ts';
import { formatTable } from './format-table.ts';
import type { CliOptions, Format } from './options.ts';
import { emit } from './output.ts';
import { Progress, auditProgress } from './progress.ts';
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

/** Runs `audit`: reads every account-region, prints the report, and exits per DESIGN §5.1. */
export async function audit(options: CliOptions, io: CliIo): Promise<number> {
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const progress = new Progress({ stream: io.stderr, clock: io.clock });
    const { report, accountRegions } = await session.audit(now, auditProgress(progress));
    progress.finish();
    const colour = options.out === null && options.format === 'table' && colourWanted(io);
    await emit(options, io, renderReport(report, options.format, colour));
    const coverage = { read: accountRegions.length, planned: session.accounts.length * session.regions.length };
    return auditExitCode(report, coverage, options.failOn, io);
  } finally {
    await session.close();
  }
}

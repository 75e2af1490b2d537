/** The audit as CSV: one row per cluster in report order, for spreadsheets and ticket imports. */
import type { AuditReport, ClusterReport } from '../core/report-types.ts';
import { needsUpdate } from './format-table.ts';

const COLUMNS: readonly [string, (c: ClusterReport) => string | number | boolean | null][] = [
  ['accountId', (c) => c.accountId],
  ['region', (c) => c.region],
  ['name', (c) => c.name],
  ['version', (c) => c.version],
  ['status', (c) => c.status],
  ['supportType', (c) => c.supportType],
  ['supportStatus', (c) => c.supportStatus],
  ['endOfStandardSupport', (c) => c.endOfStandardSupport],
  ['endOfExtendedSupport', (c) => c.endOfExtendedSupport],
  ['deadline', (c) => c.deadline?.date ?? null],
  ['consequence', (c) => c.deadline?.consequence ?? null],
  ['daysRemaining', (c) => c.deadline?.daysRemaining ?? null],
  ['severity', (c) => c.severity],
  ['extendedSupportMonthlyUsd', (c) => c.extendedSupportMonthlyUsd],
  ['maxNodegroupSkew', (c) => Math.max(0, ...c.nodegroups.map((ng) => ng.skew ?? 0))],
  ['addonsNeedingUpdate', (c) => c.addons.filter(needsUpdate).length],
  ['findings', (c) => c.findings.map((f) => f.code).join(' ')],
  ['optedIn', (c) => c.upgrade.optedIn],
  ['target', (c) => c.upgrade.target],
  ['path', (c) => c.upgrade.path.join(' ')],
  ['eligible', (c) => c.upgrade.eligible],
  ['blockers', (c) => c.upgrade.blockers.map((b) => b.code).join(' ')],
  ['nextWindowStart', (c) => c.upgrade.nextWindowStart],
  ['accountName', (c) => c.accountName ?? null],
  ['owner', (c) => c.owner ?? null],
];

/** The columns of the second section: the account-regions (or clusters) that could not be read. */
const ERROR_COLUMNS = ['errorAccountId', 'errorRegion', 'errorCode', 'errorMessage'] as const;

/** First characters a spreadsheet reads as the start of a formula (or that hide one), per OWASP's CSV injection advice. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quotes a field per RFC 4180 when it holds a comma, quote or line break. A text that begins with `=`, `+`, `-`,
 * `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it instead of running it as a formula
 * (member-controlled names and messages end up here); numbers are left as they are.
 */
function csvField(value: string | number | boolean | null): string {
  const raw = value === null ? '' : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Renders the report's clusters as CSV with a header row; when some account-region or cluster could not be read, a
 * second section follows after an empty line: its own header row and one row per error.
 */
export function formatCsv(report: AuditReport): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const cluster of report.clusters) lines.push(COLUMNS.map(([, get]) => csvField(get(cluster))).join(','));
  if (report.errors.length > 0) {
    lines.push('', ERROR_COLUMNS.join(','));
    for (const error of report.errors) {
      lines.push([error.accountId, error.region, error.code, error.message].map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A stored report judged again at a later instant: the support status, deadline, days remaining, severity and
 * extended-support cost of a cluster whose account could not be read tonight follow the calendar, not the night it
 * was last seen. Everything else (versions, node groups, add-ons, findings, plan) stays as last observed.
 */
import { clusterSeverity } from './cluster-severity.ts';
import { lifecycleAt } from './lifecycle.ts';
import type { ClusterReport } from './report-types.ts';

/** Findings that follow the calendar: tonight's lifecycle replaces them when the severity is re-judged. */
const TIME_FINDINGS: ReadonlySet<string> = new Set([
  'VERSION_UNSUPPORTED',
  'EXTENDED_SUPPORT_BILLING',
  'DEADLINE_APPROACHING',
  'AUTO_UPGRADE_SCHEDULED',
]);

/** The report with its time-dependent fields recomputed at `now` (unchanged when its calendar dates are unknown). */
export function reassessAt(report: ClusterReport, now: Date): ClusterReport {
  if (report.endOfStandardSupport === null || report.endOfExtendedSupport === null) return report;
  const entry = {
    version: report.version,
    endOfStandardSupport: report.endOfStandardSupport,
    endOfExtendedSupport: report.endOfExtendedSupport,
  };
  const lifecycle = lifecycleAt(entry, report.supportType, now);
  return {
    ...report,
    ...lifecycle,
    deadline: lifecycle.deadline === null ? null : { ...lifecycle.deadline, severity: lifecycle.severity },
    severity: clusterSeverity(
      lifecycle.severity,
      report.findings.filter((finding) => !TIME_FINDINGS.has(finding.code)),
    ),
  };
}

/**
 * A stored report judged again at a later instant: the support status, deadline, days remaining, severity and
 * extended-support cost of a cluster whose account could not be read tonight follow the calendar, not the night it
 * was last seen. Everything else (versions, node groups, add-ons, findings, plan) stays as last observed.
 */
import { lifecycleAt } from './lifecycle.ts';
import type { ClusterReport } from './report-types.ts';

/** The report with its time-dependent fields recomputed at `now` (unchanged when its calendar dates are unknown). */
export function reassessAt(report: ClusterReport, now: Date): ClusterReport {
  if (report.endOfStandardSupport === null || report.endOfExtendedSupport === null) return report;
  const entry = {
    version: report.version,
    endOfStandardSupport: report.endOfStandardSupport,
    endOfExtendedSupport: report.endOfExtendedSupport,
  };
  return { ...report, ...lifecycleAt(entry, report.supportType, now) };
}

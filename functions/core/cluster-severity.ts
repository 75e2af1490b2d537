/**
 * A cluster's severity (DESIGN §4): the worst of its deadline's severity and its findings' severities, so a CRITICAL
 * add-on incompatibility or an unsupported node-group skew makes the row CRITICAL even far from any deadline. The
 * deadline's own severity stays in `deadline.severity`.
 */
import { maxSeverity } from './deadline.ts';
import type { Finding, Severity } from './types.ts';

/** The worst of `deadlineSeverity` and every finding's severity. */
export function clusterSeverity(deadlineSeverity: Severity, findings: readonly Pick<Finding, 'severity'>[]): Severity {
  return findings.reduce<Severity>((worst, finding) => maxSeverity(worst, finding.severity), deadlineSeverity);
}

/**
 * The exit code of a command that audited the fleet (DESIGN §5.1): 1 when no account-region could be read at all
 * (no credentials, every account denied, nothing to audit), else 3 when `--fail-on` is given and some cluster is at
 * or above it, else 0.
 */
import { SEVERITIES } from '../core/types.ts';
import type { Severity } from '../core/types.ts';
import type { AuditReport } from '../core/report-types.ts';
import type { CliIo } from './cli-io.ts';
import { terminalSafe } from './terminal-text.ts';
import { EXIT } from './usage.ts';

/** How much of the fleet could be read. */
interface Coverage {
  /** Account-regions read (whatever they held). */
  readonly read: number;
  /** Account-regions the command set out to read (accounts × regions). */
  readonly planned: number;
}

/** The clusters of `report` at or above `failOn`. */
function clustersAtOrAbove(report: Pick<AuditReport, 'clusters'>, failOn: Severity): number {
  const floor = SEVERITIES.indexOf(failOn);
  return report.clusters.filter((cluster) => SEVERITIES.indexOf(cluster.severity) >= floor).length;
}

/** Decides the exit code, writing the one-line reason of a non-zero code on standard error. */
export function auditExitCode(
  report: Pick<AuditReport, 'clusters' | 'errors'>,
  coverage: Coverage,
  failOn: Severity | null,
  io: CliIo,
): number {
  if (coverage.read === 0) {
    const first = report.errors[0];
    const cause =
      first === undefined
        ? coverage.planned === 0
          ? 'there was nothing to audit (no account or no region)'
          : 'no answer'
        : `${report.errors.length} ${report.errors.length === 1 ? 'error' : 'errors'}, first ${first.accountId} ${first.region ?? '(all regions)'}: ${first.code}: ${first.message}`;
    io.stderr.write(`fleet-auditor: no account-region could be read: ${terminalSafe(cause)}\n`);
    return EXIT.FAILURE;
  }
  if (failOn !== null) {
    const count = clustersAtOrAbove(report, failOn);
    if (count > 0) {
      io.stderr.write(
        `fleet-auditor: ${count} ${count === 1 ? 'cluster is' : 'clusters are'} at or above ${failOn} (--fail-on)\n`,
      );
      return EXIT.FAIL_ON;
    }
  }
  return EXIT.OK;
}

/**
 * Deadline-threshold alerts for the clusters a run has just read: the core decides what is newly crossed, the
 * ledger's conditional put decides who sends (so concurrent runs never send one threshold twice), the notifier
 * delivers. A claim whose message could not be delivered is given back, so a retry sends it.
 */
import { mapLimited } from '../../adapters/limit.ts';
import type { Notifier } from '../../adapters/notifier.ts';
import type { FleetStore } from '../../adapters/store/fleet-store.ts';
import { WRITE_CONCURRENCY } from '../../adapters/store/fleet-table.ts';
import { decideAlert, deadlineKey } from '../../core/alert-thresholds.ts';
import { deadlineThresholdMessage } from '../../core/messages.ts';
import type { ClusterReport } from '../../core/report-types.ts';

/** What happened to one cluster's alert, with the reason. */
export interface AlertOutcome {
  readonly arn: string;
  /**
   * SENT: this run sent it. NONE: nothing newly crossed. CLAIMED_ELSEWHERE: another run claimed it first.
   * NO_DEADLINE: the version is not in the calendar. FAILED: delivery failed and the claim was given back.
   */
  readonly code: 'SENT' | 'NONE' | 'CLAIMED_ELSEWHERE' | 'NO_DEADLINE' | 'FAILED';
  readonly threshold: number | null;
  readonly subject: string | null;
  readonly reason: string;
}

/** Where alerts are recorded and sent, and on behalf of which run. */
export interface AlertContext {
  readonly store: Pick<FleetStore, 'sentThresholds' | 'claimAlert' | 'releaseAlert'>;
  readonly notifier: Notifier;
  readonly runId: string;
  /** The run's clock, ISO: recorded as the time the alert was sent. */
  readonly at: string;
}

async function alertCluster(report: ClusterReport, ctx: AlertContext): Promise<AlertOutcome> {
  const { deadline } = report;
  if (deadline === null) {
    return {
      arn: report.arn,
      code: 'NO_DEADLINE',
      threshold: null,
      subject: null,
      reason: `version ${report.version} is not in the support calendar; the digest reports it`,
    };
  }
  const key = deadlineKey(report.version, deadline);
  const alreadySent = await ctx.store.sentThresholds(report.arn, key);
  const decision = decideAlert({ daysRemaining: deadline.daysRemaining, alreadySent });
  if (decision.code === 'NONE' || decision.threshold === null) {
    return { arn: report.arn, code: 'NONE', threshold: null, subject: null, reason: decision.reason };
  }
  const { threshold } = decision;
  const others = decision.record.filter((t) => t !== threshold);
  if (!(await ctx.store.claimAlert(report.arn, key, threshold, others, ctx.runId, ctx.at))) {
    return {
      arn: report.arn,
      code: 'CLAIMED_ELSEWHERE',
      threshold,
      subject: null,
      reason: `another run claimed the ${threshold}-day alert first`,
    };
  }
  const message = deadlineThresholdMessage(report, threshold, deadline);
  try {
    await ctx.notifier.publish(message);
  } catch (error) {
    await ctx.store.releaseAlert(report.arn, key, decision.record, ctx.runId);
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      arn: report.arn,
      code: 'FAILED',
      threshold,
      subject: message.subject,
      reason: `delivery failed (${why}); the claim was given back`,
    };
  }
  return { arn: report.arn, code: 'SENT', threshold, subject: message.subject, reason: decision.reason };
}

/**
 * Sends every newly crossed deadline threshold of `clusters` (fresh reports of this run only: a cluster the run
 * could not read is never alerted on). Never throws for a delivery failure: it is an outcome.
 */
export async function sendDeadlineAlerts(
  clusters: readonly ClusterReport[],
  ctx: AlertContext,
): Promise<AlertOutcome[]> {
  return mapLimited(clusters, WRITE_CONCURRENCY, (report) => alertCluster(report, ctx));
}

/**
 * Deadline-threshold alerts for the clusters a run has just read: the core says which deadlines of a cluster are
 * alerted on (the effective one; the passed start of extended-support billing while billed; a version not in the
 * calendar) and what is newly crossed for each, the ledger's conditional put decides who sends (so concurrent runs
 * never send one threshold twice), the notifier delivers.
 *
 * Order per deadline: claim the one threshold the message names → publish → record the other thresholds that count
 * as sent. A claim whose message could not be delivered is given back, so a retry sends it; the other thresholds are
 * written only after the message is out, so failing to write them cannot lose it (the next run records them
 * silently: `decideAlert` never sends a threshold farther than one already sent).
 */
import { crashPoint } from '../../shared/crash-point.ts';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { FleetStore } from '../ports/fleet-store.ts';
import { alertDeadlines, decideDeadlineAlert } from '../../core/alert-thresholds.ts';
import type { AlertDeadline } from '../../core/alert-thresholds.ts';
import { deadlineThresholdMessage, unsupportedVersionMessage } from '../../core/messages.ts';
import type { OutgoingMessage } from '../../core/messages.ts';
import type { ClusterReport } from '../../core/report-types.ts';

/** What happened to one alert of a cluster (one deadline), with the reason. */
export interface AlertOutcome {
  readonly arn: string;
  /** The alert-ledger key of the deadline; null with NO_DEADLINE. */
  readonly deadlineKey: string | null;
  /**
   * SENT: this run sent it. NONE: nothing newly crossed (or only thresholds farther than one already sent, recorded
   * silently). CLAIMED_ELSEWHERE: another run claimed it first. NO_DEADLINE: no deadline is known (a version newer
   * than the calendar). FAILED: delivery failed and the claim was given back.
   */
  readonly code: 'SENT' | 'NONE' | 'CLAIMED_ELSEWHERE' | 'NO_DEADLINE' | 'FAILED';
  readonly threshold: number | null;
  readonly subject: string | null;
  readonly reason: string;
}

/** Where alerts are recorded and sent, and on behalf of which run. */
interface AlertContext {
  readonly store: Pick<FleetStore, 'sentThresholds' | 'claimAlert' | 'recordAlerts' | 'releaseAlert' | 'markAlertSent'>;
  readonly notifier: Notifier;
  readonly runId: string;
  /** The run's clock, ISO: the "now" of the deadlines, and recorded as the time the alert was sent. */
  readonly at: string;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The stable id of a deadline alert: one per cluster, deadline and threshold, the same in every copy. */
export function alertMessageId(arn: string, deadlineKey: string, threshold: number): string {
  return `alert:${arn}:${deadlineKey}#${threshold}`;
}

function messageFor(report: ClusterReport, target: AlertDeadline, threshold: number): OutgoingMessage {
  const message =
    target.deadline === null
      ? unsupportedVersionMessage(report)
      : deadlineThresholdMessage(report, threshold, target.deadline);
  return { ...message, event: { ...message.event, messageId: alertMessageId(report.arn, target.key, threshold) } };
}

async function alertDeadline(report: ClusterReport, target: AlertDeadline, ctx: AlertContext): Promise<AlertOutcome> {
  const { arn } = report;
  const { key } = target;
  const outcome = (
    code: AlertOutcome['code'],
    threshold: number | null,
    subject: string | null,
    reason: string,
  ): AlertOutcome => ({ arn, deadlineKey: key, code, threshold, subject, reason });

  const alreadySent = await ctx.store.sentThresholds(arn, key);
  const decision = decideDeadlineAlert(target, alreadySent);
  if (decision.code === 'NONE' || decision.threshold === null) {
    // Farther thresholds than one already sent (their record was lost after an earlier message): no message.
    // Bookkeeping only: should it fail, nothing is lost and the next run records them.
    if (decision.record.length > 0) {
      try {
        await ctx.store.recordAlerts(arn, key, decision.record, ctx.runId, ctx.at);
      } catch (error) {
        return outcome('NONE', null, null, `${decision.reason}; recording failed (${describeError(error)})`);
      }
    }
    return outcome('NONE', null, null, decision.reason);
  }
  const { threshold } = decision;
  const message = messageFor(report, target, threshold);
  if (!(await ctx.store.claimAlert(arn, key, threshold, [], ctx.runId, ctx.at, message))) {
    return outcome(
      'CLAIMED_ELSEWHERE',
      threshold,
      null,
      `${target.reason}: another run claimed the ${threshold}-day alert first`,
    );
  }
  crashPoint('alert-claimed');
  try {
    await ctx.notifier.publish(message);
  } catch (error) {
    // Only the claimed threshold is ours to give back: the others are not written before the message is out.
    // Should giving it back fail too, that store error propagates (the run fails and is retried).
    await ctx.store.releaseAlert(arn, key, [threshold], ctx.runId);
    return outcome(
      'FAILED',
      threshold,
      message.subject,
      `${decision.reason}; delivery failed (${describeError(error)}), the claim was given back`,
    );
  }
  // Should marking fail (or the process die first), the claim stays PENDING and a later run publishes it again
  // with the same messageId: at least once, never dropped.
  try {
    await ctx.store.markAlertSent(arn, key, threshold, ctx.at);
  } catch (error) {
    return outcome(
      'SENT',
      threshold,
      message.subject,
      `${decision.reason}; marking it sent failed (${describeError(error)}), a later run publishes it again`,
    );
  }
  const others = decision.record.filter((t) => t !== threshold);
  if (others.length > 0) {
    try {
      await ctx.store.recordAlerts(arn, key, others, ctx.runId, ctx.at);
    } catch (error) {
      // The message is out and its threshold claimed; the next run records these silently.
      return outcome(
        'SENT',
        threshold,
        message.subject,
        `${decision.reason}; recording ${others.join(', ')} failed (${describeError(error)}), the next run records them`,
      );
    }
  }
  return outcome('SENT', threshold, message.subject, decision.reason);
}

async function alertCluster(report: ClusterReport, ctx: AlertContext): Promise<AlertOutcome[]> {
  const targets = alertDeadlines(report, new Date(ctx.at));
  if (targets.length === 0) {
    return [
      {
        arn: report.arn,
        deadlineKey: null,
        code: 'NO_DEADLINE',
        threshold: null,
        subject: null,
        reason: `version ${report.version} is newer than every row of the support calendar: no deadline is known yet`,
      },
    ];
  }
  const outcomes: AlertOutcome[] = [];
  for (const target of targets) outcomes.push(await alertDeadline(report, target, ctx));
  return outcomes;
}

/**
 * Sends every newly crossed deadline threshold of `clusters` (fresh reports of this run only: a cluster the run
 * could not read is never alerted on): one outcome per deadline evaluated (see `alertDeadlines`), so a cluster
 * can get two messages in one run, one per deadline. Never throws for a delivery failure: it is an outcome. Throws
 * the store's error when the ledger cannot be read or a claim cannot be made or given back; a retry of the run
 * finishes the job. Each claim is PENDING (with its message) until the message is out, then SENT: a claim the
 * process did not see through is published again by {@link republishPendingAlerts} on a later run.
 */
export async function sendDeadlineAlerts(
  clusters: readonly ClusterReport[],
  ctx: AlertContext,
): Promise<AlertOutcome[]> {
  const perCluster = await mapLimited(clusters, WRITE_CONCURRENCY, (report) => alertCluster(report, ctx));
  return perCluster.flat();
}

/** Default lease of a PENDING claim: older than this, its claimer is presumed dead and the claim is re-published. */
export const PENDING_ALERT_LEASE_SECONDS = 15 * 60;

/** What {@link republishPendingAlerts} did. */
interface RepublishResult {
  /** Claims re-published and marked SENT. */
  readonly republished: number;
  /** Claims another recovery took over first. */
  readonly takenElsewhere: number;
  /** Claims whose publish failed: still PENDING, for the next attempt. */
  readonly failed: number;
}

/** Options of {@link republishPendingAlerts}. */
interface RepublishOptions {
  readonly store: Pick<FleetStore, 'pendingAlerts' | 'takeOverPending' | 'markAlertSent'>;
  readonly notifier: Notifier;
  /** The clock, ISO: the new lease start, and the `sentAt` recorded. */
  readonly at: string;
  /** Claims older than this are re-published (0: every PENDING claim, when no other process can hold one). */
  readonly leaseSeconds: number;
  /** Also this run's own claims, whatever their age (a retry of the run). */
  readonly runId?: string;
}

/**
 * Publishes again every PENDING claim older than the lease (the process that claimed it died, or timed out, before
 * it could mark it SENT), with the message it kept — same subject, attributes, event and messageId — then marks it
 * SENT. A claim is taken over by a conditional write first, so two recoveries never both publish it. A publish
 * that fails leaves the claim PENDING for the next attempt; nothing is dropped.
 */
export async function republishPendingAlerts(options: RepublishOptions): Promise<RepublishResult> {
  const cutoff = new Date(Date.parse(options.at) - options.leaseSeconds * 1000).toISOString();
  const pending = await options.store.pendingAlerts(cutoff, options.runId);
  let republished = 0;
  let takenElsewhere = 0;
  let failed = 0;
  for (const claim of pending) {
    if (!(await options.store.takeOverPending(claim, options.at))) {
      takenElsewhere += 1;
      continue;
    }
    try {
      await options.notifier.publish(claim.message);
    } catch {
      failed += 1;
      continue;
    }
    await options.store.markAlertSent(claim.arn, claim.deadlineKey, claim.threshold, options.at);
    republished += 1;
  }
  return { republished, takenElsewhere, failed };
}

/**
 * The messages the product publishes (DESIGN §5.4, version 1): a versioned JSON event for machines, readable
 * text for people, and attributes for subscription filter policies. Built here, purely; adapters deliver them.
 */
import type { ClusterReport } from './report-types.ts';
import type { Deadline, Severity, Version } from './types.ts';

type MessageType =
  | 'DEADLINE_THRESHOLD'
  | 'DIGEST'
  | 'UPGRADE_STARTED'
  | 'UPGRADE_SUCCEEDED'
  | 'UPGRADE_FAILED'
  | 'UPGRADE_BAKING'
  | 'ROLLBACK_STARTED'
  | 'ROLLBACK_SUCCEEDED'
  | 'ROLLBACK_FAILED';

export interface ClusterRef {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: Version;
}

/** The JSON event every non-e-mail subscriber receives. */
export interface FleetEvent {
  readonly schemaVersion: 1;
  readonly type: MessageType;
  readonly cluster?: ClusterRef;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly text: string;
  /**
   * Stable id of a message that may be published more than once (a deadline alert re-published after a crash):
   * every copy carries the same id, so a subscriber can drop repeats.
   */
  readonly messageId?: string;
}

/** Message attributes for SNS subscription filter policies. */
interface MessageAttributes {
  readonly type: MessageType;
  readonly severity: Severity | 'INFO' | 'ERROR';
  readonly accountId: string;
}

/** One message ready to publish. */
export interface OutgoingMessage {
  /** E-mail subject, at most 100 characters (SNS limit). */
  readonly subject: string;
  readonly attributes: MessageAttributes;
  readonly event: FleetEvent;
}

/** SNS allows subjects of up to 100 printable ASCII characters. */
export function clampSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '-');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

/** The cluster as messages name it. */
export function clusterRef(
  cluster: Pick<ClusterReport, 'accountId' | 'region' | 'name' | 'arn' | 'version'>,
): ClusterRef {
  return {
    accountId: cluster.accountId,
    region: cluster.region,
    name: cluster.name,
    arn: cluster.arn,
    version: cluster.version,
  };
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

function thresholdPhrase(threshold: number, deadline: Deadline): string {
  const what =
    deadline.consequence === 'AUTO_UPGRADE'
      ? 'AWS may upgrade the control plane automatically, without notice'
      : 'extended-support billing starts ($0.60 instead of $0.10 per cluster-hour)';
  if (threshold === 0 || deadline.daysRemaining <= 0) {
    return `passed its deadline on ${deadline.date}: ${what}`;
  }
  return `is ${days(deadline.daysRemaining)} from its deadline on ${deadline.date} (threshold ${threshold} days): then ${what}`;
}

/** A cluster crossed an alert threshold of its effective deadline. */
export function deadlineThresholdMessage(
  cluster: ClusterReport,
  threshold: number,
  deadline: Deadline,
): OutgoingMessage {
  const text =
    `EKS cluster ${cluster.name} (${cluster.accountId}, ${cluster.region}) runs Kubernetes ${cluster.version} and ` +
    `${thresholdPhrase(threshold, deadline)}. Severity ${cluster.severity}. ` +
    (cluster.upgrade.target !== null && cluster.upgrade.path.length > 0
      ? `Upgrade path: ${cluster.version} → ${cluster.upgrade.path.join(' → ')}.`
      : 'No upgrade target is available.');
  return {
    subject: clampSubject(
      threshold !== 0
        ? `[${cluster.severity}] EKS ${cluster.name} ${cluster.version}: ${days(deadline.daysRemaining)} to ${deadline.date}`
        : deadline.consequence === 'EXTENDED_BILLING'
          ? `[${cluster.severity}] EKS ${cluster.name} ${cluster.version}: extended-support billing since ${deadline.date}`
          : `[${cluster.severity}] EKS ${cluster.name} ${cluster.version}: deadline ${deadline.date} passed`,
    ),
    attributes: { type: 'DEADLINE_THRESHOLD', severity: cluster.severity, accountId: cluster.accountId },
    event: {
      schemaVersion: 1,
      type: 'DEADLINE_THRESHOLD',
      cluster: clusterRef(cluster),
      detail: { threshold, deadline, severity: cluster.severity },
      text,
    },
  };
}

/**
 * A cluster runs a version the support calendar does not list (older than every row, so treated as past end of
 * extended support): the one threshold-0 alert of key `version|UNSUPPORTED`, sent once. There is no date to name,
 * so `detail.deadline` is null, as the report's `deadline` is.
 */
export function unsupportedVersionMessage(cluster: ClusterReport): OutgoingMessage {
  const text =
    `EKS cluster ${cluster.name} (${cluster.accountId}, ${cluster.region}) runs Kubernetes ${cluster.version}, ` +
    'which is not in the EKS support calendar: it is treated as past the end of extended support, and AWS may ' +
    `upgrade the control plane automatically, without notice. Severity ${cluster.severity}. ` +
    (cluster.upgrade.target !== null && cluster.upgrade.path.length > 0
      ? `Upgrade path: ${cluster.version} → ${cluster.upgrade.path.join(' → ')}.`
      : 'No upgrade target is available.');
  return {
    subject: clampSubject(`[${cluster.severity}] EKS ${cluster.name} ${cluster.version}: version no longer supported`),
    attributes: { type: 'DEADLINE_THRESHOLD', severity: cluster.severity, accountId: cluster.accountId },
    event: {
      schemaVersion: 1,
      type: 'DEADLINE_THRESHOLD',
      cluster: clusterRef(cluster),
      detail: { threshold: 0, deadline: null, severity: cluster.severity },
      text,
    },
  };
}

export interface UpgradeDetail {
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly executionName: string;
  /** For UPGRADE_FAILED: the named error, its cause, and the step that failed. */
  readonly error?: { readonly name: string; readonly message: string; readonly step: string };
}

/** An upgrade started, succeeded or failed. */
export function upgradeMessage(
  type: 'UPGRADE_STARTED' | 'UPGRADE_SUCCEEDED' | 'UPGRADE_FAILED',
  cluster: ClusterRef,
  detail: UpgradeDetail,
): OutgoingMessage {
  const where = `EKS cluster ${cluster.name} (${cluster.accountId}, ${cluster.region})`;
  const text =
    type === 'UPGRADE_STARTED'
      ? `${where}: upgrade from ${detail.fromVersion} to ${detail.toVersion} started (execution ${detail.executionName}).`
      : type === 'UPGRADE_SUCCEEDED'
        ? `${where}: upgraded from ${detail.fromVersion} to ${detail.toVersion}; control plane, add-ons and node groups are ACTIVE (execution ${detail.executionName}).`
        : `${where}: upgrade from ${detail.fromVersion} to ${detail.toVersion} stopped at step ${detail.error?.step ?? 'unknown'}: ` +
          `${detail.error?.name ?? 'Error'}: ${detail.error?.message ?? 'no detail'} (execution ${detail.executionName}). The lock is released; nothing further was changed.`;
  const verb = type === 'UPGRADE_STARTED' ? 'started' : type === 'UPGRADE_SUCCEEDED' ? 'succeeded' : 'FAILED';
  return {
    subject: clampSubject(`EKS ${cluster.name} upgrade ${detail.fromVersion} to ${detail.toVersion} ${verb}`),
    attributes: { type, severity: type === 'UPGRADE_FAILED' ? 'ERROR' : 'INFO', accountId: cluster.accountId },
    event: { schemaVersion: 1, type, cluster: clusterRef(cluster), detail: { ...detail }, text },
  };
}

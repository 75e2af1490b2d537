/**
 * What a rollback and a bake check read from a member account, beyond the inventory: the cluster's version-change
 * history (the last in-place upgrade), its ROLLBACK_READINESS insights, its health issues, and the CloudWatch
 * alarms its `health-alarms` tag watches. Each fact that cannot be read is null (never guessed), so the core's
 * rules can block with FACTS_UNKNOWN / HEALTH_UNKNOWN instead of acting on it.
 */
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  paginateListInsights,
  paginateListUpdates,
} from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { AlarmFact, InsightFact } from '../core/health-signal.ts';
import type { IsoInstant } from '../core/types.ts';
import type { AwsConnection, Credentials } from './aws-clients.ts';
import { upgradedFromHistory } from './eks-inventory.ts';

/** A CloudWatch client for one member account-region, configured like the EKS clients of the connection. */
export function cloudWatchClient(
  connection: AwsConnection,
  region: string,
  credentials: Credentials,
): CloudWatchClient {
  return new CloudWatchClient({
    region,
    credentials,
    maxAttempts: connection.maxAttempts,
    requestHandler: connection.requestHandler,
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
  });
}

/** The last in-place upgrade of a cluster, and whether an update runs now; null when the history is unreadable. */
export async function readUpgradeHistory(
  eks: EKSClient,
  clusterName: string,
): Promise<{ upgradedFrom: { version: string; at: IsoInstant } | null; inProgress: boolean } | null> {
  try {
    const changes: { type: string; version: string | undefined; createdAt: Date }[] = [];
    let inProgress = false;
    for await (const page of paginateListUpdates({ client: eks }, { name: clusterName })) {
      for (const updateId of page.updateIds ?? []) {
        const { update } = await eks.send(new DescribeUpdateCommand({ name: clusterName, updateId }));
        if (update?.status === 'InProgress') inProgress = true;
        if (
          update?.status === 'Successful' &&
          update.createdAt !== undefined &&
          (update.type === 'VersionUpdate' || update.type === 'VersionRollback')
        ) {
          const version = update.params?.find((p) => p.type === 'Version')?.value;
          changes.push({ type: update.type, version, createdAt: update.createdAt });
        }
      }
    }
    return { upgradedFrom: upgradedFromHistory(changes), inProgress };
  } catch {
    return null;
  }
}

/** Insights of the given categories (ListInsights), or null when they cannot be read. */
export async function readInsights(
  eks: EKSClient,
  clusterName: string,
  categories: readonly ('UPGRADE_READINESS' | 'ROLLBACK_READINESS' | 'MISCONFIGURATION')[],
): Promise<(InsightFact & { kubernetesVersion: string | null })[] | null> {
  try {
    const insights: (InsightFact & { kubernetesVersion: string | null })[] = [];
    for await (const page of paginateListInsights(
      { client: eks },
      { clusterName, filter: { categories: [...categories] } },
    )) {
      for (const insight of page.insights ?? []) {
        insights.push({
          name: insight.name ?? insight.id ?? 'unnamed insight',
          category: insight.category ?? 'UNKNOWN',
          status: insight.insightStatus?.status ?? 'UNKNOWN',
          kubernetesVersion: insight.kubernetesVersion ?? null,
        });
      }
    }
    return insights;
  } catch {
    return null;
  }
}

/** The cluster's `health.issues` (DescribeCluster), or null when it cannot be read. */
export async function readHealthIssues(
  eks: EKSClient,
  clusterName: string,
): Promise<{ code: string; message: string }[] | null> {
  try {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
    return (cluster?.health?.issues ?? []).map((issue) => ({
      code: issue.code ?? 'Unknown',
      message: issue.message ?? '',
    }));
  } catch {
    return null;
  }
}

/**
 * The alarms a `health-alarms` tag watches: exact names in batches of 100, each `prefix*` by AlarmNamePrefix.
 * Null when CloudWatch cannot be read (e.g. the member role lacks cloudwatch:DescribeAlarms).
 */
export async function readWatchedAlarms(
  cloudwatch: CloudWatchClient,
  watched: readonly string[],
): Promise<AlarmFact[] | null> {
  const names = watched.filter((entry) => !entry.endsWith('*'));
  const prefixes = watched.filter((entry) => entry.endsWith('*')).map((entry) => entry.slice(0, -1));
  const found = new Map<string, AlarmFact>();
  const collect = async (input: { AlarmNames?: string[]; AlarmNamePrefix?: string }): Promise<void> => {
    for await (const page of paginateDescribeAlarms(
      { client: cloudwatch },
      { ...input, AlarmTypes: ['MetricAlarm'] },
    )) {
      for (const alarm of page.MetricAlarms ?? []) {
        const state = alarm.StateValue;
        if (alarm.AlarmName === undefined) continue;
        found.set(alarm.AlarmName, {
          name: alarm.AlarmName,
          state: state === 'ALARM' || state === 'OK' ? state : 'INSUFFICIENT_DATA',
        });
      }
    }
  };
  try {
    for (let i = 0; i < names.length; i += 100) await collect({ AlarmNames: names.slice(i, i + 100) });
    for (const prefix of prefixes) await collect({ AlarmNamePrefix: prefix });
    return [...found.values()];
  } catch {
    return null;
  }
}

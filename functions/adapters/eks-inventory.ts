/**
 * Reads one account-region's EKS clusters into domain `ClusterState`s: control plane, node groups, add-ons,
 * Fargate profiles, upgrade-readiness insights and, for opted-in clusters, since when they run their version.
 * Every call goes through the account-region's limiter; every list is paginated to the end.
 */
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  paginateListAddons,
  paginateListClusters,
  paginateListFargateProfiles,
  paginateListInsights,
  paginateListNodegroups,
  paginateListUpdates,
} from '@aws-sdk/client-eks';
import type { Cluster, EKSClient, InsightSummary } from '@aws-sdk/client-eks';
import type {
  AddonState,
  ClusterState,
  InsightState,
  InsightStatus,
  IsoInstant,
  NodegroupState,
} from '../core/types.ts';
import { ClusterNotFoundError, translateAwsError } from './aws-errors.ts';
import type { AdapterError } from './aws-errors.ts';
import type { Limiter } from './limit.ts';

/** What reading one account-region produced: the clusters read whole, those that vanished, and those that failed. */
export interface RegionInventory {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly ClusterState[];
  /** Listed, then gone before they could be described: deleted mid-audit. */
  readonly vanished: readonly string[];
  /** Clusters that could not be read whole (their stored records must be kept as they are). */
  readonly failed: readonly { readonly name: string; readonly error: AdapterError }[];
}

export interface InventoryTarget {
  readonly accountId: string;
  readonly region: string;
  readonly eks: EKSClient;
  readonly limit: Limiter;
  /** Tag prefix of the opt-in tags (`fleet-auditor/`): opted-in clusters get their version history read. */
  readonly tagPrefix: string;
}

const INSIGHT_STATUSES = new Set<string>(['PASSING', 'WARNING', 'ERROR', 'UNKNOWN']);

/** Lists the region's clusters (all pages). Failure here fails the whole account-region. */
export async function listClusterNames(target: InventoryTarget): Promise<string[]> {
  const names: string[] = [];
  try {
    const pages = paginateListClusters({ client: target.eks }, {});
    for (;;) {
      const page = await target.limit(() => pages.next());
      if (page.done === true) break;
      names.push(...(page.value.clusters ?? []));
    }
  } catch (error) {
    throw translateAwsError(error, `ListClusters in ${target.accountId}/${target.region}`);
  }
  return names.sort();
}

/** Runs a Describe call for one part of a cluster; a part deleted since it was listed yields `null`. */
async function describePart<T>(target: InventoryTarget, call: () => Promise<T>): Promise<T | null> {
  try {
    return await target.limit(call);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/** Drains a paginator, each page fetched through the limiter. */
async function drain<P, T>(
  target: InventoryTarget,
  pages: AsyncIterator<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const page = await target.limit(() => pages.next());
    if (page.done === true) return all;
    all.push(...(items(page.value) ?? []));
  }
}

async function readNodegroups(target: InventoryTarget, cluster: string, version: string): Promise<NodegroupState[]> {
  const names = await drain(
    target,
    paginateListNodegroups({ client: target.eks }, { clusterName: cluster }),
    (p) => p.nodegroups,
  );
  const nodegroups = await Promise.all(
    names.map(async (name): Promise<NodegroupState | null> => {
      const described = await describePart(target, () =>
        target.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name })),
      );
      if (described === null) return null;
      const { nodegroup } = described;
      const amiType = nodegroup?.amiType ?? null;
      return {
        name,
        version: nodegroup?.version ?? version,
        releaseVersion: nodegroup?.releaseVersion ?? null,
        status: nodegroup?.status ?? 'UNKNOWN',
        amiType,
        customAmi: amiType === 'CUSTOM',
        ...(nodegroup?.nodegroupArn === undefined ? {} : { arn: nodegroup.nodegroupArn }),
        tags: nodegroup?.tags ?? {},
      };
    }),
  );
  return nodegroups.filter((ng) => ng !== null).sort((a, b) => a.name.localeCompare(b.name));
}

async function readAddons(target: InventoryTarget, cluster: string): Promise<AddonState[]> {
  const names = await drain(
    target,
    paginateListAddons({ client: target.eks }, { clusterName: cluster }),
    (p) => p.addons,
  );
  const addons = await Promise.all(
    names.map(async (name): Promise<AddonState | null> => {
      const described = await describePart(target, () =>
        target.eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: name })),
      );
      if (described === null) return null;
      return {
        name,
        version: described.addon?.addonVersion ?? 'unknown',
        status: described.addon?.status ?? 'UNKNOWN',
        ...(described.addon?.addonArn === undefined ? {} : { arn: described.addon.addonArn }),
        tags: described.addon?.tags ?? {},
      };
    }),
  );
  return addons.filter((addon) => addon !== null).sort((a, b) => a.name.localeCompare(b.name));
}

function toInsight(summary: InsightSummary): InsightState {
  const status = summary.insightStatus?.status ?? 'UNKNOWN';
  return {
    id: summary.id ?? '',
    name: summary.name ?? summary.id ?? 'unnamed insight',
    status: (INSIGHT_STATUSES.has(status) ? status : 'UNKNOWN') as InsightStatus,
    kubernetesVersion: summary.kubernetesVersion ?? null,
    reason: summary.insightStatus?.reason ?? null,
  };
}

async function readInsights(target: InventoryTarget, cluster: string): Promise<InsightState[]> {
  const insights = await drain(
    target,
    paginateListInsights(
      { client: target.eks },
      { clusterName: cluster, filter: { categories: ['UPGRADE_READINESS'] } },
    ),
    (p) => p.insights,
  );
  return insights.map(toInsight).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Since when the control plane runs its version: the newest successful VersionUpdate, else the cluster's
 * creation. Also says whether a cluster-level update is still in progress.
 */
async function readVersionHistory(
  target: InventoryTarget,
  cluster: Cluster & { name: string },
): Promise<{ versionSince: IsoInstant | null; inProgress: boolean }> {
  const ids = await drain(
    target,
    paginateListUpdates({ client: target.eks }, { name: cluster.name }),
    (p) => p.updateIds,
  );
  let since = cluster.createdAt ?? null;
  let inProgress = false;
  for (const updateId of ids) {
    const described = await describePart(target, () =>
      target.eks.send(new DescribeUpdateCommand({ name: cluster.name, updateId })),
    );
    const update = described?.update;
    if (update?.status === 'InProgress') inProgress = true;
    if (update?.type === 'VersionUpdate' && update.status === 'Successful' && update.createdAt !== undefined) {
      if (since === null || update.createdAt > since) since = update.createdAt;
    }
  }
  return { versionSince: since?.toISOString() ?? null, inProgress };
}

/** Reads one cluster whole. Throws ClusterNotFoundError when it was deleted meanwhile. */
export async function readCluster(target: InventoryTarget, name: string): Promise<ClusterState> {
  const where = `cluster ${name} in ${target.accountId}/${target.region}`;
  try {
    const { cluster } = await target.limit(() => target.eks.send(new DescribeClusterCommand({ name })));
    if (cluster?.version === undefined) throw new ClusterNotFoundError(`${where}: DescribeCluster returned no cluster`);
    const version = cluster.version;
    const tags = cluster.tags ?? {};
    const optedIn = tags[`${target.tagPrefix}auto-upgrade`]?.trim().toLowerCase() === 'true';
    const [nodegroups, addons, fargateProfiles, insights, history] = await Promise.all([
      readNodegroups(target, name, version),
      readAddons(target, name),
      drain(
        target,
        paginateListFargateProfiles({ client: target.eks }, { clusterName: name }),
        (p) => p.fargateProfileNames,
      ),
      readInsights(target, name),
      optedIn ? readVersionHistory(target, { ...cluster, name }) : Promise.resolve(null),
    ]);
    const updating =
      cluster.status === 'UPDATING' ||
      history?.inProgress === true ||
      nodegroups.some((ng) => ng.status === 'UPDATING') ||
      addons.some((addon) => addon.status === 'UPDATING');
    return {
      accountId: target.accountId,
      region: target.region,
      name,
      arn: cluster.arn ?? `arn:aws:eks:${target.region}:${target.accountId}:cluster/${name}`,
      version,
      platformVersion: cluster.platformVersion ?? null,
      status: cluster.status ?? 'UNKNOWN',
      supportType: cluster.upgradePolicy?.supportType === 'STANDARD' ? 'STANDARD' : 'EXTENDED',
      tags,
      autoMode: cluster.computeConfig?.enabled === true,
      nodegroups,
      addons,
      fargateProfiles: [...fargateProfiles].sort(),
      insights,
      updateInProgress: updating,
      versionSince: history?.versionSince ?? null,
    };
  } catch (error) {
    throw translateAwsError(error, where);
  }
}

/**
 * Reads every cluster of an account-region. A cluster deleted mid-read is listed as vanished; a cluster that
 * fails otherwise is listed as failed, and the others are still read. Listing failure throws (the whole
 * account-region is unreadable).
 */
export async function readRegionInventory(target: InventoryTarget): Promise<RegionInventory> {
  const names = await listClusterNames(target);
  const clusters: ClusterState[] = [];
  const vanished: string[] = [];
  const failed: { name: string; error: AdapterError }[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        clusters.push(await readCluster(target, name));
      } catch (error) {
        const translated = translateAwsError(error, `cluster ${name}`);
        if (translated instanceof ClusterNotFoundError) vanished.push(name);
        else failed.push({ name, error: translated });
      }
    }),
  );
  clusters.sort((a, b) => a.name.localeCompare(b.name));
  return { accountId: target.accountId, region: target.region, clusters, vanished: vanished.sort(), failed };
}

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
  ClusterFact,
  ClusterState,
  PartialRead,
  InsightState,
  InsightStatus,
  IsoInstant,
  NodegroupState,
} from '../core/types.ts';
import { parseOptInTags } from '../core/opt-in-tags.ts';
import { ClusterNotFoundError, translateAwsError } from './aws-errors.ts';
import type { AdapterError } from './aws-errors.ts';
import type { Limiter } from '../shared/limit.ts';

/** What reading one account-region produced: the clusters read (some in part), those that vanished, those that failed. */
export interface RegionInventory {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly ClusterState[];
  /** Listed, then gone before they could be described: deleted mid-audit. */
  readonly vanished: readonly string[];
  /** Clusters whose DescribeCluster failed (their stored records must be kept as they are). */
  readonly failed: readonly { readonly name: string; readonly error: AdapterError }[];
}

interface InventoryAccountRegion {
  readonly accountId: string;
  readonly region: string;
  readonly eks: EKSClient;
  readonly limit: Limiter;
  /** Tag prefix of the opt-in tags (`fleet-auditor/`): opted-in clusters get their version history read. */
  readonly tagPrefix: string;
}

const INSIGHT_STATUSES = new Set<string>(['PASSING', 'WARNING', 'ERROR', 'UNKNOWN']);

/** Lists the region's clusters (all pages). Failure here fails the whole account-region. */
export async function listClusterNames(target: InventoryAccountRegion): Promise<string[]> {
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

/** A call that failed while reading one part of a cluster, tagged with the operation that failed. */
class FailedCall extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(operation);
    this.name = 'FailedCall';
  }
}

/** Runs `call`, tagging a failure with `operation` so the cluster's `partial` list can name it. */
async function attempt<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new FailedCall(operation, error);
  }
}

/** Runs a Describe call for one part of a cluster; a part deleted since it was listed yields `null`. */
async function describePart<T>(target: InventoryAccountRegion, call: () => Promise<T>): Promise<T | null> {
  try {
    return await target.limit(call);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/** Drains a paginator, each page fetched through the limiter. */
async function drain<P, T>(
  target: InventoryAccountRegion,
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

async function readNodegroups(
  target: InventoryAccountRegion,
  cluster: string,
  version: string,
): Promise<NodegroupState[]> {
  const names = await attempt('ListNodegroups', () =>
    drain(target, paginateListNodegroups({ client: target.eks }, { clusterName: cluster }), (p) => p.nodegroups),
  );
  const nodegroups = await Promise.all(
    names.map(async (name): Promise<NodegroupState | null> => {
      const described = await attempt('DescribeNodegroup', () =>
        describePart(target, () =>
          target.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name })),
        ),
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

async function readAddons(target: InventoryAccountRegion, cluster: string): Promise<AddonState[]> {
  const names = await attempt('ListAddons', () =>
    drain(target, paginateListAddons({ client: target.eks }, { clusterName: cluster }), (p) => p.addons),
  );
  const addons = await Promise.all(
    names.map(async (name): Promise<AddonState | null> => {
      const described = await attempt('DescribeAddon', () =>
        describePart(target, () =>
          target.eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: name })),
        ),
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

async function readInsights(target: InventoryAccountRegion, cluster: string): Promise<InsightState[]> {
  const insights = await attempt('ListInsights', () =>
    drain(
      target,
      paginateListInsights(
        { client: target.eks },
        { clusterName: cluster, filter: { categories: ['UPGRADE_READINESS'] } },
      ),
      (p) => p.insights,
    ),
  );
  return insights.map(toInsight).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Since when the control plane runs its version: the newest successful VersionUpdate, else the cluster's
 * creation. Also says whether a cluster-level update is still in progress.
 */
async function readVersionHistory(
  target: InventoryAccountRegion,
  cluster: Cluster & { name: string },
): Promise<{ versionSince: IsoInstant | null; inProgress: boolean; upgradedFrom: ClusterState['upgradedFrom'] }> {
  const ids = await attempt('ListUpdates', () =>
    drain(target, paginateListUpdates({ client: target.eks }, { name: cluster.name }), (p) => p.updateIds),
  );
  let since = cluster.createdAt ?? null;
  let inProgress = false;
  const changes: { type: string; version: string | undefined; createdAt: Date }[] = [];
  for (const updateId of ids) {
    const described = await attempt('DescribeUpdate', () =>
      describePart(target, () => target.eks.send(new DescribeUpdateCommand({ name: cluster.name, updateId }))),
    );
    const update = described?.update;
    if (update?.status === 'InProgress') inProgress = true;
    if (update?.type === 'VersionUpdate' && update.status === 'Successful' && update.createdAt !== undefined) {
      if (since === null || update.createdAt > since) since = update.createdAt;
    }
    if (update?.status === 'Successful' && update.createdAt !== undefined) {
      const version = update.params?.find((p) => p.type === 'Version')?.value;
      if (update.type === 'VersionUpdate' || update.type === 'VersionRollback') {
        changes.push({ type: update.type, version, createdAt: update.createdAt });
      }
    }
  }
  return { versionSince: since?.toISOString() ?? null, inProgress, upgradedFrom: upgradedFromHistory(changes) };
}

/**
 * The last in-place upgrade from the version changes of the update history: the newest Successful VersionUpdate,
 * unless a VersionRollback came after it (EKS moves one minor at a time, so it came from the previous minor; its
 * `at` is the update's creation, the conservative start of the 7-day window).
 */
export function upgradedFromHistory(
  changes: readonly { type: string; version: string | undefined; createdAt: Date }[],
): { version: string; at: IsoInstant } | null {
  const last = [...changes].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  if (last?.type !== 'VersionUpdate' || last.version === undefined) return null;
  const match = /^(\d+)\.(\d+)$/.exec(last.version);
  if (match === null || Number(match[2]) === 0) return null;
  return { version: `${match[1]}.${Number(match[2]) - 1}`, at: last.createdAt.toISOString() };
}

const FACT_ORDER: readonly ClusterFact[] = ['nodegroups', 'addons', 'fargateProfiles', 'insights', 'updates'];

/**
 * Reads one cluster: DescribeCluster, then each other part on its own. A part that cannot be read (denied, not
 * offered at this endpoint, throttled past every retry, no answer) is named in the cluster's `partial` list and its
 * list left empty; the cluster is still returned. Throws ClusterNotFoundError when the cluster was deleted meanwhile,
 * and the translated error when DescribeCluster itself fails.
 */
export async function readCluster(target: InventoryAccountRegion, name: string): Promise<ClusterState> {
  const where = `cluster ${name} in ${target.accountId}/${target.region}`;
  let cluster: Cluster | undefined;
  try {
    ({ cluster } = await target.limit(() => target.eks.send(new DescribeClusterCommand({ name }))));
  } catch (error) {
    throw translateAwsError(error, `DescribeCluster ${where}`);
  }
  if (cluster?.version === undefined) throw new ClusterNotFoundError(`DescribeCluster ${where}: returned no cluster`);
  const described = cluster;
  const version = cluster.version;
  const tags = cluster.tags ?? {};
  // Opted in exactly as the upgrade decision and IAM read it (strict: `true`, untrimmed, case-sensitive).
  const optedIn = parseOptInTags(tags, target.tagPrefix).autoUpgrade;
  const partial: PartialRead[] = [];
  /** One part of the cluster; its failure becomes a partial read (a deleted cluster still throws). */
  const part = async <T>(fact: ClusterFact, read: () => Promise<T>, unknown: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      const operation = error instanceof FailedCall ? error.operation : fact;
      const translated = translateAwsError(error instanceof FailedCall ? error.cause : error, `${operation} ${where}`);
      if (translated instanceof ClusterNotFoundError) throw translated;
      partial.push({ fact, operation, code: translated.code, message: translated.message });
      return unknown;
    }
  };
  const [nodegroups, addons, fargateProfiles, insights, history] = await Promise.all([
    part('nodegroups', () => readNodegroups(target, name, version), []),
    part('addons', () => readAddons(target, name), []),
    part(
      'fargateProfiles',
      () =>
        attempt('ListFargateProfiles', () =>
          drain(
            target,
            paginateListFargateProfiles({ client: target.eks }, { clusterName: name }),
            (p) => p.fargateProfileNames,
          ),
        ),
      [],
    ),
    part('insights', () => readInsights(target, name), []),
    optedIn ? part('updates', () => readVersionHistory(target, { ...described, name }), null) : Promise.resolve(null),
  ]);
  partial.sort((a, b) => FACT_ORDER.indexOf(a.fact) - FACT_ORDER.indexOf(b.fact));
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
    ...(history === null ? {} : { upgradedFrom: history.upgradedFrom }),
    ...(partial.length > 0 ? { partial } : {}),
  };
}

/**
 * Reads every cluster of an account-region. A cluster deleted mid-read is listed as vanished; a cluster that
 * fails otherwise is listed as failed, and the others are still read. Listing failure throws (the whole
 * account-region is unreadable).
 */
export async function readRegionInventory(target: InventoryAccountRegion): Promise<RegionInventory> {
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

/**
 * The least work any audit of a fleet must do, counted from the fleet file itself: how many API calls each
 * account-region needs at the minimum, and how deep in the chain of dependent calls each one sits (a call can only
 * be sent once the answer it depends on has arrived). The benchmark divides the measured calls by this minimum and
 * derives its lower bound on wall time from the depths (see `lower-bound.ts`).
 */
import { BUNDLED_CALENDAR } from '../functions/core/calendar.ts';
import { DEFAULT_ADDON_CATALOG, defaultInsightNames } from '../functions/sim/defaults.ts';
import type { FleetCluster, FleetFile } from '../functions/sim/index.ts';

/** The minimum EKS calls of one account-region: `callsByDepth[d]` calls sit at depth `d + 1` of its chain. */
export interface AccountRegionWork {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: number;
  readonly calls: number;
  readonly callsByDepth: readonly number[];
}

/** The minimum calls of a whole audit. */
export interface FleetWork {
  readonly clusters: number;
  /** One AssumeRole per account (the credentials are cached for the run). */
  readonly assumeRoleCalls: number;
  /** DescribeClusterVersions and DescribeAddonVersions pages, once per region that has clusters. */
  readonly catalogCalls: number;
  /** Every audited account-region of every reachable account, empty ones included (they still need ListClusters). */
  readonly targets: readonly AccountRegionWork[];
  readonly minimumCalls: number;
}

/** What the count depends on besides the fleet. */
export interface WorkOptions {
  /** The regions audited in every account (an account-region with no clusters still costs one ListClusters). */
  readonly regions: readonly string[];
  /** Items per list page (the simulator's page size; EKS lists at most 100). */
  readonly pageSize: number;
  /** Opt-in tag prefix: opted-in clusters also need their update history. */
  readonly tagPrefix: string;
  /** The simulated now: DescribeClusterVersions lists only released versions. */
  readonly now: Date;
}

/** Pages a list of `items` needs at `pageSize` items per page: at least one, even when empty. */
export function pagesFor(items: number, pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be ≥ 1, got ${pageSize}`);
  return Math.max(1, Math.ceil(items / pageSize));
}

/** Adds `count` calls at `depth` (1-based) to a depth histogram. */
function addAt(histogram: number[], depth: number, count: number): void {
  while (histogram.length < depth) histogram.push(0);
  histogram[depth - 1] = (histogram[depth - 1] ?? 0) + count;
}

/**
 * A paginated list whose page `i` sits at `start + i - 1`, each page followed by one Describe per item it returned
 * (`describeEach`), added to `histogram`.
 */
function addList(histogram: number[], start: number, items: number, pageSize: number, describeEach: boolean): void {
  const pages = pagesFor(items, pageSize);
  for (let page = 1; page <= pages; page += 1) {
    addAt(histogram, start + page - 1, 1);
    const onPage = Math.min(pageSize, Math.max(0, items - (page - 1) * pageSize));
    if (describeEach && onPage > 0) addAt(histogram, start + page, onPage);
  }
}

/** Whether the inventory reads this cluster's update history: it carries `<prefix>auto-upgrade: true`. */
export function isOptedIn(cluster: FleetCluster, tagPrefix: string): boolean {
  return cluster.tags?.[`${tagPrefix}auto-upgrade`]?.trim().toLowerCase() === 'true';
}

/** Updates the simulator records for a cluster from its fleet-file entry (a past version update, a running one). */
function updatesOf(cluster: FleetCluster): number {
  return (cluster.versionSince === undefined ? 0 : 1) + (cluster.updateInProgress === true ? 1 : 0);
}

/**
 * Adds one cluster whose name came on the ListClusters page at depth `listed`. Its DescribeCluster and its child
 * lists (node groups, add-ons, Fargate profiles, insights) need only its name, so they sit one level below the
 * page; each Describe of a child sits below the list page that named it. The update history needs DescribeCluster
 * first (its tags say whether the cluster opted in).
 */
export function addClusterWork(
  histogram: number[],
  cluster: FleetCluster,
  listed: number,
  options: Pick<WorkOptions, 'pageSize' | 'tagPrefix'>,
): void {
  const { pageSize } = options;
  const below = listed + 1;
  addAt(histogram, below, 1); // DescribeCluster
  addList(histogram, below, cluster.nodegroups?.length ?? 0, pageSize, true);
  addList(histogram, below, cluster.addons?.length ?? 0, pageSize, true);
  addList(histogram, below, cluster.fargateProfiles?.length ?? 0, pageSize, false);
  addList(histogram, below, cluster.insights?.length ?? defaultInsightNames(cluster.version).length, pageSize, false);
  if (isOptedIn(cluster, options.tagPrefix)) addList(histogram, below + 1, updatesOf(cluster), pageSize, true);
}

/** The minimum calls of one account-region holding `clusters` (in the order ListClusters returns them). */
export function accountRegionWork(
  accountId: string,
  region: string,
  clusters: readonly FleetCluster[],
  options: Pick<WorkOptions, 'pageSize' | 'tagPrefix'>,
): AccountRegionWork {
  const histogram: number[] = [];
  const pages = pagesFor(clusters.length, options.pageSize);
  for (let page = 1; page <= pages; page += 1) addAt(histogram, page, 1);
  clusters.forEach((cluster, index) => {
    addClusterWork(histogram, cluster, Math.floor(index / options.pageSize) + 1, options);
  });
  return {
    accountId,
    region,
    clusters: clusters.length,
    calls: histogram.reduce((sum, n) => sum + n, 0),
    callsByDepth: histogram,
  };
}

/** DescribeClusterVersions (released versions, `includeAll`) plus DescribeAddonVersions pages of one region. */
export function catalogCallsPerRegion(fleet: FleetFile, options: Pick<WorkOptions, 'pageSize' | 'now'>): number {
  const today = options.now.toISOString().slice(0, 10);
  const calendar = fleet.calendar ?? BUNDLED_CALENDAR;
  const released = calendar.filter((entry) => entry.releaseDate === undefined || entry.releaseDate <= today).length;
  const addons = Object.keys({ ...DEFAULT_ADDON_CATALOG, ...fleet.addonCatalog }).length;
  return pagesFor(released, options.pageSize) + pagesFor(addons, options.pageSize);
}

/**
 * The least work an audit of `fleet` over `options.regions` can do: one AssumeRole per account, the account-regions'
 * calls (a denied account has none), and each region's catalogs once.
 */
export function fleetWork(fleet: FleetFile, options: WorkOptions): FleetWork {
  const targets: AccountRegionWork[] = [];
  const regionsWithClusters = new Set<string>();
  for (const account of fleet.accounts) {
    if (account.fault !== undefined) continue;
    for (const region of options.regions) {
      const clusters = account.regions[region]?.clusters ?? [];
      if (clusters.length > 0) regionsWithClusters.add(region);
      targets.push(accountRegionWork(account.id, region, clusters, options));
    }
  }
  const catalogCalls = regionsWithClusters.size * catalogCallsPerRegion(fleet, options);
  const assumeRoleCalls = fleet.accounts.length;
  return {
    clusters: targets.reduce((sum, t) => sum + t.clusters, 0),
    assumeRoleCalls,
    catalogCalls,
    targets,
    minimumCalls: assumeRoleCalls + catalogCalls + targets.reduce((sum, t) => sum + t.calls, 0),
  };
}

/**
 * The calls of the naive baseline over the whole fleet: the minimum, except that every account-region with clusters
 * reads its region's catalogs again (no caching).
 */
export function naiveFleetCalls(fleet: FleetFile, options: WorkOptions): number {
  const work = fleetWork(fleet, options);
  const readers = work.targets.filter((target) => target.clusters > 0).length;
  return work.minimumCalls - work.catalogCalls + readers * catalogCallsPerRegion(fleet, options);
}

/**
 * The calls of the naive baseline's sample: one AssumeRole, the whole ListClusters of `accountId`/`region`, the
 * first `clusters` clusters read whole, and the region's catalogs.
 */
export function naiveSampleCalls(
  fleet: FleetFile,
  options: WorkOptions,
  sample: { readonly accountId: string; readonly region: string; readonly clusters: number },
): number {
  const all = fleet.accounts.find((a) => a.id === sample.accountId)?.regions[sample.region]?.clusters ?? [];
  const read = all.slice(0, sample.clusters);
  const extraListPages = pagesFor(all.length, options.pageSize) - pagesFor(read.length, options.pageSize);
  return (
    1 +
    accountRegionWork(sample.accountId, sample.region, read, options).calls +
    extraListPages +
    catalogCallsPerRegion(fleet, options)
  );
}

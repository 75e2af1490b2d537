/**
 * The audit of one account-region — the one audit path. It reads the account-region through an
 * {@link AccountRegionReader} (AssumeRole, inventory, the region's catalogs) and judges its clusters with the core,
 * each cluster guarded on its own. The nightly `AuditAccountRegion` runs it once per Map iteration; the CLI, the
 * benchmark and `plan` run it over every account-region of the fleet (`auditFleet`).
 */
import { judgeClusters } from '../core/audit-report.ts';
import type { JudgeContext, JudgedCluster } from '../core/audit-report.ts';
import type { AuditError, AuditWarning } from '../core/report-types.ts';
import type { AddonCatalog, Calendar, ClusterState } from '../core/types.ts';

/** One account in one region: the unit the audit reads and the nightly Map fans out over. */
export interface AccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** A cluster that was listed but could not be read whole, and why (its stored record must be kept as it is). */
interface UnreadCluster {
  readonly name: string;
  readonly error: { readonly code: string; readonly message: string };
}

/** What reading one account-region produced. */
export interface AccountRegionRead extends AccountRegion {
  readonly inventory: { readonly clusters: readonly ClusterState[]; readonly failed: readonly UnreadCluster[] };
  /** The region's catalogs; null when the account-region holds no cluster (they are not read then). */
  readonly catalog: {
    readonly calendar: Calendar;
    readonly catalog: AddonCatalog;
    /** False when the add-on catalog could not be read: add-on compatibility unknown, upgrades FACTS_UNKNOWN. */
    readonly addonCatalogKnown?: boolean;
  } | null;
  /** What degraded without failing (`CALENDAR_FALLBACK`, `ADDON_CATALOG_UNAVAILABLE`). */
  readonly warnings?: readonly AuditWarning[];
}

/**
 * Port: reads account-regions. The AWS implementation assumes the read role through the credential broker, paces
 * and bounds each account-region's EKS requests and reads each region's catalogs once per run. It throws a named
 * error carrying a `code` when the account-region cannot be read at all.
 */
export interface AccountRegionReader {
  read(accountRegion: AccountRegion): Promise<AccountRegionRead>;
}

/** The fleet-wide facts one account-region's clusters are judged against: the waves, the locks, the clock. */
export type WaveContext = Omit<JudgeContext, 'calendar' | 'catalog'>;

/**
 * Where the wave context comes from, once the account-region is read: the stored fleet in the nightly run, every
 * other account-region of the same audit in the CLI.
 */
export type WaveContextSource = (read: AccountRegionRead) => Promise<WaveContext>;

/** One account-region audited. */
export interface AccountRegionAudit extends AccountRegion {
  readonly read: AccountRegionRead;
  /** The clusters judged, in report order. */
  readonly judged: readonly JudgedCluster[];
  /** One error per cluster that could not be read or judged, unread ones first. */
  readonly errors: readonly AuditError[];
  /** Names of the clusters listed but not judged: their stored state is kept, marked stale, never deleted. */
  readonly unjudged: ReadonlySet<string>;
}

/** The error of a cluster that could not be read, as the report lists it. */
export function unreadClusterError(accountRegion: AccountRegion, unread: UnreadCluster): AuditError {
  return { ...accountRegion, code: unread.error.code, message: unread.error.message };
}

/**
 * Reads one account-region and judges its clusters with the core. A cluster that cannot be read or judged becomes
 * an error of its own and the rest of the account-region is audited.
 *
 * @throws whatever the reader throws when the account-region cannot be read at all (access denied, throttled past
 *   every retry, an endpoint that does not answer): the caller decides whether to record or retry it.
 */
export async function auditAccountRegion(
  accountRegion: AccountRegion,
  reader: AccountRegionReader,
  waves: WaveContextSource,
): Promise<AccountRegionAudit> {
  const read = await reader.read(accountRegion);
  const context = await waves(read);
  const { clusters, failed } = read.inventory;
  const judged =
    read.catalog === null || clusters.length === 0
      ? { judged: [], errors: [] }
      : judgeClusters(clusters, {
          ...context,
          calendar: read.catalog.calendar,
          catalog: read.catalog.catalog,
          ...(read.catalog.addonCatalogKnown === undefined
            ? {}
            : { addonCatalogKnown: read.catalog.addonCatalogKnown }),
        });
  const assessed = new Set(judged.judged.map(({ cluster }) => cluster.name));
  return {
    accountId: accountRegion.accountId,
    region: accountRegion.region,
    read,
    judged: judged.judged,
    errors: [...failed.map((unread) => unreadClusterError(accountRegion, unread)), ...judged.errors],
    unjudged: new Set([
      ...failed.map(({ name }) => name),
      ...clusters.flatMap(({ name }) => (assessed.has(name) ? [] : [name])),
    ]),
  };
}

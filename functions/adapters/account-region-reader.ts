/**
 * The AWS implementation of the audit's `AccountRegionReader`: assumes the read role through the credential broker,
 * reads the account-region's EKS inventory with its own bounded concurrency and optional client-side pacing, and
 * the region's catalogs through a per-run cache (one read per region).
 */
import type { AccountRegion, AccountRegionReader } from '../application/audit-account-region.ts';
import type { FleetReader } from '../application/audit-fleet.ts';
import type { AuditWarning } from '../core/report-types.ts';
import type { CredentialBroker } from './accounts.ts';
import { AdapterError, translateAwsError } from './aws-errors.ts';
import { eksClient } from './aws-clients.ts';
import type { AwsConnection } from './aws-clients.ts';
import { CatalogCache } from './eks-catalog.ts';
import type { RegionCatalog } from './eks-catalog.ts';
import { readRegionInventory } from './eks-inventory.ts';
import type { RegionInventory } from './eks-inventory.ts';
import { createLimiter, createRateLimiter } from '../shared/limit.ts';
import type { RateLimit } from '../shared/limit.ts';

/** How account-regions are read. */
interface EksAccountRegionReaderOptions {
  readonly connection: AwsConnection;
  readonly broker: CredentialBroker;
  /** The run's catalog cache: every account-region of a region shares one read. */
  readonly catalogs: CatalogCache;
  readonly tagPrefix: string;
  /** API calls in flight per account-region (default 8). */
  readonly callsPerAccountRegion?: number;
  /**
   * Client-side pacing of each account-region's EKS requests, retries included (default: none, the SDK's retries
   * alone absorb throttling). Set it to the account-region's EKS request quota so requests are not throttled in the
   * first place: a throttled request waits out a backoff of up to seconds.
   */
  readonly ratePerAccountRegion?: RateLimit;
  /** Role session name and SourceIdentity in the member account (the run id), so its CloudTrail names the run. */
  readonly session?: string;
}

/** One account-region as the AWS reader returns it: the adapter's inventory and catalogs. */
interface EksAccountRegionRead extends AccountRegion {
  readonly inventory: RegionInventory;
  readonly catalog: (RegionCatalog & { readonly addonCatalogKnown: boolean }) | null;
  readonly warnings: readonly AuditWarning[];
}

/** The report warnings a region's catalogs raise: the bundled calendar used, the add-on catalog unreadable. */
function catalogWarnings(region: string, catalog: RegionCatalog | null): AuditWarning[] {
  const warnings: AuditWarning[] = [];
  if (catalog === null) return warnings;
  if (catalog.calendarSource === 'bundled') {
    warnings.push({
      accountId: null,
      region,
      code: 'CALENDAR_FALLBACK',
      message: `the bundled support calendar is used: ${catalog.calendarFallbackReason ?? 'the live calendar could not be read'}`,
    });
  }
  const unavailable = catalog.addonCatalogUnavailable ?? null;
  if (unavailable !== null) {
    warnings.push({
      accountId: null,
      region,
      code: 'ADDON_CATALOG_UNAVAILABLE',
      message: `add-on compatibility is unknown and no upgrade starts here: ${unavailable.message}`,
    });
  }
  return warnings;
}

/** The error an account-region or account read failed with, as a named adapter error. */
export function readErrorOf(error: unknown, where: string): AdapterError {
  return error instanceof AdapterError ? error : translateAwsError(error, where);
}

/** Reads account-regions from EKS (or the simulator, which speaks the same protocol). */
export class EksAccountRegionReader implements FleetReader {
  constructor(private readonly options: EksAccountRegionReaderOptions) {}

  /** Assumes the read role in the account (cached by the broker); a denied account throws here. */
  async openAccount(accountId: string): Promise<void> {
    await this.options.broker.credentialsFor(accountId, this.options.session);
  }

  /** The named adapter error a read failed with. */
  errorOf(error: unknown, where: string): AdapterError {
    return readErrorOf(error, where);
  }

  /** Reads one account-region whole; throws a named {@link AdapterError} when it cannot be read at all. */
  async read({ accountId, region }: AccountRegion): Promise<EksAccountRegionRead> {
    const { options } = this;
    // Assume the role first: a denied account fails here with a clear MemberAccessDeniedError.
    await this.openAccount(accountId);
    const pacer =
      options.ratePerAccountRegion === undefined ? undefined : createRateLimiter(options.ratePerAccountRegion);
    const eks = eksClient(options.connection, region, options.broker.providerFor(accountId, options.session), pacer);
    const inventory = await readRegionInventory({
      accountId,
      region,
      eks,
      limit: createLimiter(options.callsPerAccountRegion ?? 8),
      tagPrefix: options.tagPrefix,
    });
    const catalog = inventory.clusters.length > 0 ? await options.catalogs.forAudit(region, eks) : null;
    return {
      accountId,
      region,
      inventory,
      catalog:
        catalog === null ? null : { ...catalog, addonCatalogKnown: (catalog.addonCatalogUnavailable ?? null) === null },
      warnings: catalogWarnings(region, catalog),
    };
  }
}

/**
 * Region catalogs cached per run: every account-region of one run shares one read of its region's calendar and
 * add-on catalog, while a warm container serving the next night's run reads them afresh. Keeps the few most
 * recent runs (concurrent local runs each keep theirs).
 */
export class RunCatalogs {
  private readonly runs = new Map<string, CatalogCache>();

  constructor(private readonly keep = 4) {}

  /** The catalog cache of `runId`, created on first use. */
  forRun(runId: string): CatalogCache {
    let cache = this.runs.get(runId);
    if (cache === undefined) {
      cache = new CatalogCache();
      this.runs.set(runId, cache);
      for (const oldest of this.runs.keys()) {
        if (this.runs.size <= this.keep) break;
        this.runs.delete(oldest);
      }
    }
    return cache;
  }
}

/** How the nightly run's account-regions are read (see {@link EksAccountRegionReaderOptions}). */
export interface NightlyReaderOptions {
  readonly connection: AwsConnection;
  /** Assumes the read role in member accounts (cached per account for the container's life). */
  readonly broker: CredentialBroker;
  readonly tagPrefix: string;
  /** API calls in flight per account-region (default 8). */
  readonly callsPerAccountRegion?: number;
  /** Client-side pacing of each account-region's EKS requests (default: none). */
  readonly ratePerAccountRegion?: RateLimit;
  /** The catalog caches of the runs (default: a new one; a container keeps one for its life). */
  readonly catalogs?: RunCatalogs;
}

/**
 * The account-region reader of each nightly run: the member role assumed as the run (its id is the session name),
 * the run's catalog cache shared by all its account-regions.
 */
export function nightlyAccountRegionReaders(options: NightlyReaderOptions): (runId: string) => AccountRegionReader {
  const catalogs = options.catalogs ?? new RunCatalogs();
  return (runId) =>
    new EksAccountRegionReader({
      connection: options.connection,
      broker: options.broker,
      catalogs: catalogs.forRun(runId),
      tagPrefix: options.tagPrefix,
      session: runId,
      callsPerAccountRegion: options.callsPerAccountRegion ?? 8,
      ...(options.ratePerAccountRegion === undefined ? {} : { ratePerAccountRegion: options.ratePerAccountRegion }),
    });
}

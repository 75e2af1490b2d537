/**
 * The two catalogs every cluster of a region is judged against — the support calendar
 * (DescribeClusterVersions) and the add-on versions (DescribeAddonVersions) — read once per region per run.
 */
import { paginateDescribeAddonVersions, paginateDescribeClusterVersions } from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import { BUNDLED_CALENDAR, utcDateOf } from '../core/calendar.ts';
import type { AddonCatalog, AddonVersionInfo, Calendar, CalendarEntry } from '../core/types.ts';
import { translateAwsError } from './aws-errors.ts';
import type { AdapterError } from './aws-errors.ts';

export interface RegionCatalog {
  readonly calendar: Calendar;
  /** `bundled` when the live calendar could not be read; `calendarFallbackReason` says why. */
  readonly calendarSource: 'live' | 'bundled';
  readonly calendarFallbackReason: string | null;
  readonly catalog: AddonCatalog;
  /**
   * Why DescribeAddonVersions could not be read (then `catalog` is empty and add-on compatibility is unknown), or
   * null when it was read.
   */
  readonly addonCatalogUnavailable?: AdapterError | null;
}

/**
 * The live calendar merged over the bundled one: live rows win, bundled rows fill in versions the API no longer
 * lists. Dates are taken as the UTC calendar day on which support ends. When DescribeClusterVersions cannot be read
 * (a read role without that permission, throttling past every retry), the bundled calendar alone is used
 * (DESIGN §3: it is the fallback) and `source` says so.
 */
export async function readCalendar(
  eks: EKSClient,
  where: string,
): Promise<{ calendar: Calendar; source: 'live' | 'bundled'; reason: string | null }> {
  const live = new Map<string, CalendarEntry>();
  try {
    for await (const page of paginateDescribeClusterVersions({ client: eks }, { includeAll: true })) {
      for (const v of page.clusterVersions ?? []) {
        if (v.clusterVersion === undefined || v.endOfStandardSupportDate === undefined) continue;
        if (v.endOfExtendedSupportDate === undefined) continue;
        live.set(v.clusterVersion, {
          version: v.clusterVersion,
          ...(v.releaseDate === undefined ? {} : { releaseDate: utcDateOf(v.releaseDate) }),
          endOfStandardSupport: utcDateOf(v.endOfStandardSupportDate),
          endOfExtendedSupport: utcDateOf(v.endOfExtendedSupportDate),
        });
      }
    }
  } catch (error) {
    const cause = translateAwsError(error, `DescribeClusterVersions in ${where}`);
    return { calendar: BUNDLED_CALENDAR, source: 'bundled', reason: cause.message };
  }
  const merged = new Map<string, CalendarEntry>(BUNDLED_CALENDAR.map((entry) => [entry.version, entry]));
  for (const [version, entry] of live) merged.set(version, entry);
  return { calendar: [...merged.values()], source: 'live', reason: null };
}

/** Every add-on EKS publishes in the region, with its versions' compatibilities and defaults. */
export async function readAddonCatalog(eks: EKSClient, where: string): Promise<AddonCatalog> {
  const catalog: Record<string, AddonVersionInfo[]> = {};
  try {
    for await (const page of paginateDescribeAddonVersions({ client: eks }, {})) {
      for (const addon of page.addons ?? []) {
        if (addon.addonName === undefined) continue;
        const versions = (catalog[addon.addonName] ??= []);
        for (const v of addon.addonVersions ?? []) {
          if (v.addonVersion === undefined) continue;
          const compatibilities = v.compatibilities ?? [];
          versions.push({
            version: v.addonVersion,
            compatibleWith: compatibilities.flatMap((c) => (c.clusterVersion === undefined ? [] : [c.clusterVersion])),
            defaultFor: compatibilities.flatMap((c) =>
              c.defaultVersion === true && c.clusterVersion !== undefined ? [c.clusterVersion] : [],
            ),
          });
        }
      }
    }
  } catch (error) {
    throw translateAwsError(error, `DescribeAddonVersions in ${where}`);
  }
  return catalog;
}

/**
 * Per-run cache of region catalogs: the first account-region of a region reads them, every other one waits for
 * that single read. The audit takes a region whose add-on catalog cannot be read as it is (compatibility unknown,
 * {@link RegionCatalog.addonCatalogUnavailable} says why); an upgrade needs the catalog, so {@link forRegion} throws
 * then, and the next caller reads it again.
 */
export class CatalogCache {
  private readonly regions = new Map<string, Promise<RegionCatalog>>();

  /** The region's catalogs as far as they could be read, through `eks` (any account's client in that region). */
  forAudit(region: string, eks: EKSClient): Promise<RegionCatalog> {
    let entry = this.regions.get(region);
    if (entry === undefined) {
      entry = Promise.all([
        readCalendar(eks, region),
        readAddonCatalog(eks, region).then(
          (catalog) => ({ catalog, error: null }),
          (error: unknown) => ({ catalog: {}, error: translateAwsError(error, `DescribeAddonVersions in ${region}`) }),
        ),
      ]).then(([calendar, addons]) => ({
        calendar: calendar.calendar,
        calendarSource: calendar.source,
        calendarFallbackReason: calendar.reason,
        catalog: addons.catalog,
        addonCatalogUnavailable: addons.error,
      }));
      this.regions.set(region, entry);
      entry.catch(() => this.regions.delete(region));
    }
    return entry;
  }

  /** The region's catalogs, the add-on catalog included: throws when DescribeAddonVersions cannot be read. */
  async forRegion(region: string, eks: EKSClient): Promise<RegionCatalog> {
    const read = await this.forAudit(region, eks);
    const unavailable = read.addonCatalogUnavailable ?? null;
    if (unavailable === null) return read;
    if (this.regions.get(region) !== undefined) this.regions.delete(region);
    throw unavailable;
  }
}

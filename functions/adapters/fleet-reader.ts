/**
 * Reads the whole fleet: every account (one AssumeRole each) × every region, each account-region with its own
 * bounded concurrency, region catalogs read once per run. What cannot be read becomes an `AuditError` with its
 * cause, and the rest of the fleet is still read.
 */
import type { AuditError } from '../core/report-types.ts';
import type { MemberAccount, CredentialBroker } from './accounts.ts';
import { EksAccountRegionReader, readErrorOf } from './account-region-reader.ts';
import type { AdapterError } from './aws-errors.ts';
import type { AwsConnection } from './aws-clients.ts';
import { CatalogCache } from './eks-catalog.ts';
import type { RegionCatalog } from './eks-catalog.ts';
import type { RegionInventory } from './eks-inventory.ts';
import { mapLimited } from '../shared/limit.ts';
import type { RateLimit } from '../shared/limit.ts';

/** One account-region as read: its clusters and catalogs, or why it could not be read. */
interface AccountRegionRead {
  readonly accountId: string;
  readonly region: string;
  readonly inventory: RegionInventory | null;
  readonly catalog: RegionCatalog | null;
}

export interface FleetRead {
  readonly targets: readonly AccountRegionRead[];
  readonly errors: readonly AuditError[];
}

interface FleetReadOptions {
  readonly connection: AwsConnection;
  readonly accounts: readonly MemberAccount[];
  readonly regions: readonly string[];
  readonly broker: CredentialBroker;
  readonly tagPrefix: string;
  /** API calls in flight per account-region (default 8). */
  readonly callsPerAccountRegion?: number;
  /** Account-regions read at once (default 32). */
  readonly accountRegionsInParallel?: number;
  /**
   * Client-side pacing of each account-region's EKS requests, retries included (default: none, the SDK's retries
   * alone absorb throttling). Set it to the account-region's EKS request quota so requests are not throttled in the
   * first place: a throttled request waits out a backoff of up to seconds.
   */
  readonly ratePerAccountRegion?: RateLimit;
  /** Called after each account-region, for a progress indicator. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Reads every account-region of the fleet (no judging); never throws for a member's fault. */
export async function readFleet(options: FleetReadOptions): Promise<FleetRead> {
  const reader = new EksAccountRegionReader({
    connection: options.connection,
    broker: options.broker,
    catalogs: new CatalogCache(),
    tagPrefix: options.tagPrefix,
    ...(options.callsPerAccountRegion === undefined ? {} : { callsPerAccountRegion: options.callsPerAccountRegion }),
    ...(options.ratePerAccountRegion === undefined ? {} : { ratePerAccountRegion: options.ratePerAccountRegion }),
  });
  const errors: AuditError[] = [];
  const reachable: MemberAccount[] = [];
  await mapLimited(options.accounts, 16, async (account) => {
    try {
      await reader.openAccount(account.id);
      reachable.push(account);
    } catch (error) {
      errors.push({ accountId: account.id, region: null, ...codeAndMessage(readErrorOf(error, `${account.id}/*`)) });
    }
  });
  const pairs = reachable.flatMap((account) => options.regions.map((region) => ({ accountId: account.id, region })));
  let done = 0;
  const targets = await mapLimited(
    pairs,
    options.accountRegionsInParallel ?? 32,
    async (pair): Promise<AccountRegionRead> => {
      try {
        const read = await reader.read(pair);
        for (const failure of read.inventory.failed) errors.push({ ...pair, ...codeAndMessage(failure.error) });
        return read;
      } catch (error) {
        errors.push({ ...pair, ...codeAndMessage(readErrorOf(error, `${pair.accountId}/${pair.region}`)) });
        return { ...pair, inventory: null, catalog: null };
      } finally {
        done += 1;
        options.onProgress?.(done, pairs.length);
      }
    },
  );
  errors.sort((a, b) => a.accountId.localeCompare(b.accountId) || (a.region ?? '').localeCompare(b.region ?? ''));
  return { targets, errors };
}

function codeAndMessage(error: AdapterError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

/**
 * The naive baseline the audit is compared with: what a straightforward script does — one call at a time, the
 * region's catalogs read again for every account-region (no caching), no client-side pacing (the SDK's standard
 * retries absorb throttling). It runs the product's own inventory and catalog readers, so the difference measured
 * is only concurrency, pacing and caching.
 *
 * A sequential audit of the whole fleet would take an hour; it is measured on a sample (the first clusters of one
 * account-region) and scaled to the fleet by minimum calls, since a sequential client's time grows with its calls.
 * The sample starts on a full token bucket, which a larger sample enjoys less: scaling a small sample therefore
 * flatters the baseline, never the audit.
 */
import { CredentialBroker } from '../functions/adapters/accounts.ts';
import { closeConnection, createConnection, eksClient, stsClient } from '../functions/adapters/aws-clients.ts';
import { readAddonCatalog, readCalendar } from '../functions/adapters/eks-catalog.ts';
import { listClusterNames, readCluster } from '../functions/adapters/eks-inventory.ts';
import { createLimiter } from '../functions/shared/limit.ts';
import { buildAuditReport } from '../functions/core/audit-report.ts';
import type { ClusterState } from '../functions/core/types.ts';
import type { SimEndpoint } from './audit-run.ts';
import { BENCH_ROLE } from './audit-run.ts';
import type { BenchProfile } from './profiles.ts';

/** The baseline's measurement on its sample. */
export interface BaselineSample {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: number;
  readonly wallMs: number;
}

/**
 * Reads the first `profile.baselineSample.clusters` clusters of `accountId`/`region` the naive way (one AssumeRole,
 * ListClusters, each cluster whole, then that account-region's catalogs) and builds their report.
 */
export async function runNaiveSample(
  sim: SimEndpoint,
  profile: BenchProfile,
  accountId: string,
  region: string,
): Promise<BaselineSample> {
  const connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
  try {
    const broker = new CredentialBroker({ sts: stsClient(connection), roleName: BENCH_ROLE });
    const started = performance.now();
    await broker.credentialsFor(accountId);
    const eks = eksClient(connection, region, broker.providerFor(accountId));
    const target = { accountId, region, eks, limit: createLimiter(1), tagPrefix: profile.tagPrefix };
    const names = (await listClusterNames(target)).slice(0, profile.baselineSample.clusters);
    const clusters: ClusterState[] = [];
    for (const name of names) clusters.push(await readCluster(target, name));
    const { calendar } = await readCalendar(eks, region);
    const catalog = await readAddonCatalog(eks, region);
    buildAuditReport({
      regions: [{ clusters, calendar, catalog }],
      errors: [],
      now: new Date(profile.now),
      tagPrefix: profile.tagPrefix,
    });
    return { accountId, region, clusters: clusters.length, wallMs: performance.now() - started };
  } finally {
    closeConnection(connection);
  }
}

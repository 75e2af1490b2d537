/**
 * The generated fleet of the nightly bench (`npm run bench -- --nightly`): `targets / 4` accounts audited in four
 * regions. Deterministic for a seed, so the simulator's process and the bench's own build the same fleet.
 */
import { generateFleet } from '../functions/sim/index.ts';
import type { FleetFile } from '../functions/sim/index.ts';

/** The audited regions: every generated account is audited in these four (the README's estimate assumes four). */
export const NIGHTLY_BENCH_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1'];

/**
 * A fleet of `targets / 4` accounts, audited in four regions: one cluster in one region of each account (so a
 * quarter of the account-regions hold a cluster and the rest cost a ListClusters), shaped by the simulator's
 * generator: about 40 % opted in, in waves 0 to 3 (prod clusters in waves 1 to 3).
 */
export function nightlyBenchFleet(targets: number, seed = 7): FleetFile {
  const accounts = Math.max(1, Math.round(targets / NIGHTLY_BENCH_REGIONS.length));
  const fleet = generateFleet({
    accounts,
    regionsPerAccount: 1,
    clustersPerRegion: 1,
    nodegroupsPerCluster: 1,
    addonsPerCluster: 2,
    seed,
  });
  return {
    ...fleet,
    accounts: fleet.accounts.map((account, i) => ({
      ...account,
      regions: {
        [NIGHTLY_BENCH_REGIONS[i % NIGHTLY_BENCH_REGIONS.length] ?? 'us-east-1']: {
          clusters: Object.values(account.regions).flatMap((region) => region.clusters),
        },
      },
    })),
  };
}

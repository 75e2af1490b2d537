/**
 * The benchmark's two runs: `--quick` (≥ 500 clusters, under a minute on 2 cores) and the full run (≥ 5,000
 * clusters). Both use AWS-like settings: 30–50 ms per call, a token bucket of 10 requests per second with a burst of
 * 20 per account-region (EKS) and per caller account (STS), and one call in a thousand answered with a 5xx.
 *
 * The fleets are deep rather than wide (dozens of clusters per account-region): that is where EKS throttling, not
 * the client, decides the wall time, which is what the lower bound measures. A wide fleet of a few clusters per
 * account-region finishes each account-region in a second or two and only measures the machine's CPU.
 */
import type { FleetShape } from '../functions/sim/index.ts';
import type { RateLimit } from '../functions/shared/limit.ts';
import type { Latency, Throttle } from './lower-bound.ts';

/** Everything a benchmark run is parameterised by. */
export interface BenchProfile {
  readonly name: 'quick' | 'full';
  readonly shape: FleetShape;
  /** The simulated now (fixed, so reports and support dates are the same on every run). */
  readonly now: string;
  readonly latency: Latency;
  readonly throttle: Throttle;
  readonly errorRate5xx: number;
  readonly pageSize: number;
  readonly tagPrefix: string;
  /** How the audit is tuned (the options `auditFleet`, its account-region reader and `createConnection` take). */
  readonly client: {
    readonly callsPerAccountRegion: number;
    readonly accountRegionsInParallel: number;
    readonly maxSockets: number;
    /** Client-side pacing per account-region: the account-region's EKS quota, as an operator would configure it. */
    readonly ratePerAccountRegion: RateLimit;
    /**
     * V8 old-space budget of the auditor process (`--max-old-space-size`), as a 512 MB function needs: left to
     * itself, V8 sizes its heap from the host's memory (4 GB on a 24 GB machine) and lets garbage pile up.
     */
    readonly heapBudgetMb: number;
  };
  /** The naive baseline reads the first `clusters` clusters of one account-region, then is scaled to the fleet. */
  readonly baselineSample: { readonly clusters: number };
}

const COMMON = {
  now: '2026-11-22T12:00:00Z',
  latency: { fixedMs: 30, jitterMs: 20 },
  throttle: { ratePerSecond: 10, burst: 20 },
  errorRate5xx: 0.001,
  pageSize: 100,
  tagPrefix: 'fleet-auditor/',
} as const;

/** How the audit is run in every profile: every account-region at once, each paced at the simulated quota. */
const CLIENT: BenchProfile['client'] = {
  callsPerAccountRegion: 8,
  accountRegionsInParallel: 256,
  maxSockets: 256,
  ratePerAccountRegion: { ratePerSecond: COMMON.throttle.ratePerSecond, burst: COMMON.throttle.burst },
  heapBudgetMb: 256,
};

/** Profiles by name. */
export const PROFILES: Readonly<Record<BenchProfile['name'], BenchProfile>> = {
  quick: {
    ...COMMON,
    name: 'quick',
    shape: {
      accounts: 5,
      regionsPerAccount: 5,
      clustersPerRegion: 20,
      nodegroupsPerCluster: 3,
      addonsPerCluster: 4,
      seed: 2026,
    },
    client: CLIENT,
    baselineSample: { clusters: 10 },
  },
  full: {
    ...COMMON,
    name: 'full',
    shape: {
      accounts: 8,
      regionsPerAccount: 8,
      clustersPerRegion: 80,
      nodegroupsPerCluster: 3,
      addonsPerCluster: 4,
      seed: 2026,
    },
    client: CLIENT,
    baselineSample: { clusters: 80 },
  },
};

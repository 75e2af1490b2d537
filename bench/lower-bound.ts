/**
 * The fastest any client could possibly audit a fleet against a simulator that answers each call after at least
 * `fixedMs` and lets each account-region through a token bucket (`ratePerSecond`, `burst`), consulted when the
 * call arrives. Two facts bound every account-region:
 *
 * - a call can only be sent once the answer it depends on has arrived, so the calls at depth k of the
 *   dependency chain (ListClusters page = 1, DescribeCluster and child lists = 2, child describes = 3, …) arrive no
 *   earlier than (k − 1) latencies after the first call, and the last of them is answered no earlier than k latencies;
 * - the bucket never holds more than `burst` tokens, so of the R_k calls at depth ≥ k, the last arrives no earlier
 *   than (R_k − burst) / rate after depth k opens, and is answered one latency later.
 *
 * Hence, from the moment its credentials arrive, an account-region needs at least
 * max over k of ( k·L + max(0, R_k − burst) / rate ). The credentials themselves come from AssumeRole calls that
 * all share the hub's one STS bucket: the i-th answer arrives no earlier than L + max(0, i − burst) / rate, and the
 * best client assumes roles in order of their busiest account-region. Catalog reads are left out: a client could
 * send them through any idle account-region of their region, so leaving them out keeps this a lower bound.
 */
import type { AccountRegionWork } from './fleet-work.ts';

/** The simulator's per-call latency: `fixedMs` plus a uniform jitter in [0, jitterMs). */
export interface Latency {
  readonly fixedMs: number;
  readonly jitterMs: number;
}

/** The simulator's token bucket per account-region (and per caller account for STS). */
export interface Throttle {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** The bound and where it comes from. */
export interface LowerBound {
  readonly lowerBoundMs: number;
  /** The account-region whose finish sets the bound, and its own share (from its credentials' arrival). */
  readonly busiest: { readonly accountId: string; readonly region: string; readonly targetMs: number } | null;
  /** When the last account's credentials can arrive at the earliest. */
  readonly lastCredentialsMs: number;
}

/** Milliseconds the bucket needs to let `calls` through when it starts with `burst` tokens. */
export function bucketMs(calls: number, throttle: Throttle): number {
  return (Math.max(0, calls - throttle.burst) / throttle.ratePerSecond) * 1000;
}

/**
 * The least time, from its first possible call, until the last answer of an account-region whose minimum calls
 * sit at depths `callsByDepth` (index 0 = depth 1). Latency is the fixed part only: jitter is never negative.
 */
export function accountRegionLowerBoundMs(
  callsByDepth: readonly number[],
  throttle: Throttle,
  latencyMs: number,
): number {
  let bound = 0;
  let atOrBelow = callsByDepth.reduce((sum, n) => sum + n, 0);
  callsByDepth.forEach((calls, index) => {
    if (atOrBelow > 0) bound = Math.max(bound, (index + 1) * latencyMs + bucketMs(atOrBelow, throttle));
    atOrBelow -= calls;
  });
  return bound;
}

/** The earliest answer to the `nth` (1-based) AssumeRole of a run, all of them sharing one bucket. */
export function credentialsReadyMs(nth: number, throttle: Throttle, latencyMs: number): number {
  return latencyMs + (Math.max(0, nth - throttle.burst) / throttle.ratePerSecond) * 1000;
}

/**
 * The lower bound of a whole audit: every account-region in parallel, each starting when its account's credentials
 * arrive, the accounts with the busiest account-region assumed first.
 */
export function fleetLowerBound(
  targets: readonly AccountRegionWork[],
  accounts: readonly string[],
  throttle: Throttle,
  latency: Latency,
): LowerBound {
  const L = latency.fixedMs;
  const perAccount = accounts.map((accountId) => {
    let worst: { accountId: string; region: string; targetMs: number } | null = null;
    for (const target of targets) {
      if (target.accountId !== accountId) continue;
      const targetMs = accountRegionLowerBoundMs(target.callsByDepth, throttle, L);
      if (worst === null || targetMs > worst.targetMs) worst = { accountId, region: target.region, targetMs };
    }
    return worst;
  });
  perAccount.sort((a, b) => (b?.targetMs ?? 0) - (a?.targetMs ?? 0));
  let lowerBoundMs = 0;
  let busiest: LowerBound['busiest'] = null;
  perAccount.forEach((worst, index) => {
    const finish = credentialsReadyMs(index + 1, throttle, L) + (worst?.targetMs ?? 0);
    if (finish > lowerBoundMs) {
      lowerBoundMs = finish;
      busiest = worst;
    }
  });
  return {
    lowerBoundMs,
    busiest,
    lastCredentialsMs: accounts.length === 0 ? 0 : credentialsReadyMs(accounts.length, throttle, L),
  };
}

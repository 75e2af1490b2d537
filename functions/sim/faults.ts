/**
 * Injected faults: per-call latency (fixed plus seeded jitter), a token bucket per account-region that answers
 * throttling errors when empty, random 5xx responses, and regions that never answer.
 */
import type { Random } from './prng.ts';

/** The fault settings of `SimulatorOptions`. */
export interface FaultOptions {
  readonly latency?: { readonly fixedMs: number; readonly jitterMs: number };
  readonly throttle?: { readonly ratePerSecond: number; readonly burst: number };
  readonly errorRate5xx?: number;
  readonly hangRegions?: readonly string[];
}

/** What happens to one call before it is served. */
type FaultDecision = 'serve' | 'throttle' | 'fail5xx';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets keyed by account-region: each holds up to `burst` tokens and refills at `ratePerSecond` in real
 * time (the SDK retries in real time, whatever the simulated clock says).
 */
class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Takes one token from `key`'s bucket; false when it is empty (the call is throttled). */
  take(key: string): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedMs: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.ratePerSecond);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** Decides each call's fate from the fault options and a seeded random source. */
export class FaultInjector {
  private readonly buckets: TokenBuckets | null;
  private readonly hang: ReadonlySet<string>;

  constructor(
    private readonly options: FaultOptions,
    private readonly random: Random,
  ) {
    this.buckets =
      options.throttle === undefined ? null : new TokenBuckets(options.throttle.ratePerSecond, options.throttle.burst);
    this.hang = new Set(options.hangRegions ?? []);
  }

  /** Whether calls signed for `region` must never be answered. */
  hangs(region: string): boolean {
    return this.hang.has(region);
  }

  /** Throttle first (the bucket is consulted on arrival), then the random 5xx. */
  decide(bucketKey: string): FaultDecision {
    if (this.buckets !== null && !this.buckets.take(bucketKey)) return 'throttle';
    const rate = this.options.errorRate5xx ?? 0;
    if (rate > 0 && this.random() < rate) return 'fail5xx';
    return 'serve';
  }

  /** Whether a 5xx is a 503 (else a 500): half of them, at random. */
  unavailable(): boolean {
    return this.random() < 0.5;
  }

  /** This call's latency in ms: fixed plus uniform jitter in [0, jitterMs). */
  latencyMs(): number {
    const latency = this.options.latency;
    if (latency === undefined) return 0;
    return Math.max(0, latency.fixedMs + (latency.jitterMs > 0 ? this.random() * latency.jitterMs : 0));
  }
}

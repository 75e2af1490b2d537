/**
 * Concurrency and pacing helpers shared by the use cases and the adapters (no AWS in here): bounded concurrency,
 * ordered bounded mapping and client-side rate limits.
 */

/**
 * How many single-item writes one store call (or one use case writing many items) keeps in flight: the fleet store
 * and the use cases share it, so neither fans out wider than the table is sized for.
 */
export const WRITE_CONCURRENCY = 8;

/**
 * Bounded concurrency: at most `concurrency` tasks of one limiter run at once, the rest wait in order.
 * The audit gives each account-region its own limiter, so one busy account cannot starve the others.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A limiter that runs at most `concurrency` tasks at a time (FIFO). */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be ≥ 1, got ${concurrency}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    running -= 1;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      next();
    }
  };
}

/** Maps `items` through `fn` with at most `concurrency` in flight, keeping the input order in the result. */
export async function mapLimited<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}

/** A request rate: a token bucket that refills at `ratePerSecond` and holds at most `burst` tokens. */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Client-side pacing for one account-region: every request (retries included) first takes a token. AWS throttles
 * each account-region with a token bucket; a client that keeps to the same bucket is (almost) never throttled, and
 * a throttled call costs the SDK a backoff of up to seconds.
 */
export interface RateLimiter {
  /** Resolves when a request may go out (first come, first served). */
  acquire(): Promise<void>;
  /** The server said it was throttled: give up the tokens this side still believed it had. */
  throttled(): void;
}

/** Tuning of {@link createRateLimiter}. */
interface RateLimiterOptions {
  /**
   * Tokens of the quota the pacer leaves unused (default 2, at most `burst - 1`), so the server's bucket keeps
   * that much slack for requests that reach it closer together than they left; after a throttle the pacer pauses
   * long enough to rebuild it.
   */
  readonly headroom?: number;
  /** Milliseconds (default `performance.now`). */
  readonly clock?: () => number;
}

/**
 * A token bucket for one account-region's quota (`limit`), starting full less its headroom.
 *
 * @example
 * const pace = createRateLimiter({ ratePerSecond: 10, burst: 20 });
 * await pace.acquire(); // then send
 */
export function createRateLimiter(limit: RateLimit, options: RateLimiterOptions = {}): RateLimiter {
  if (!(limit.ratePerSecond > 0) || !Number.isFinite(limit.ratePerSecond))
    throw new RangeError(`ratePerSecond must be a positive number, got ${limit.ratePerSecond}`);
  if (!(limit.burst >= 1) || !Number.isFinite(limit.burst))
    throw new RangeError(`burst must be ≥ 1, got ${limit.burst}`);
  const headroom = Math.max(0, Math.min(options.headroom ?? 2, limit.burst - 1));
  const capacity = limit.burst - headroom;
  const clock = options.clock ?? ((): number => performance.now());
  let tokens = capacity;
  let updated = clock();
  let timer: NodeJS.Timeout | null = null;
  const waiting: (() => void)[] = [];
  const refill = (): void => {
    const now = clock();
    tokens = Math.min(capacity, tokens + ((now - updated) / 1000) * limit.ratePerSecond);
    updated = now;
  };
  const release = (): void => {
    timer = null;
    refill();
    while (waiting.length > 0 && tokens >= 1) {
      tokens -= 1;
      waiting.shift()?.();
    }
    if (waiting.length > 0) {
      const waitMs = ((1 - tokens) / limit.ratePerSecond) * 1000;
      timer = setTimeout(release, Math.max(1, Math.ceil(waitMs)));
    }
  };
  return {
    acquire: (): Promise<void> => {
      refill();
      if (waiting.length === 0 && tokens >= 1) {
        tokens -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (timer === null) release();
      });
    },
    throttled: (): void => {
      refill();
      tokens = Math.min(tokens, -headroom);
    },
  };
}

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

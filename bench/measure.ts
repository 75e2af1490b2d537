/**
 * Measuring the benchmark process itself: its peak resident memory (sampled while the audit runs, and the kernel's
 * high-water mark), and a short pause for token buckets to refill between runs.
 */
import { resourceUsage } from 'node:process';

/** Samples RSS every `intervalMs` until stopped; the peak also takes the kernel's high-water mark into account. */
export interface RssSampler {
  /** Stops sampling and returns the peak RSS seen, in MiB. */
  stop(): number;
}

const MIB = 1024 * 1024;

/** Starts sampling this process's resident set size. */
export function startRssSampler(intervalMs = 50): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop: (): number => {
      clearInterval(timer);
      // maxRSS is in KiB (Linux), for the whole life of the process.
      const highWater = resourceUsage().maxRSS * 1024;
      return Math.max(peak, process.memoryUsage.rss(), highWater) / MIB;
    },
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

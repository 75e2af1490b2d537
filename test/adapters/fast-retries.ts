/**
 * The SDK's own retry strategy with millisecond back-offs, for tests: every retry (throttling, 5xx, timeouts) still
 * happens, classified by the SDK and counted against its retry quota, but the test does not wait out AWS's
 * second-long back-offs. Pass it as `createConnection({ retryStrategy: fastRetries })`.
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';

/** Back-off before retry `attempt` (1 = the first retry): 5, 10, 20, 40 ms, then 50 ms. */
export function fastBackoffMs(attempt: number): number {
  return Math.min(50, 5 * 2 ** (attempt - 1));
}

/** A fresh strategy per client, as the SDK builds one: `maxAttempts` attempts, first try included. */
export function fastRetries(maxAttempts: number): RetryStrategyV2 {
  return new ConfiguredRetryStrategy(maxAttempts, fastBackoffMs);
}

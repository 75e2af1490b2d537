import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  closeConnection,
  createConnection,
  eksClient,
  isThrottleResponse,
} from '../../functions/adapters/aws-clients.ts';
import { createRateLimiter } from '../../functions/shared/limit.ts';
import { generateFleet, startSimulator } from '../../functions/sim/index.ts';

/** Acquires `n` tokens and returns when (fake ms) each was granted. */
function grants(limiter: ReturnType<typeof createRateLimiter>, n: number): number[] {
  const at: number[] = [];
  for (let i = 0; i < n; i += 1) void limiter.acquire().then(() => at.push(Date.now()));
  return at;
}

describe('createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets the burst less its headroom through at once, then one request per 1/rate', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 5 }, { clock: () => Date.now() });

    const at = grants(limiter, 6);
    await vi.advanceTimersByTimeAsync(350);

    expect(at).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('uses the whole burst without headroom', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 3 }, { headroom: 0, clock: () => Date.now() });

    const at = grants(limiter, 4);
    await vi.advanceTimersByTimeAsync(150);

    expect(at).toEqual([0, 0, 0, 100]);
  });

  it('after a throttle, pauses for one token plus the headroom before the next request', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 20 }, { headroom: 2, clock: () => Date.now() });
    await vi.advanceTimersByTimeAsync(5_000);

    limiter.throttled();
    const at = grants(limiter, 2);
    await vi.advanceTimersByTimeAsync(500);

    // The bucket held 18 tokens; the throttle leaves it at -2, so the next token comes 300 ms later.
    expect(at).toEqual([5_300, 5_400]);
  });

  it.each([
    [{ ratePerSecond: 0, burst: 1 }],
    [{ ratePerSecond: 10, burst: 0 }],
    [{ ratePerSecond: Number.NaN, burst: 1 }],
  ])('refuses the quota %j', (limit) => {
    expect(() => createRateLimiter(limit)).toThrow(RangeError);
  });
});

describe('isThrottleResponse', () => {
  it.each([
    [429, {}, true],
    [400, { 'x-amzn-errortype': 'ThrottlingException' }, true],
    [400, { 'X-Amzn-ErrorType': 'ThrottlingException:http://internal.amazon.com/coral/' }, true],
    [400, { 'x-amzn-errortype': 'TooManyRequestsException' }, true],
    [400, { 'x-amzn-errortype': 'InvalidParameterException' }, false],
    [404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, false],
    [503, { 'x-amzn-errortype': 'ServiceUnavailableException' }, false],
    [200, { 'x-amzn-errortype': 'ThrottlingException' }, false],
  ])('reads status %i with headers %j as throttled: %s', (status, headers, expected) => {
    expect(isThrottleResponse(status, headers)).toBe(expected);
  });
});

describe('eksClient with a pacer', () => {
  const generated = generateFleet({
    accounts: 1,
    regionsPerAccount: 1,
    clustersPerRegion: 30,
    nodegroupsPerCluster: 0,
    addonsPerCluster: 0,
    seed: 5,
  });
  const account = generated.accounts[0];
  // The hub's own credentials read the one account's clusters.
  const fleet = { ...generated, hubAccountId: account?.id ?? '' };
  const region = Object.keys(account?.regions ?? {})[0] ?? 'us-east-1';
  const names = account?.regions[region]?.clusters.map((c) => c.name) ?? [];

  /**
   * Describes every cluster at once. Paced, every call must succeed first time; unpaced, each call is sent once
   * (no retries: waiting out the SDK's back-offs would only measure them) and the simulator counts the throttles.
   */
  async function describeAll(paced: boolean): Promise<{ throttled: number; ms: number }> {
    const sim = await startSimulator({ fleet, throttle: { ratePerSecond: 20, burst: 5 } });
    const connection = createConnection({
      endpoint: sim.endpoint,
      credentials: sim.hubCredentials,
      maxAttempts: paced ? 10 : 1,
    });
    try {
      const pacer = paced ? createRateLimiter({ ratePerSecond: 20, burst: 5 }) : undefined;
      const eks = eksClient(connection, region, sim.hubCredentials, pacer);
      const started = performance.now();
      const sends = names.map((name) => eks.send(new DescribeClusterCommand({ name })));
      if (paced) await Promise.all(sends);
      else await Promise.allSettled(sends);
      return { throttled: sim.stats().throttled, ms: performance.now() - started };
    } finally {
      closeConnection(connection);
      await sim.close();
    }
  }

  it('keeps every attempt within the quota, where an unpaced burst is throttled', async () => {
    const unpaced = await describeAll(false);
    const paced = await describeAll(true);

    expect(unpaced.throttled).toBeGreaterThan(0);
    expect(paced.throttled).toBe(0);
    // 30 calls, 3 at once, then 20 per second.
    expect(paced.ms).toBeGreaterThanOrEqual(((30 - 3) / 20) * 1000 - 50);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketMs, credentialsReadyMs, fleetLowerBound, accountRegionLowerBoundMs } from '../../bench/lower-bound.ts';
import type { AccountRegionWork } from '../../bench/fleet-work.ts';

const BUCKET = { ratePerSecond: 10, burst: 20 };
const L = 30;

function target(accountId: string, region: string, callsByDepth: number[]): AccountRegionWork {
  return {
    accountId,
    region,
    clusters: 0,
    calls: callsByDepth.reduce((a, b) => a + b, 0),
    callsByDepth,
  };
}

describe('bucketMs', () => {
  it.each([
    [0, 0],
    [20, 0],
    [21, 100],
    [30, 1000],
    [1020, 100_000],
  ])('lets %i calls through a full 10/s bucket of 20 in %i ms', (calls, ms) => {
    expect(bucketMs(calls, BUCKET)).toBeCloseTo(ms, 6);
  });
});

describe('targetLowerBoundMs', () => {
  it('is the latency chain when the bucket never runs dry', () => {
    expect(accountRegionLowerBoundMs([1, 5, 7], BUCKET, L)).toBe(3 * L);
  });

  it('is one latency plus the bucket time of all calls when the bucket decides', () => {
    // 1201 calls: the last arrives (1201 - 20) / 10 s after the first and is answered one latency later.
    expect(accountRegionLowerBoundMs([1, 500, 700], BUCKET, L)).toBeCloseTo(L + 118_100, 6);
  });

  it('counts that the bucket cannot bank tokens while the first answers are awaited', () => {
    // A deep chain with a burst of one: depth 2 opens at L with at most one token, so its 11 calls need 1 s more.
    const tight = { ratePerSecond: 10, burst: 1 };
    expect(accountRegionLowerBoundMs([1, 11], tight, 500)).toBeCloseTo(2 * 500 + 1000, 6);
  });

  it('never falls when a call is added at any depth, and is never below the chain', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 5 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        (depths, at, rate, burst) => {
          const bucket = { ratePerSecond: rate, burst };
          const before = accountRegionLowerBoundMs(depths, bucket, L);
          const more = [...depths];
          while (more.length <= at) more.push(0);
          more[at] = (more[at] ?? 0) + 1;
          const deepest = more.reduce((d, n, i) => (n > 0 ? i + 1 : d), 0);
          expect(accountRegionLowerBoundMs(more, bucket, L)).toBeGreaterThanOrEqual(before);
          expect(accountRegionLowerBoundMs(more, bucket, L)).toBeGreaterThanOrEqual(deepest * L);
        },
      ),
    );
  });
});

describe('credentialsReadyMs', () => {
  it.each([
    [1, L],
    [20, L],
    [30, L + 1000],
  ])('answers AssumeRole number %i no earlier than %i ms', (nth, ms) => {
    expect(credentialsReadyMs(nth, BUCKET, L)).toBeCloseTo(ms, 6);
  });
});

describe('fleetLowerBound', () => {
  it('is set by the busiest account-region, after its credentials', () => {
    const bound = fleetLowerBound(
      [target('a', 'eu-west-1', [1, 300, 400]), target('a', 'us-east-1', [1]), target('b', 'eu-west-1', [1, 50])],
      ['a', 'b'],
      BUCKET,
      { fixedMs: L, jitterMs: 20 },
    );

    expect(bound.lowerBoundMs).toBeCloseTo(L + L + 68_100, 6);
    expect(bound.busiest).toEqual({ accountId: 'a', region: 'eu-west-1', targetMs: expect.closeTo(L + 68_100, 6) });
  });

  it('assumes the busiest accounts first when AssumeRole calls queue in the hub’s bucket', () => {
    const tight = { ratePerSecond: 1, burst: 1 };
    // a needs 10 s after its credentials, b needs 1 s: a first (ready at L), b second (ready at L + 1 s).
    const bound = fleetLowerBound([target('b', 'r', [1, 1]), target('a', 'r', [1, 10])], ['b', 'a'], tight, {
      fixedMs: L,
      jitterMs: 0,
    });

    expect(bound.lowerBoundMs).toBeCloseTo(L + accountRegionLowerBoundMs([1, 10], tight, L), 6);
    expect(bound.busiest?.accountId).toBe('a');
    expect(bound.lastCredentialsMs).toBeCloseTo(L + 1000, 6);
  });

  it('costs an account without account-regions (denied) only its AssumeRole', () => {
    const bound = fleetLowerBound([], ['denied'], BUCKET, { fixedMs: L, jitterMs: 0 });

    expect(bound).toEqual({ lowerBoundMs: L, busiest: null, lastCredentialsMs: L });
  });
});

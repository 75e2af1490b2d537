/**
 * Transient faults (issue item 3): AWS throttling a third of all calls, and 5 % of calls failing with a 5xx. The
 * SDK's retries absorb both: the night must end exactly as a night without faults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNightlyWorld } from '../handlers/nightly-fixtures.ts';
import { expectToleratedFault, referenceNight, seedThenFault, throttleShare } from './fault-harness.ts';
import type { Night } from './fault-harness.ts';

const world = useNightlyWorld();
let reference: Night;

beforeAll(async () => {
  reference = await referenceNight(world);
});

describe('a night with 30 % of calls throttled', () => {
  it('retries them all and records and alerts every cluster as a night without throttling does', async () => {
    const throttling = throttleShare(0.3, 'thirty-percent');

    const { seed, night } = await seedThenFault(world, { sim: { beforeRequest: throttling.hook } });

    expect(throttling.throttled()).toBeGreaterThan(50);
    expect(night.result).toMatchObject({ status: 'SUCCEEDED', counts: { targetsFailed: 0 } });
    expect(night.run?.targets.filter((t) => t.status === 'FAILED')).toEqual([]);
    expectToleratedFault(reference, seed, night, { stale: new Set() });
  });
});

describe('a night with 5 % of calls answered 5xx', () => {
  it('retries them all and records and alerts every cluster as a night without errors does', async () => {
    const { seed, night } = await seedThenFault(world, { sim: { errorRate5xx: 0.05, seed: 5 } });

    expect(night.result).toMatchObject({ status: 'SUCCEEDED', counts: { targetsFailed: 0 } });
    expect(night.run?.targets.filter((t) => t.status === 'FAILED')).toEqual([]);
    expectToleratedFault(reference, seed, night, { stale: new Set() });
  });
});

describe('the reference night', () => {
  it('alerts some clusters, so the fault tests can tell an alert withheld from one never due', () => {
    expect(reference.alerted.size).toBeGreaterThan(0);
  });
});

/**
 * The nightly's cost does not grow with the fleet (DESIGN §8, `npm run bench -- --nightly`): the same pipeline the
 * bench measures, at two small sizes with small batches so both sizes fill whole batches. Batches travel by
 * reference (no state payload grows with the number of account-regions) and the wave rule reads the wave index
 * once per run (items read per account-region do not grow).
 */
import { describe, expect, it } from 'vitest';
import { runNightlyBench } from '../../bench/nightly.ts';

describe('the nightly pipeline at two fleet sizes', () => {
  it('carries the same largest state payload and reads the same items per account-region at 16 and 96 account-regions', async () => {
    const small = await runNightlyBench(16, { batchSize: 8, maxConcurrency: 8, inProcess: true });
    const large = await runNightlyBench(96, { batchSize: 8, maxConcurrency: 8, inProcess: true });

    expect(small.details.childExecutions).toBe(2);
    expect(large.details.childExecutions).toBe(12);
    expect(large.details.aboveWaveZero).toBeGreaterThan(0);
    // Issue 16's bound: equal within 1 KB (FinishRun's capped lists may name a few more clusters in a larger fleet).
    expect(Math.abs(large.figures.maxStatePayloadBytes - small.figures.maxStatePayloadBytes)).toBeLessThanOrEqual(1024);
    expect(large.figures.maxStatePayloadBytes).toBeLessThan(32 * 1024);
    // Six times the fleet, not six times the reads: within 15 % of the small run's per-account-region reads.
    expect(large.figures.itemsReadPerTarget).toBeLessThanOrEqual(small.figures.itemsReadPerTarget * 1.15);
    expect(large.figures.itemsReadPerTarget).toBeGreaterThan(0);
  }, 120_000);
});

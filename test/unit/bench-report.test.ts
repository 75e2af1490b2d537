import { describe, expect, it } from 'vitest';
import { checkTargets, figuresOf, formatFigures, jsonLine } from '../../bench/report.ts';
import type { Measurements } from '../../bench/report.ts';

const RUN: Measurements = {
  clusters: 5000,
  apiCalls: 63_000,
  minimumCalls: 62_000,
  wallMs: 108_123.4,
  lowerBoundMs: 98_560.2,
  baselineWallMs: 6_273_408.7,
  throttled: 12,
  failed: 0,
  peakRssMb: 301.26,
};

describe('jsonLine', () => {
  it('holds exactly the DESIGN §8 keys, in their order', () => {
    const keys = Object.keys(JSON.parse(jsonLine(figuresOf(RUN))) as Record<string, unknown>);

    expect(keys).toEqual([
      'clusters',
      'apiCallsPerCluster',
      'wallMs',
      'lowerBoundMs',
      'ratio',
      'baselineWallMs',
      'speedup',
      'throttled',
      'failed',
      'peakRssMb',
    ]);
  });
});

describe('figuresOf', () => {
  it('derives calls per cluster, ratio and speed-up, rounded for reading', () => {
    expect(figuresOf(RUN)).toEqual({
      clusters: 5000,
      apiCallsPerCluster: 12.6,
      wallMs: 108_123,
      lowerBoundMs: 98_560,
      ratio: 1.097,
      baselineWallMs: 6_273_409,
      speedup: 58,
      throttled: 12,
      failed: 0,
      peakRssMb: 301.3,
    });
  });

  it('reports zeros rather than dividing by zero for an empty fleet', () => {
    const empty = { ...RUN, clusters: 0, apiCalls: 0, wallMs: 0, lowerBoundMs: 0 };

    expect(figuresOf(empty)).toMatchObject({ apiCallsPerCluster: 0, ratio: 0, speedup: 0 });
  });
});

describe('checkTargets', () => {
  it('meets every target of the issue with a good run', () => {
    expect(checkTargets(RUN).filter((c) => !c.met)).toEqual([]);
    expect(checkTargets(RUN).map((c) => c.code)).toEqual([
      'RATIO',
      'SPEEDUP',
      'FAILED',
      'CALLS_PER_CLUSTER',
      'PEAK_RSS',
    ]);
  });

  it.each([
    ['RATIO', { wallMs: 130_000 }],
    ['SPEEDUP', { baselineWallMs: 1_000_000 }],
    ['FAILED', { failed: 1 }],
    ['CALLS_PER_CLUSTER', { apiCalls: 68_300 }],
    ['PEAK_RSS', { peakRssMb: 512 }],
  ] as const)('flags a missed %s target', (code, change) => {
    const missed = checkTargets({ ...RUN, ...change }).filter((c) => !c.met);

    expect(missed.map((c) => c.code)).toEqual([code]);
  });

  it('checks peak RSS only from 5,000 clusters', () => {
    expect(checkTargets({ ...RUN, clusters: 500, peakRssMb: 900 }).map((c) => c.code)).not.toContain('PEAK_RSS');
  });
});

describe('formatFigures', () => {
  it('prints one aligned line per figure, the minimum next to the measured calls', () => {
    const lines = formatFigures(RUN);

    expect(lines).toHaveLength(11);
    expect(lines[2]).toBe('  API calls per cluster  12.6 (minimum 12.40)');
    expect(lines[5]).toBe('  ratio                  1.097');
  });
});

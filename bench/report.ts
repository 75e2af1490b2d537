/**
 * The benchmark's figures (DESIGN §8): derived once from the measurements, printed for people, checked against the
 * issue's targets, and ended with one JSON line whose keys and their order are a contract.
 */

/** The raw measurements of one benchmark run. */
export interface Measurements {
  readonly clusters: number;
  /** Every request the simulator received during the audit, throttled and failed attempts included. */
  readonly apiCalls: number;
  readonly minimumCalls: number;
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  /** The naive baseline scaled to the fleet. */
  readonly baselineWallMs: number;
  readonly throttled: number;
  /** Reads that still failed after every retry. */
  readonly failed: number;
  readonly peakRssMb: number;
}

/** The DESIGN §8 JSON line, keys in contract order. */
export interface BenchFigures {
  readonly clusters: number;
  readonly apiCallsPerCluster: number;
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  readonly ratio: number;
  readonly baselineWallMs: number;
  readonly speedup: number;
  readonly throttled: number;
  readonly failed: number;
  readonly peakRssMb: number;
}

/** The acceptance targets. */
export const TARGETS = {
  maxRatio: 1.3,
  minSpeedup: 10,
  maxFailed: 0,
  maxPeakRssMb: 512,
  maxCallsOverMinimum: 0.1,
} as const;

/** One target, met or not, with the figure that decided it. */
export interface TargetCheck {
  readonly code: 'RATIO' | 'SPEEDUP' | 'FAILED' | 'PEAK_RSS' | 'CALLS_PER_CLUSTER';
  readonly met: boolean;
  readonly message: string;
}

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** The figures of the JSON line, rounded for reading (ms to whole, ratios to 3 digits, calls to 2). */
export function figuresOf(m: Measurements): BenchFigures {
  const perCluster = m.clusters === 0 ? 0 : m.apiCalls / m.clusters;
  return {
    clusters: m.clusters,
    apiCallsPerCluster: round(perCluster, 2),
    wallMs: Math.round(m.wallMs),
    lowerBoundMs: Math.round(m.lowerBoundMs),
    ratio: m.lowerBoundMs > 0 ? round(m.wallMs / m.lowerBoundMs, 3) : 0,
    baselineWallMs: Math.round(m.baselineWallMs),
    speedup: m.wallMs > 0 ? round(m.baselineWallMs / m.wallMs, 1) : 0,
    throttled: m.throttled,
    failed: m.failed,
    peakRssMb: round(m.peakRssMb, 1),
  };
}

/** The JSON line: exactly the DESIGN §8 keys, in its order. */
export function jsonLine(f: BenchFigures): string {
  const ordered: BenchFigures = {
    clusters: f.clusters,
    apiCallsPerCluster: f.apiCallsPerCluster,
    wallMs: f.wallMs,
    lowerBoundMs: f.lowerBoundMs,
    ratio: f.ratio,
    baselineWallMs: f.baselineWallMs,
    speedup: f.speedup,
    throttled: f.throttled,
    failed: f.failed,
    peakRssMb: f.peakRssMb,
  };
  return JSON.stringify(ordered);
}

/** Checks the figures against the targets (RSS only binds at 5,000 clusters or more). */
export function checkTargets(m: Measurements): TargetCheck[] {
  const f = figuresOf(m);
  const minimumPerCluster = m.clusters === 0 ? 0 : m.minimumCalls / m.clusters;
  const over = minimumPerCluster === 0 ? 0 : m.apiCalls / m.minimumCalls - 1;
  const checks: TargetCheck[] = [
    {
      code: 'RATIO',
      met: f.ratio <= TARGETS.maxRatio,
      message: `wall time / lower bound = ${f.ratio} (target ≤ ${TARGETS.maxRatio})`,
    },
    {
      code: 'SPEEDUP',
      met: f.speedup >= TARGETS.minSpeedup,
      message: `speed-up over the naive baseline = ${f.speedup}× (target ≥ ${TARGETS.minSpeedup}×)`,
    },
    {
      code: 'FAILED',
      met: m.failed <= TARGETS.maxFailed,
      message: `reads failed after retries = ${m.failed} (target ${TARGETS.maxFailed})`,
    },
    {
      code: 'CALLS_PER_CLUSTER',
      met: over <= TARGETS.maxCallsOverMinimum,
      message: `API calls ${(over * 100).toFixed(1)} % over the minimum (target ≤ ${TARGETS.maxCallsOverMinimum * 100} %)`,
    },
  ];
  if (m.clusters >= 5000) {
    checks.push({
      code: 'PEAK_RSS',
      met: f.peakRssMb < TARGETS.maxPeakRssMb,
      message: `peak RSS = ${f.peakRssMb} MB at ${m.clusters} clusters (target < ${TARGETS.maxPeakRssMb} MB)`,
    });
  }
  return checks;
}

/** The human-readable figures, one per line, aligned. */
export function formatFigures(m: Measurements): string[] {
  const f = figuresOf(m);
  const minimumPerCluster = m.clusters === 0 ? 0 : m.minimumCalls / m.clusters;
  const rows: [string, string][] = [
    ['clusters', String(f.clusters)],
    ['API calls', `${m.apiCalls} (minimum ${m.minimumCalls})`],
    ['API calls per cluster', `${f.apiCallsPerCluster} (minimum ${minimumPerCluster.toFixed(2)})`],
    ['wall time', `${(f.wallMs / 1000).toFixed(2)} s`],
    ['lower bound', `${(f.lowerBoundMs / 1000).toFixed(2)} s`],
    ['ratio', String(f.ratio)],
    ['naive baseline', `${(f.baselineWallMs / 1000).toFixed(1)} s`],
    ['speed-up', `${f.speedup}×`],
    ['throttled calls', String(f.throttled)],
    ['failed after retries', String(f.failed)],
    ['peak RSS', `${f.peakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}

/**
 * `npm run bench [-- --quick] [-- --check] [-- --seed N]` (DESIGN §8): generates a fleet, audits it through the
 * real audit path against the simulator (in its own process) with AWS-like latency, throttling and rare 5xx, and
 * prints clusters, API calls per cluster against the minimum, wall time against the lower bound, the naive
 * baseline and speed-up, throttled and failed calls, peak RSS, and last the DESIGN §8 JSON line.
 * `--check` exits 1 when a target of the issue is missed.
 */
import type { MemberAccount } from '../functions/adapters/accounts.ts';
import { fleetRegions } from '../functions/cli/fleet-session.ts';
import { generateFleet } from '../functions/sim/index.ts';
import { runAuditInChild } from './audit-run.ts';
import { runNaiveSample } from './baseline.ts';
import { fleetWork, naiveFleetCalls, naiveSampleCalls } from './fleet-work.ts';
import type { FleetWork, WorkOptions } from './fleet-work.ts';
import { fleetLowerBound } from './lower-bound.ts';
import type { LowerBound } from './lower-bound.ts';
import { sleep } from './measure.ts';
import { PROFILES } from './profiles.ts';
import type { BenchProfile } from './profiles.ts';
import { startRemoteSimulator } from './remote-simulator.ts';
import { checkTargets, figuresOf, formatFigures, jsonLine } from './report.ts';
import type { Measurements } from './report.ts';

/** Command-line options of the benchmark. */
interface BenchArgs {
  readonly profile: BenchProfile;
  readonly check: boolean;
}

/** The bench's own usage error (unknown flag or bad seed). */
class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

function parseArgs(argv: readonly string[]): BenchArgs {
  let profile: BenchProfile = PROFILES.full;
  let check = false;
  let seed: number | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') profile = PROFILES.quick;
    else if (arg === '--full') profile = PROFILES.full;
    else if (arg === '--check') check = true;
    else if (arg === '--seed') {
      seed = Number(argv[i + 1]);
      i += 1;
      if (!Number.isInteger(seed)) throw new BenchUsageError('--seed needs an integer');
    } else throw new BenchUsageError(`unknown option ${String(arg)} (use --quick, --full, --check, --seed N)`);
  }
  if (seed !== null) profile = { ...profile, shape: { ...profile.shape, seed } };
  return { profile, check };
}

/** What the run needs to know about the fleet, computed before it starts (the fleet itself is then released). */
interface FleetPlan {
  readonly accounts: MemberAccount[];
  readonly regions: string[];
  readonly work: FleetWork;
  readonly bound: LowerBound;
  readonly naiveCalls: number;
  readonly sample: { accountId: string; region: string; clusters: number; calls: number };
}

function planFleet(profile: BenchProfile): FleetPlan {
  const fleet = generateFleet(profile.shape);
  const regions = fleetRegions(fleet);
  const options: WorkOptions = {
    regions,
    pageSize: profile.pageSize,
    tagPrefix: profile.tagPrefix,
    now: new Date(profile.now),
  };
  const work = fleetWork(fleet, options);
  const accounts = fleet.accounts.map((account) => ({ id: account.id, name: account.name ?? null }));
  const bound = fleetLowerBound(
    work.targets,
    accounts.map((a) => a.id),
    profile.throttle,
    profile.latency,
  );
  const busiest = bound.busiest ?? work.targets.find((t) => t.clusters > 0);
  if (busiest === undefined) throw new BenchUsageError('the generated fleet has no clusters');
  const sampleOf = {
    accountId: busiest.accountId,
    region: busiest.region,
    clusters: profile.baselineSample.clusters,
  };
  return {
    accounts,
    regions,
    work,
    bound,
    naiveCalls: naiveFleetCalls(fleet, options),
    sample: { ...sampleOf, calls: naiveSampleCalls(fleet, options, sampleOf) },
  };
}

function settingsLines(profile: BenchProfile, plan: FleetPlan): string[] {
  const s = profile.shape;
  const t = profile.throttle;
  const c = profile.client;
  return [
    `fleet-auditor bench (${profile.name}), seed ${s.seed}`,
    `  fleet        ${s.accounts} accounts × ${s.regionsPerAccount} regions × ${s.clustersPerRegion} clusters ` +
      `× ${s.nodegroupsPerCluster} node groups × ${s.addonsPerCluster} add-ons; ` +
      `audited over ${plan.regions.length} regions = ${plan.work.targets.length} account-regions`,
    `  simulator    latency ${profile.latency.fixedMs}–${profile.latency.fixedMs + profile.latency.jitterMs} ms per call, ` +
      `token bucket ${t.ratePerSecond}/s burst ${t.burst} per account-region (EKS) and per caller (STS), ` +
      `${profile.errorRate5xx * 100} % 5xx, page size ${profile.pageSize}, in its own process`,
    `  audit        auditFleet: ${c.callsPerAccountRegion} calls in flight per account-region, ` +
      `${c.accountRegionsInParallel} account-regions at once, paced at ${c.ratePerAccountRegion.ratePerSecond}/s burst ` +
      `${c.ratePerAccountRegion.burst} per account-region, ${c.maxSockets} sockets, ` +
      `own process with a ${c.heapBudgetMb} MB V8 heap budget`,
    `  lower bound  busiest account-region ${plan.bound.busiest?.accountId ?? '-'}/${plan.bound.busiest?.region ?? '-'}` +
      ` (${((plan.bound.busiest?.targetMs ?? 0) / 1000).toFixed(2)} s after its credentials)`,
  ];
}

async function main(): Promise<number> {
  // The SDK's notice about Node 22 (see TOOLCHAIN.md) would interleave with the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.argv.includes('--nightly')) {
    // The handlers' logs and metrics would drown the figures (set before the handlers' modules load).
    process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
    const { nightlyMain } = await import('./nightly.ts');
    return nightlyMain(process.argv.slice(2));
  }
  const args = parseArgs(process.argv.slice(2));
  const { profile } = args;
  const plan = planFleet(profile);
  for (const line of settingsLines(profile, plan)) console.log(line);

  const sim = await startRemoteSimulator({
    shape: profile.shape,
    now: profile.now,
    latency: profile.latency,
    throttle: profile.throttle,
    errorRate5xx: profile.errorRate5xx,
    pageSize: profile.pageSize,
    seed: profile.shape.seed,
  });
  try {
    console.log('  running the audit …');
    const audit = await runAuditInChild(sim, profile, plan.accounts, plan.regions);
    const stats = await sim.stats();

    console.log(
      `  running the naive baseline on ${plan.sample.clusters} clusters of ${plan.sample.accountId}/${plan.sample.region} …`,
    );
    await sim.resetStats();
    await sleep((profile.throttle.burst / profile.throttle.ratePerSecond) * 1000 + 500); // let the buckets refill
    const sample = await runNaiveSample(sim, profile, plan.sample.accountId, plan.sample.region);
    const baselineWallMs = sample.wallMs * (plan.naiveCalls / plan.sample.calls);

    const measurements: Measurements = {
      clusters: audit.clusters,
      apiCalls: stats.calls,
      minimumCalls: plan.work.minimumCalls,
      wallMs: audit.wallMs,
      lowerBoundMs: plan.bound.lowerBoundMs,
      baselineWallMs,
      throttled: stats.throttled,
      failed: audit.errors.length,
      peakRssMb: audit.peakRssMb,
    };
    console.log('');
    for (const line of formatFigures(measurements)) console.log(line);
    console.log(
      `  (5xx injected ${stats.failed5xx}, retried; baseline: ${sample.clusters} clusters in ` +
        `${(sample.wallMs / 1000).toFixed(1)} s for ${plan.sample.calls} calls, scaled × ${(plan.naiveCalls / plan.sample.calls).toFixed(1)} ` +
        `to the fleet's ${plan.naiveCalls} naive calls)`,
    );
    for (const error of audit.errors.slice(0, 10)) {
      console.log(`  failed: ${error.accountId}/${error.region ?? '*'} ${error.code}: ${error.message}`);
    }
    const checks = checkTargets(measurements);
    console.log('');
    for (const c of checks) console.log(`  ${c.met ? 'ok  ' : 'MISS'} ${c.code.padEnd(17)} ${c.message}`);
    console.log(jsonLine(figuresOf(measurements)));
    return args.check && checks.some((c) => !c.met) ? 1 : 0;
  } finally {
    await sim.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `bench: ${error.message}` : error);
    process.exitCode = error instanceof BenchUsageError ? 2 : 1;
  },
);

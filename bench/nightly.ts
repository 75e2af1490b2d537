/**
 * `npm run bench -- --nightly [--targets N]` (DESIGN §8): the nightly pipeline run locally — the same state machine
 * definitions, middy handlers and a local DynamoDB (dynalite) — over N account-regions of a generated fleet, against
 * the in-process simulator. Measures what must not grow with the fleet: the largest state payload of either machine,
 * the history events of the largest execution, DynamoDB items read and written per account-region, the digest's
 * SNS message size, and the wall time.
 */
import { CredentialBroker, discoverMemberAccounts } from '../functions/adapters/accounts.ts';
import {
  closeConnection,
  createConnection,
  organizationsClient,
  stsClient,
} from '../functions/adapters/aws-clients.ts';
import { snsMessageBody } from '../functions/adapters/notifier.ts';
import type { Notifier } from '../functions/application/ports/notifier.ts';
import { DynamoFleetStore } from '../functions/adapters/store/fleet-store.ts';
import { LocalExecutionReader } from '../functions/adapters/local-execution-reader.ts';
import { ensureTable } from '../functions/adapters/store/local-dynamodb.ts';
import type { OutgoingMessage } from '../functions/core/messages.ts';
import { nightlyAccountRegionReaders } from '../functions/adapters/account-region-reader.ts';
import { runNightlyLocally } from '../functions/local/nightly-pipeline.ts';
import { NIGHTLY_BENCH_REGIONS, nightlyBenchFleet } from './nightly-fleet.ts';
import { startNightlyHosts } from './nightly-hosts.ts';
import { countItems, sumCounts } from './item-counter.ts';
import { startAuditAccountRegionPool } from './audit-account-region-pool.ts';
import type { AuditAccountRegionPool } from './audit-account-region-pool.ts';
import { DEFAULT_SOAK_DAYS } from '../functions/core/defaults.ts';

export { NIGHTLY_BENCH_REGIONS, nightlyBenchFleet } from './nightly-fleet.ts';

/** The figures of one size, in the order of the DESIGN §8 JSON line. */
export interface NightlyFigures {
  readonly targets: number;
  readonly maxStatePayloadBytes: number;
  readonly maxExecutionEvents: number;
  readonly itemsReadPerTarget: number;
  readonly itemsWrittenPerTarget: number;
  readonly digestBytes: number;
  readonly wallMs: number;
}

/** Extra facts printed next to the figures. */
export interface NightlyDetails {
  readonly clusters: number;
  readonly optedIn: number;
  readonly aboveWaveZero: number;
  readonly childExecutions: number;
  readonly itemsRead: number;
  readonly itemsWritten: number;
  readonly messages: number;
  /** DynamoDB requests per account-region, by command (the per-account-region work the store does). */
  readonly dynamoRequestsPerAccountRegion: Readonly<Record<string, number>>;
  /** Simulated AWS calls (STS, Organizations, EKS) per account-region, by operation. */
  readonly awsCallsPerAccountRegion: Readonly<Record<string, number>>;
  /** CPU time (user + system) of the pipeline's processes per account-region, in ms: less load-dependent than wall. */
  readonly cpuMsPerAccountRegion: number;
  /** AuditAccountRegion containers (child processes) the run used; 0: every task in the bench's process. */
  readonly auditContainers: number;
}

/** Options of {@link runNightlyBench}. */
export interface NightlyBenchOptions {
  readonly seed?: number;
  readonly maxConcurrency?: number;
  readonly batchSize?: number;
  readonly now?: string;
  /** The simulator, DynamoDB and every task in this process (quick to start; for tests of payloads and counts). */
  readonly inProcess?: boolean;
  /** AuditAccountRegion containers (child processes; default {@link DEFAULT_AUDIT_CONTAINERS}, 0 when `inProcess`). */
  readonly auditContainers?: number;
}

/**
 * AuditAccountRegion containers of the bench by default: none. Containers (`--containers N`) run AuditAccountRegion in child
 * processes as Lambda containers would, but on this 2-core machine shared with other work they cost more CPU (IPC,
 * one set of clients and caches each) than they gained: 1,000 account-regions took 71 s with 2, 58 s without.
 */
export const DEFAULT_AUDIT_CONTAINERS = 0;

/** Runs one nightly over `targets` account-regions and measures it. */
export async function runNightlyBench(
  targets: number,
  options: NightlyBenchOptions = {},
): Promise<{ figures: NightlyFigures; details: NightlyDetails }> {
  const now = new Date(options.now ?? '2026-12-01T02:00:00Z');
  const seed = options.seed ?? 7;
  const fleet = nightlyBenchFleet(targets, seed);
  const clusters = fleet.accounts.flatMap((a) => Object.values(a.regions).flatMap((r) => r.clusters));
  const optedIn = clusters.filter((c) => c.tags?.['fleet-auditor/auto-upgrade'] === 'true');
  const aboveWaveZero = optedIn.filter((c) => Number(c.tags?.['fleet-auditor/wave'] ?? '0') > 0);
  // The simulator and DynamoDB run in processes of their own, as AWS's side of the wire does (see nightly-hosts.ts).
  const { sim, dynamo: local } = await startNightlyHosts(targets, seed, now.toISOString(), options.inProcess);
  const connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
  const containers = options.auditContainers ?? (options.inProcess === true ? 0 : DEFAULT_AUDIT_CONTAINERS);
  let pool: AuditAccountRegionPool | null = null;
  try {
    await ensureTable(local.client, 'fleet-auditor');
    if (containers > 0) {
      pool = await startAuditAccountRegionPool(containers, {
        simEndpoint: sim.endpoint,
        hubCredentials: sim.hubCredentials,
        dynamoEndpoint: local.endpoint,
        tableName: 'fleet-auditor',
        tagPrefix: 'fleet-auditor/',
        soakDays: DEFAULT_SOAK_DAYS,
      });
    }
    const counts = countItems(local.client);
    const store = new DynamoFleetStore({ client: local.client, tableName: 'fleet-auditor' });
    const sent: OutgoingMessage[] = [];
    const notifier: Notifier = { publish: async (message) => void sent.push(message) };
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcome = await runNightlyLocally({
      deps: {
        store,
        notifier,
        readerForRun: nightlyAccountRegionReaders({
          connection: connection,
          broker: new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' }),
          tagPrefix: 'fleet-auditor/',
        }),
        discoverAccounts: async () =>
          discoverMemberAccounts(organizationsClient(connection), { accounts: [], organizationalUnits: [] }),
        regions: NIGHTLY_BENCH_REGIONS,
        tagPrefix: 'fleet-auditor/',
        soakDays: DEFAULT_SOAK_DAYS,
        clock: () => now,
        upgradeStarter: { start: () => Promise.reject(new Error('the bench starts no upgrades')) },
        maxConcurrentUpgrades: 0,
        upgradeExecutions: new LocalExecutionReader(store),
      },
      input: {
        now: now.toISOString(),
        maxConcurrency: options.maxConcurrency ?? 64,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      },
      ...(pool === null ? {} : { handlers: { AuditAccountRegion: pool.handler } }),
    });
    const wallMs = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    const inContainers = pool === null ? [] : await pool.stats();
    const all = sumCounts([counts, ...inContainers.map((c) => c.counts)]);
    const cpuMs = (cpu.user + cpu.system) / 1000 + inContainers.reduce((sum, c) => sum + c.cpuMs, 0);
    if (outcome.result === null) {
      throw new Error(`nightly run failed: ${outcome.execution.error ?? 'Error'}: ${outcome.execution.cause ?? ''}`);
    }
    const scheduled = outcome.result.counts['targets'] ?? 0;
    if (scheduled !== targets) throw new Error(`the run scheduled ${scheduled} account-regions, not ${targets}`);
    const digest = sent.find((m) => m.attributes.type === 'DIGEST');
    const perAccountRegion = (n: number): number => Math.round((n / targets) * 1000) / 1000;
    const perAccountRegionBy = (by: Readonly<Record<string, number>>): Record<string, number> =>
      Object.fromEntries(Object.entries(by).map(([name, n]) => [name.replace(/Command$/, ''), perAccountRegion(n)]));
    return {
      figures: {
        targets,
        maxStatePayloadBytes: outcome.maxStatePayloadBytes,
        maxExecutionEvents: outcome.maxExecutionEvents,
        itemsReadPerTarget: perAccountRegion(all.read),
        itemsWrittenPerTarget: perAccountRegion(all.written),
        digestBytes: digest === undefined ? 0 : Buffer.byteLength(snsMessageBody(digest), 'utf8'),
        wallMs,
      },
      details: {
        clusters: clusters.length,
        optedIn: optedIn.length,
        aboveWaveZero: aboveWaveZero.length,
        childExecutions: outcome.childExecutions,
        itemsRead: all.read,
        itemsWritten: all.written,
        messages: sent.length,
        dynamoRequestsPerAccountRegion: perAccountRegionBy(all.requests),
        awsCallsPerAccountRegion: perAccountRegionBy((await sim.stats()).byOperation),
        cpuMsPerAccountRegion: Math.round((cpuMs / targets) * 100) / 100,
        auditContainers: containers,
      },
    };
  } finally {
    await pool?.close();
    closeConnection(connection);
    await local.close();
    await sim.close();
  }
}

/** The DESIGN §8 JSON line of the nightly bench (keys in the contract's order). */
export function nightlyJsonLine(figures: NightlyFigures): string {
  const { targets, maxStatePayloadBytes, maxExecutionEvents, itemsReadPerTarget } = figures;
  const { itemsWrittenPerTarget, digestBytes, wallMs } = figures;
  return JSON.stringify({
    targets,
    maxStatePayloadBytes,
    maxExecutionEvents,
    itemsReadPerTarget,
    itemsWrittenPerTarget,
    digestBytes,
    wallMs,
  });
}

/** One human-readable line per size. */
export function nightlyLine(figures: NightlyFigures, details: NightlyDetails): string {
  return (
    `${figures.targets} account-regions (${details.clusters} clusters, ${details.optedIn} opted in, ` +
    `${details.aboveWaveZero} in waves above 0; ${details.childExecutions} batch executions): ` +
    `largest state payload ${figures.maxStatePayloadBytes} B, largest execution ${figures.maxExecutionEvents} ` +
    `history events, DynamoDB items read ${figures.itemsReadPerTarget} / written ${figures.itemsWrittenPerTarget} ` +
    `per account-region (${details.itemsRead} / ${details.itemsWritten}), digest ${figures.digestBytes} B, ` +
    `${details.messages} messages, wall ${(figures.wallMs / 1000).toFixed(1)} s ` +
    `(${details.auditContainers} AuditAccountRegion containers; pipeline CPU ${details.cpuMsPerAccountRegion} ms per account-region)`
  );
}

/** The value after `flag` as an integer (default when absent); throws when it is not an integer >= `min`. */
function intOption(argv: readonly string[], flag: string, fallback: number, min: number): number {
  const at = argv.indexOf(flag);
  const value = at === -1 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${flag} needs an integer of at least ${min}`);
  return value;
}

/** `--nightly [--targets N] [--containers C] [--in-process]`: one size (default 2,000) and the JSON line. */
export async function nightlyMain(argv: readonly string[]): Promise<number> {
  const targets = intOption(argv, '--targets', 2000, 4);
  const inProcess = argv.includes('--in-process');
  const auditContainers = intOption(argv, '--containers', inProcess ? 0 : DEFAULT_AUDIT_CONTAINERS, 0);
  const { figures, details } = await runNightlyBench(targets, { auditContainers, inProcess });
  console.log(nightlyLine(figures, details));
  console.log(`per account-region: DynamoDB requests ${JSON.stringify(details.dynamoRequestsPerAccountRegion)}`);
  console.log(`per account-region: AWS calls ${JSON.stringify(details.awsCallsPerAccountRegion)}`);
  console.log(nightlyJsonLine(figures));
  return 0;
}

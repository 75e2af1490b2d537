/**
 * `fleet-auditor nightly --simulate FLEET.json --state DIR [--now ISO]` (DESIGN §5.1): the whole nightly pipeline
 * on a laptop, through the same state-machine definition and middy handlers that run in AWS. DynamoDB is an
 * embedded dynalite whose data lives in DIR, every SNS message is appended to DIR/outbox.jsonl, and the simulated
 * fleet after the run is written to DIR/fleet.json, which a later run with the same DIR starts from. It prints the
 * audit table, the messages sent, and one line per upgrade started or held back, with why.
 *
 * Two runs cannot share one DIR at the same time: the first takes DIR/nightly.lock before it reads anything in
 * DIR, and the second stops with a one-line reason (exit 1). State files are written atomically; what a killed
 * run left (PENDING alerts, RUNNING upgrades) is settled at the start of the next.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CredentialBroker, discoverMemberAccounts } from '../adapters/accounts.ts';
import { closeConnection, createConnection, organizationsClient, stsClient } from '../adapters/aws-clients.ts';
import type { AwsConnection } from '../adapters/aws-clients.ts';
import { OutboxNotifier } from '../adapters/notifier.ts';
import { LocalExecutionReader } from '../adapters/local-execution-reader.ts';
import type { Notifier } from '../application/ports/notifier.ts';
import { DynamoFleetStore } from '../adapters/store/fleet-store.ts';
import type { StoredCluster } from '../application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../adapters/store/local-dynamodb.ts';
import type { OutgoingMessage } from '../core/messages.ts';
import type { AuditReport } from '../core/report-types.ts';
import { reportFromStoredFleet } from '../core/stored-fleet-report.ts';
import { nightlyAccountRegionReaders } from '../adapters/account-region-reader.ts';
import type { NightlyDeps } from '../application/nightly/nightly-deps.ts';
import type * as UpgradeDeps from '../handlers/upgrade/aws-deps.ts';
import type * as UpgradeStarters from '../adapters/local-upgrade-starter.ts';
import type * as LocalRun from '../local/nightly-pipeline.ts';
import type { LocalNightlyResult, NightlyRunOutput } from '../local/nightly-pipeline.ts';
import { loadFleetFile } from '../sim/fleet-file.ts';
import { startSimulator } from '../sim/server.ts';
import type { Simulator } from '../sim/server.ts';
import { fleetRegions } from './fleet-session.ts';
import { formatTable } from './format-table.ts';
import { colourWanted } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';
import { Progress } from './progress.ts';
import { terminalSafe } from './terminal-text.ts';
import type { CliOptions } from './options.ts';
import { UsageError } from './usage.ts';
import { acquireStateLock, describeFsError, StateDirError, writeFileAtomic } from '../local/state-dir.ts';
import { republishPendingAlerts } from '../application/nightly/deadline-alerts.ts';
import { LOCAL_DYNAMO_SUBDIR } from '../adapters/store/local-dynamodb.ts';
import { checkLocalStore } from '../adapters/store/local-store-check.ts';
import { storeFileFailure } from '../adapters/store/level-io-errors.ts';
import { checkOutbox } from '../local/outbox-check.ts';
import { resetLocalStore } from '../local/store-reset.ts';
import { reconcileLocalExecutions } from '../application/reconcile-upgrades.ts';
import { DEFAULT_MAX_CONCURRENT_UPGRADES, DEFAULT_SOAK_DAYS } from '../core/defaults.ts';

/** The DynamoDB table the local pipeline uses inside DIR. */
export const NIGHTLY_TABLE_NAME = 'fleet-auditor';

/** Files `nightly` keeps in its state directory, next to the embedded DynamoDB's `dynamodb/`. */
export const STATE_FILES = { fleet: 'fleet.json', outbox: 'outbox.jsonl' } as const;

/** Account-regions the local run audits at once. */
const LOCAL_MAX_CONCURRENCY = 8;

/** How often the run's progress is refreshed (a terminal) — a plain line still needs 5 s to pass. */
const NIGHTLY_HEARTBEAT_MS = 1_000;

/** Delivers to the outbox and remembers what this run sent, to print it. */
class RecordingNotifier implements Notifier {
  readonly sent: OutgoingMessage[] = [];

  constructor(private readonly inner: Notifier) {}

  async publish(message: OutgoingMessage): Promise<void> {
    await this.inner.publish(message);
    this.sent.push(message);
  }
}

const STARTS: ReadonlySet<string> = new Set(['STARTED', 'ALREADY_STARTED', 'START_FAILED', 'RESUMED']);

/**
 * One line per upgrade decision of the run: the upgrades the dispatcher started (with how they ended, when the run
 * waited for them) or failed to start, then every cluster held back — by the wave rule in FinishRun, or by the
 * dispatcher (cap, an earlier failure) — with its code and reason.
 */
export function upgradeLines(result: Partial<Pick<NightlyRunOutput, 'heldByWaves' | 'dispatch'>>): string[] {
  const entries = result.dispatch?.entries ?? [];
  const started = entries.filter((e) => STARTS.has(e.code));
  const lines = started.map((e) => {
    const head = `upgrade ${e.name} ${e.fromVersion} → ${e.target ?? '?'}: ${e.code}`;
    if (e.code !== 'STARTED' && e.code !== 'RESUMED') return `${head}: ${e.reason}`;
    if (e.outcome === null) return head;
    return e.outcome.status === 'FAILED'
      ? `${head}, FAILED (${e.outcome.error ?? 'no error named'})`
      : `${head}, ${e.outcome.status}`;
  });
  for (const held of result.heldByWaves ?? []) lines.push(`held ${held.name}: ${held.code}: ${held.reason}`);
  for (const e of entries.filter((entry) => !STARTS.has(entry.code))) {
    lines.push(`held ${e.name}: ${e.code}: ${e.reason}`);
  }
  return lines;
}

/** What the command prints about a finished run. */
interface RunOutput {
  readonly outcome: LocalNightlyResult;
  readonly report: AuditReport;
  readonly stale: readonly StoredCluster[];
  readonly sent: readonly OutgoingMessage[];
}

function render(output: RunOutput, outbox: string, colour: boolean): string {
  const lines = [formatTable(output.report, { colour }).trimEnd()];
  // The table's STALE lines name each marked cluster; this line lists those whose account-region was unreadable.
  if (output.stale.length > 0) {
    const names = output.stale.map((c) => `${c.report.name} (${c.report.accountId}, ${c.report.region})`);
    lines.push(terminalSafe(`stale (last known state shown, account or region unreadable): ${names.join(', ')}`));
  }
  const counts = output.outcome.result?.counts;
  if (counts !== undefined) {
    lines.push(
      `run ${output.outcome.result?.runId ?? ''}: ${counts['targets'] ?? 0} account-regions, ` +
        `${counts['targetsFailed'] ?? 0} failed; ${output.sent.length} message(s) sent to ${outbox}`,
    );
  }
  for (const message of output.sent) lines.push(terminalSafe(`→ ${message.subject}`));
  if (output.outcome.result !== null) lines.push(...upgradeLines(output.outcome.result).map(terminalSafe));
  return `${lines.join('\n')}\n`;
}

/** Loads the Powertools-instrumented handlers with logs and metrics off: the CLI prints its own output. */
async function loadLocalRunner(): Promise<typeof LocalRun & typeof UpgradeDeps & typeof UpgradeStarters> {
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
  const [localRun, upgradeDeps, upgradeStarters] = await Promise.all([
    import('../local/nightly-pipeline.ts'),
    import('../handlers/upgrade/aws-deps.ts'),
    import('../adapters/local-upgrade-starter.ts'),
  ]);
  return { ...localRun, ...upgradeDeps, ...upgradeStarters };
}

/**
 * Runs the nightly pipeline against the simulator with its state in `--state DIR`. Exit codes (DESIGN §5.1): 0 when
 * the run completed (whatever it found), 2 on bad input, 1 when the pipeline failed or could read no account-region.
 */
export async function nightly(options: CliOptions, io: CliIo): Promise<number> {
  if (options.simulate === null) {
    throw new UsageError('nightly runs against the built-in simulator: give --simulate FLEET.json');
  }
  if (options.state === null) throw new UsageError('nightly needs --state DIR (where its DynamoDB and outbox live)');
  const dir = options.state;
  const now = options.now ?? io.clock();
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw describeFsError(error, dir, 'create the state directory');
  }
  // One lock before anything in DIR is read: an overlapping run is refused here, with one line.
  const lock = await acquireStateLock(dir, io.clock());
  try {
    if (options.resetState) {
      const backup = await resetLocalStore(dir, io.clock());
      io.stderr.write(
        backup === null
          ? `fleet-auditor: --reset-state: no local store in ${dir}; starting with an empty one\n`
          : `fleet-auditor: --reset-state: moved the local store to ${backup}; starting with an empty one\n`,
      );
    }
    // A damaged store or outbox is refused before anything else runs, with one line naming the file.
    await checkLocalStore(dir, join(dir, LOCAL_DYNAMO_SUBDIR));
    await checkOutbox(join(dir, STATE_FILES.outbox));
    return await nightlyLocked(options, io, dir, now);
  } finally {
    await lock.release();
  }
}

async function loadSavedFleet(saved: string, simulate: string): Promise<Awaited<ReturnType<typeof loadFleetFile>>> {
  if (!existsSync(saved)) return loadFleetFile(simulate);
  try {
    return await loadFleetFile(saved);
  } catch (error) {
    throw new StateDirError(
      'STATE_DAMAGED',
      `${saved} is damaged (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): restore it ` +
        'from a backup, or delete it to start the fleet from --simulate again',
      { cause: error },
    );
  }
}

async function nightlyLocked(options: CliOptions, io: CliIo, dir: string, now: Date): Promise<number> {
  const saved = join(dir, STATE_FILES.fleet);
  const fleet = await loadSavedFleet(saved, options.simulate ?? '');
  const { runNightlyLocally, createUpgradeTaskDeps, LocalUpgradeStarter } = await loadLocalRunner();

  let simulator: Simulator | null = null;
  let connection: AwsConnection | null = null;
  let local: LocalDynamo | null = null;
  try {
    const sim = await startSimulator({ fleet, now: () => now, updateDurationMs: 0 });
    simulator = sim;
    const simConnection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
    connection = simConnection;
    local = await startLocalDynamo({ dir, now: io.clock() });
    await ensureTable(local.client, NIGHTLY_TABLE_NAME);
    const store = new DynamoFleetStore({ client: local.client, tableName: NIGHTLY_TABLE_NAME });
    const outbox = join(dir, STATE_FILES.outbox);
    const notifier = new RecordingNotifier(new OutboxNotifier(outbox));
    const regions = options.regions ?? fleetRegions(fleet);
    // What a killed run left: its PENDING alerts are published again (no other process can be sending: DIR is
    // locked), its RUNNING upgrades recorded FAILED, announced and unlocked — never started again.
    await republishPendingAlerts({ store, notifier, at: now.toISOString(), leaseSeconds: 0 });
    await reconcileLocalExecutions(store, notifier, now.toISOString());
    const deps: NightlyDeps = {
      store,
      notifier,
      readerForRun: nightlyAccountRegionReaders({
        connection: simConnection,
        broker: new CredentialBroker({ sts: stsClient(simConnection), roleName: options.role }),
        tagPrefix: options.tagPrefix,
      }),
      discoverAccounts: async () => discoverMemberAccounts(organizationsClient(simConnection), options),
      regions,
      tagPrefix: options.tagPrefix,
      soakDays: DEFAULT_SOAK_DAYS,
      clock: () => now,
      upgradeStarter: new LocalUpgradeStarter({
        deps: createUpgradeTaskDeps({
          connection: simConnection,
          store,
          notifier,
          clock: () => now,
          maxConcurrentUpgrades: DEFAULT_MAX_CONCURRENT_UPGRADES,
        }),
      }),
      maxConcurrentUpgrades: DEFAULT_MAX_CONCURRENT_UPGRADES,
      upgradeExecutions: new LocalExecutionReader(store),
    };
    let outcome: LocalNightlyResult;
    // The pipeline reports no per-account-region progress to the CLI: a heartbeat says it is still running.
    const progress = new Progress({ stream: io.stderr, clock: io.clock });
    const heartbeat = setInterval(
      () => progress.update(`nightly run in progress, ${progress.elapsedSeconds()} s`),
      NIGHTLY_HEARTBEAT_MS,
    );
    heartbeat.unref();
    try {
      outcome = await runNightlyLocally({
        deps,
        input: { now: now.toISOString(), maxConcurrency: LOCAL_MAX_CONCURRENCY },
      });
    } finally {
      clearInterval(heartbeat);
      progress.finish();
      await writeFileAtomic(saved, `${JSON.stringify(sim.snapshot(), null, 2)}\n`);
    }
    const storeFailure = storeFileFailure();
    if (storeFailure !== null) {
      // The store could not be written (full disk, read-only): what was sent before is in its ledger.
      io.stderr.write(`fleet-auditor: nightly run failed: the local store could not be written: ${storeFailure}\n`);
      return 1;
    }
    if (outcome.result === null) {
      const { error, cause } = outcome.execution;
      io.stderr.write(`fleet-auditor: nightly run failed: ${error ?? 'Error'}: ${cause ?? 'no detail'}\n`);
      return 1;
    }
    const finishError = (outcome.result as Partial<NightlyRunOutput> & { finishError?: unknown }).finishError;
    if ((outcome.result as Partial<NightlyRunOutput>).counts === undefined) {
      io.stderr.write(`fleet-auditor: nightly run failed: FinishRun failed (${String(finishError ?? 'Error')})\n`);
      return 1;
    }
    const clusters = await store.listClusters();
    const run = await store.getRun(outcome.result.runId);
    const report = reportFromStoredFleet({
      clusters,
      outcomes: run?.targets ?? [],
      regions,
      now,
      generatedAt: options.now === null ? now : io.clock(),
      // Stored clusters of accounts or regions this run did not schedule are marked OUT_OF_SCOPE.
      scheduled: await store.listRunAccountRegions(outcome.result.runId),
      // Baking, rolling back or held after a rollback: the report's `upgrade.phase`.
      phases: await store.listUpgradePhases(),
    });
    const unreadable = new Set(report.clusters.filter((c) => c.stale?.code === 'TARGET_UNREADABLE').map((c) => c.arn));
    const stale = clusters.filter((c) => unreadable.has(c.report.arn));
    const colour = colourWanted(io);
    io.stdout.write(render({ outcome, report, stale, sent: notifier.sent }, outbox, colour));
    const counts = outcome.result.counts;
    const targets = counts['targets'] ?? 0;
    if (targets === 0 || (counts['targetsFailed'] ?? 0) >= targets) {
      io.stderr.write('fleet-auditor: nightly: no account-region could be read (see the errors above)\n');
      return 1;
    }
    return 0;
  } finally {
    if (connection !== null) closeConnection(connection);
    await local?.close();
    await simulator?.close();
  }
}

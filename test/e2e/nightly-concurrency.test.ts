/**
 * Concurrent nightly runs over one DynamoDB table (dynalite over HTTP) and one simulator, each executing the
 * nightly state machine through the real handlers and appending to one outbox file: no threshold message appears
 * twice, and every run sends its own digest.
 *
 * Between two distinct runs, a cluster's latest record belongs to the run that wrote it last, so each run alerts
 * only for its own clusters; where two FinishRuns see the same clusters (a duplicated or overlapping invocation of
 * one run — Lambda delivers at least once), the alert ledger's conditional put decides who sends.
 */
import '../handlers/quiet-powertools.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialBroker, listOrganizationAccounts } from '../../functions/adapters/accounts.ts';
import {
  closeConnection,
  createConnection,
  organizationsClient,
  stsClient,
} from '../../functions/adapters/aws-clients.ts';
import { OutboxNotifier } from '../../functions/adapters/notifier.ts';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import { LocalExecutionReader } from '../../functions/adapters/local-execution-reader.ts';
import { ensureTable, startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { createFinishRunHandler } from '../../functions/handlers/nightly-handlers.ts';
import { nightlyAccountRegionReaders } from '../../functions/adapters/account-region-reader.ts';
import type { NightlyDeps } from '../../functions/application/nightly/nightly-deps.ts';
import type { LambdaHandler } from '../../functions/handlers/lambda-handler.ts';
import { runNightlyLocally } from '../../functions/local/nightly-pipeline.ts';
import { startSimulator } from '../../functions/sim/index.ts';
import type { Simulator } from '../../functions/sim/index.ts';
import { NOW, testFleet } from '../handlers/nightly-fixtures.ts';

interface OutboxLine {
  subject: string;
  attributes: { type: string };
  event: { detail: Record<string, unknown> };
}

let local: LocalDynamo;
let sim: Simulator;
let dir: string;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamo();
  dir = await mkdtemp(join(tmpdir(), 'nightly-concurrency-'));
});
afterEach(async () => {
  await sim.close();
});
afterAll(async () => {
  await local.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh table and outbox shared by every run of one test; each run gets its own deps (as separate Lambdas would). */
async function sharedWorld(): Promise<{ runDeps: () => NightlyDeps; outbox: string; close: () => void }> {
  tables += 1;
  const tableName = `concurrent-${tables}`;
  await ensureTable(local.client, tableName);
  const now = new Date(NOW);
  sim = await startSimulator({ fleet: testFleet(), now: () => now });
  const outbox = join(dir, `outbox-${tables}.jsonl`);
  const connections: ReturnType<typeof createConnection>[] = [];
  const runDeps = (): NightlyDeps => {
    const connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
    connections.push(connection);
    const store = new DynamoFleetStore({ client: local.client, tableName });
    return {
      store,
      notifier: new OutboxNotifier(outbox),
      readerForRun: nightlyAccountRegionReaders({
        connection: connection,
        broker: new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' }),
        tagPrefix: 'fleet-auditor/',
      }),
      discoverAccounts: () => listOrganizationAccounts(organizationsClient(connection)),
      regions: ['eu-west-1', 'us-east-1'],
      tagPrefix: 'fleet-auditor/',
      soakDays: 7,
      clock: () => now,
      // Audit only: these tests are about the audit, alerts and digest; upgrades have their own tests.
      upgradeStarter: { start: () => Promise.reject(new Error('no upgrade may start in this test')) },
      maxConcurrentUpgrades: 0,
      upgradeExecutions: new LocalExecutionReader(store),
    };
  };
  return { runDeps, outbox, close: () => connections.forEach(closeConnection) };
}

async function read(outbox: string): Promise<OutboxLine[]> {
  return (await readFile(outbox, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxLine);
}

/** Holds every caller until `parties` have arrived, then lets them all go at once. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    await all;
  };
}

describe('concurrent nightly runs over one table', () => {
  it('never send the same threshold twice, and each run sends one digest', async () => {
    const world = await sharedWorld();

    const runs = await Promise.all(
      [1, 2, 3].map(() => runNightlyLocally({ deps: world.runDeps(), input: { now: NOW, maxConcurrency: 4 } })),
    );
    world.close();

    expect(runs.map((r) => r.execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const lines = await read(world.outbox);
    const thresholds = lines.filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD').map((l) => l.subject);
    expect(thresholds.sort()).toEqual([
      '[CRITICAL] EKS billing 1.31: 4 days to 2026-11-26',
      '[CRITICAL] EKS billing 1.31: extended-support billing since 2025-11-26',
      '[CRITICAL] EKS web 1.34: 10 days to 2026-12-02',
      '[EXPIRED] EKS old 1.29: deadline 2026-03-23 passed',
      '[WARNING] EKS cdn 1.33: extended-support billing since 2026-07-29',
    ]);
    const digestRuns = lines.filter((l) => l.attributes.type === 'DIGEST').map((l) => l.event.detail['runId']);
    expect(digestRuns.sort()).toEqual(runs.map((r) => r.result?.runId).sort());
  });

  it('never send the same threshold twice when both runs reach FinishRun at the same moment', async () => {
    const world = await sharedWorld();
    const together = barrier(2);
    const run = (): ReturnType<typeof runNightlyLocally> => {
      const deps = world.runDeps();
      const finishRun = createFinishRunHandler(deps);
      const held: LambdaHandler<unknown> = async (event, context) => {
        await together();
        return finishRun(event, context);
      };
      return runNightlyLocally({ deps, input: { now: NOW }, handlers: { FinishRun: held } });
    };

    const runs = await Promise.all([run(), run()]);
    world.close();

    expect(runs.map((r) => r.execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const lines = await read(world.outbox);
    const thresholds = lines.filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD').map((l) => l.subject);
    expect(thresholds).toHaveLength(5);
    expect(new Set(thresholds).size).toBe(5);
    expect(lines.filter((l) => l.attributes.type === 'DIGEST')).toHaveLength(2);
  });

  it('never send the same threshold twice when FinishRun is invoked twice at once for one run', async () => {
    const world = await sharedWorld();
    const deps = world.runDeps();
    const finishRun = createFinishRunHandler(deps);
    const duplicated: LambdaHandler<unknown> = async (event, context) => {
      const [first] = await Promise.all([finishRun(event, context), finishRun(event, context)]);
      return first;
    };

    const { execution } = await runNightlyLocally({ deps, input: { now: NOW }, handlers: { FinishRun: duplicated } });
    world.close();

    expect(execution.status).toBe('SUCCEEDED');
    const lines = await read(world.outbox);
    const thresholds = lines.filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD').map((l) => l.subject);
    expect(thresholds).toHaveLength(5);
    expect(new Set(thresholds).size).toBe(5);
    expect(lines.filter((l) => l.attributes.type === 'DIGEST')).toHaveLength(1);
  });
});

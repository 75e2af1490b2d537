/**
 * The nightly bench's outside systems, each in a child process of its own: the simulator (serving the generated
 * fleet, as EKS, STS and Organizations do from elsewhere in AWS) and the local DynamoDB (dynalite). In one process
 * with the pipeline they took about half of its CPU — work that in AWS runs on AWS's side, not in the Lambdas — and
 * serialised it with the pipeline's own on one core. The pipeline, its handlers and the SDK clients stay in the
 * bench's process, so what the bench times is the pipeline's work and the wire protocol, as in AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamo } from '../functions/adapters/store/local-dynamodb.ts';
import { startSimulator } from '../functions/sim/index.ts';
import type { SimStats } from '../functions/sim/index.ts';
import { awaitExit, BenchChildError, forkHost, request } from './ipc.ts';
import { nightlyBenchFleet } from './nightly-fleet.ts';

/** Requests to a nightly host child. */
export type NightlyHostRequest =
  | { readonly type: 'startSimulator'; readonly targets: number; readonly seed: number; readonly now: string }
  | { readonly type: 'startDynamo' }
  | { readonly type: 'stats' }
  | { readonly type: 'close' };

/** A host's reply to a start request. */
export interface HostStarted {
  readonly type: 'started';
  readonly endpoint: string;
  /** The simulator's hub credentials (absent for DynamoDB). */
  readonly hubCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The simulator host's reply to `stats`. */
export interface HostStats {
  readonly type: 'stats';
  readonly stats: SimStats;
}

/** A child process serving one outside system on loopback. */
interface Host {
  readonly started: HostStarted;
  ask<T extends { readonly type: string }>(message: NightlyHostRequest): Promise<T>;
  close(): Promise<void>;
}

async function startHost(start: NightlyHostRequest, nodeFlags: readonly string[] = []): Promise<Host> {
  const child = forkHost(new URL('./nightly-host.ts', import.meta.url), nodeFlags);
  let started: HostStarted;
  try {
    started = await request<HostStarted>(child, start);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    started,
    ask: (message) => request(child, message),
    close: async () => {
      if (child.exitCode !== null || !child.connected) return;
      await request(child, { type: 'close' }).catch((error: unknown) => {
        child.kill();
        if (!(error instanceof BenchChildError)) throw error;
      });
      await awaitExit(child);
    },
  };
}

/** The simulator serving the nightly bench's fleet, in its own process. */
export interface NightlySimulatorHost {
  readonly endpoint: string;
  readonly hubCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stats(): Promise<SimStats>;
  close(): Promise<void>;
}

/** Starts the simulator over `nightlyBenchFleet(targets, seed)` at the fixed `now`, in a child process. */
export async function startNightlySimulator(targets: number, seed: number, now: string): Promise<NightlySimulatorHost> {
  const host = await startHost({ type: 'startSimulator', targets, seed, now }, ['--max-old-space-size=2048']);
  const { endpoint, hubCredentials } = host.started;
  if (hubCredentials === undefined) throw new BenchChildError('the simulator host gave no hub credentials');
  return {
    endpoint,
    hubCredentials,
    stats: async () => (await host.ask<HostStats>({ type: 'stats' })).stats,
    close: () => host.close(),
  };
}

/** A local DynamoDB in its own process, and a document client pointed at it (configured as the store's own). */
export interface DynamoHost {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** Starts dynalite (in memory) in a child process and returns a document client for it. */
export async function startDynamoHost(): Promise<DynamoHost> {
  const host = await startHost({ type: 'startDynamo' }, ['--max-old-space-size=2048']);
  const raw = new DynamoDBClient({
    endpoint: host.started.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint: host.started.endpoint,
    client,
    close: async () => {
      client.destroy();
      await host.close();
    },
  };
}

/**
 * Both outside systems: in child processes (the bench's default), or in this process (`inProcess`: quicker to start,
 * for tests that measure payloads and item counts rather than time).
 */
export async function startNightlyHosts(
  targets: number,
  seed: number,
  now: string,
  inProcess = false,
): Promise<{ sim: NightlySimulatorHost; dynamo: DynamoHost }> {
  if (!inProcess) {
    const [sim, dynamo] = await Promise.all([startNightlySimulator(targets, seed, now), startDynamoHost()]);
    return { sim, dynamo };
  }
  const at = new Date(now);
  const [sim, local] = await Promise.all([
    startSimulator({ fleet: nightlyBenchFleet(targets, seed), now: () => at, updateDurationMs: 0 }),
    startLocalDynamo(),
  ]);
  return {
    sim: {
      endpoint: sim.endpoint,
      hubCredentials: sim.hubCredentials,
      stats: async () => sim.stats(),
      close: sim.close,
    },
    dynamo: { endpoint: local.endpoint, client: local.client, close: local.close },
  };
}

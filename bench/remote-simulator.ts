/**
 * The benchmark's simulator, run in a child process (`sim-host.ts`) so that it gets its own core and its memory is
 * not counted in the auditor's peak RSS (on AWS there is no simulator).
 */
import type { FleetShape, SimStats } from '../functions/sim/index.ts';
import { awaitExit, BenchChildError, forkHost, request } from './ipc.ts';
import type { Latency, Throttle } from './lower-bound.ts';

/** How to start the simulator: the fleet's shape (generated in the child) and the fault knobs. */
export interface RemoteSimulatorOptions {
  readonly shape: FleetShape;
  /** The simulated now, ISO-8601. */
  readonly now: string;
  readonly latency: Latency;
  readonly throttle: Throttle;
  readonly errorRate5xx: number;
  readonly pageSize: number;
  readonly seed: number;
}

/** Requests to the simulator host. */
export type SimHostRequest =
  | { readonly type: 'start'; readonly options: RemoteSimulatorOptions }
  | { readonly type: 'stats' }
  | { readonly type: 'resetStats' }
  | { readonly type: 'close' };

/** The simulator host's reply to `start`. */
export interface SimStarted {
  readonly type: 'started';
  readonly endpoint: string;
  readonly hubCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The simulator host's reply to `stats`. */
export interface SimStatsReply {
  readonly type: 'stats';
  readonly stats: SimStats;
}

/** A simulator running in a child process. */
export interface RemoteSimulator {
  readonly endpoint: string;
  readonly hubCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

/** Forks the simulator host, starts the simulator in it and returns a handle; `close()` ends the child. */
export async function startRemoteSimulator(options: RemoteSimulatorOptions): Promise<RemoteSimulator> {
  const child = forkHost(new URL('./sim-host.ts', import.meta.url));
  let started: SimStarted;
  try {
    const start: SimHostRequest = { type: 'start', options };
    started = await request<SimStarted>(child, start);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    endpoint: started.endpoint,
    hubCredentials: started.hubCredentials,
    stats: async () => (await request<SimStatsReply>(child, { type: 'stats' })).stats,
    resetStats: async () => {
      await request(child, { type: 'resetStats' });
    },
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

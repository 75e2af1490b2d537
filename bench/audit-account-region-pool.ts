/**
 * AuditAccountRegion in Lambda-like containers for the nightly bench: `size` child processes, each running the same
 * AuditAccountRegion handler (`audit-account-region-worker.ts`) with its own clients and per-container caches (credentials, region
 * catalogs, the run's wave index), as concurrent Lambda invocations do in AWS. The state machines still run in the
 * bench's process through the same definitions; only the AuditAccountRegion task is handed to a container, chosen by
 * account so that an account's regions share one container's credentials as they would share a warm Lambda. A
 * failed invocation is rethrown under the error's name, so the state machine's Retry and Catch see it as in AWS.
 */
import type { ChildProcess } from 'node:child_process';
import type { LambdaHandler } from '../functions/handlers/lambda-handler.ts';
import { awaitExit, forkHost } from './ipc.ts';
import type { ItemCounts } from './item-counter.ts';

/** What a container needs to build its dependencies: where the simulator and DynamoDB answer, and the settings. */
export interface WorkerConfig {
  readonly simEndpoint: string;
  readonly hubCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly tagPrefix: string;
  readonly soakDays: number;
}

/** Messages to a container. */
export type WorkerRequest =
  | { readonly type: 'start'; readonly config: WorkerConfig }
  | { readonly type: 'invoke'; readonly id: number; readonly event: unknown }
  | { readonly type: 'stats'; readonly id: number }
  | { readonly type: 'close' };

/** Messages from a container. */
export type WorkerReply =
  | { readonly type: 'started' }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly name: string; readonly message: string }
  | { readonly type: 'stats'; readonly id: number; readonly counts: ItemCounts; readonly cpuMs: number };

/** The containers, and the AuditAccountRegion handler that invokes them. */
export interface AuditAccountRegionPool {
  readonly handler: LambdaHandler<unknown>;
  /** Each container's DynamoDB counts and CPU time (user + system, ms) so far. */
  stats(): Promise<{ counts: ItemCounts; cpuMs: number }[]>;
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One container: a child process answering invocations by id, any number at once. */
class Container {
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'started') return;
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') {
        const error = new Error(reply.message);
        error.name = reply.name;
        waiting.reject(error);
      } else waiting.resolve(reply.type === 'result' ? reply.result : reply);
    });
    child.on('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`container exited (${String(code)})`));
      this.pending.clear();
    });
  }

  call(message: (id: number) => WorkerRequest): Promise<unknown> {
    const id = (this.next += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send(message(id));
    });
  }
}

function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type !== 'started') return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve();
    };
    const onExit = (code: number | null): void => reject(new Error(`container exited (${String(code)}) at start`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The container that serves an account: always the same one. */
function containerOf(accountId: string, size: number): number {
  let hash = 0;
  for (const char of accountId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % size;
}

/** Starts `size` containers and waits until each has built its dependencies. */
export async function startAuditAccountRegionPool(size: number, config: WorkerConfig): Promise<AuditAccountRegionPool> {
  const containers = Array.from(
    { length: size },
    () => new Container(forkHost(new URL('./audit-account-region-worker.ts', import.meta.url))),
  );
  await Promise.all(
    containers.map((container) => {
      const ready = started(container.child);
      container.child.send({ type: 'start', config } satisfies WorkerRequest);
      return ready;
    }),
  );
  return {
    handler: async (event) => {
      const accountId = String((event as { accountId?: unknown }).accountId ?? '');
      const container = containers[containerOf(accountId, size)] as Container;
      return container.call((id) => ({ type: 'invoke', id, event }));
    },
    stats: async () =>
      Promise.all(
        containers.map(async (container) => {
          const reply = (await container.call((id) => ({ type: 'stats', id }))) as WorkerReply & { type: 'stats' };
          return { counts: reply.counts, cpuMs: reply.cpuMs };
        }),
      ),
    close: async () => {
      await Promise.all(
        containers.map(async ({ child }) => {
          if (child.connected) child.send({ type: 'close' } satisfies WorkerRequest);
          await awaitExit(child);
        }),
      );
    },
  };
}

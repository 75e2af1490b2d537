/**
 * The benchmark's child processes (the simulator, the auditor): forked TypeScript entry points that answer one
 * request at a time over the fork IPC channel. A reply `{ type: 'error', message }` rejects the request.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A child failed to start, answered an error, or exited mid-request. */
export class BenchChildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchChildError';
  }
}

/** A reply to any request: the request's own reply, or an error. */
export type Reply<T> = T | { readonly type: 'error'; readonly message: string };

/** Forks `entry` (a .ts module next to this one) under tsx with extra Node flags (e.g. a heap budget). */
export function forkHost(entry: URL, nodeFlags: readonly string[] = []): ChildProcess {
  return fork(fileURLToPath(entry), [], {
    execArgv: [...nodeFlags, '--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Sends `message` and resolves with the child's next message, or rejects on an error reply or exit. */
export function request<T extends { readonly type: string }>(
  child: ChildProcess,
  message: { readonly type: string } & object,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: Reply<T>): void => {
      cleanup();
      if (reply.type === 'error' && 'message' in reply) reject(new BenchChildError(String(reply.message)));
      else resolve(reply as T);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new BenchChildError(`the child process exited (code ${String(code)}) during ${message.type}`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(message);
  });
}

/** Waits for the child to exit, killing it if it has not after `graceMs`. */
export async function awaitExit(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill(), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * In a child: answers each request from the parent with `handle`'s reply (or an error reply). After replying to a
 * request for which `last` is true, it closes the channel (once the reply is flushed) so the child can exit.
 */
export function serveRequests<Q>(
  handle: (request: Q) => Promise<{ readonly type: string }>,
  last: (request: Q) => boolean = () => false,
): void {
  process.on('message', (message: Q) => {
    const send = (reply: object): void => {
      process.send?.(reply, undefined, {}, () => {
        if (last(message)) process.disconnect();
      });
    };
    handle(message).then(send, (error: unknown) =>
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/**
 * A moto server (an independent AWS implementation, Python) on loopback for contract tests of the real-AWS path:
 * started on a free port, waited for, fixtures built with boto3, stopped by its process id.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `python3 -c "import moto"` works on this machine. */
export function motoAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import moto'], { stdio: 'ignore' }).status === 0;
}

/** A running moto server. */
export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`);
    return true;
  } catch {
    return false;
  }
}

/** Starts `python3 -m moto.server` on 127.0.0.1 and a free port; resolves once it answers HTTP. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(endpoint))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, stop };
}

/** One cluster the fixture created. */
export interface MotoCluster {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly version: string;
  readonly nodegroups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** What `moto-fleet.py` built: the member accounts (in creation order) and the clusters. */
export interface MotoFleet {
  readonly accounts: readonly string[];
  readonly managementAccount: string;
  readonly clusters: readonly MotoCluster[];
}

/** Builds the organization, accounts, clusters, node groups and tags with boto3 (test/contract/moto-fleet.py). */
export async function buildMotoFleet(endpoint: string): Promise<MotoFleet> {
  const script = join(import.meta.dirname, 'moto-fleet.py');
  const { stdout } = await run('python3', [script, endpoint], { timeout: 60_000 });
  return JSON.parse(stdout) as MotoFleet;
}

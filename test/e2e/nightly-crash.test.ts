/**
 * Crash safety of `fleet-auditor nightly` (a real child process, killed with SIGKILL at named points through the
 * FLEET_AUDITOR_CRASH_AT hook), then rerun on the same night: every deadline threshold of a clean night is in the
 * outbox exactly once, no upgrade is started twice, no upgrade record is left RUNNING, DIR/fleet.json is whole and
 * the rerun exits 0. And two runs on one DIR: the second is refused with one line.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import { startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { NIGHTLY_TABLE_NAME } from '../../functions/cli/nightly-command.ts';
import { acquireStateLock } from '../../functions/local/state-dir.ts';
import { NOW, testFleet } from '../handlers/nightly-fixtures.ts';

/** The real bin of the CLI compiled once for this test run (test/support/compiled-cli-setup.ts). */
const BIN = inject('compiledCliBin');
let root: string;
let fleetPath: string;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function nightly(dir: string, crashAt?: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, FLEET_AUDITOR_CRASH_AT: crashAt ?? '', NO_COLOR: '1' };
    const child = spawn(process.execPath, [BIN, 'nightly', '--simulate', fleetPath, '--state', dir, '--now', NOW], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

interface Line {
  attributes: { type: string };
  event: { messageId?: string; cluster?: { arn: string }; detail: { threshold?: number; executionName?: string } };
}

async function outbox(dir: string): Promise<Line[]> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

const thresholds = (lines: Line[]): string[] =>
  lines
    .filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD')
    .map((l) => `${l.event.cluster?.arn ?? ''}#${l.event.detail.threshold ?? ''}`)
    .sort();

async function runningRecords(dir: string, arns: readonly string[]): Promise<number> {
  const local = await startLocalDynamo({ dir });
  try {
    const store = new DynamoFleetStore({ client: local.client, tableName: NIGHTLY_TABLE_NAME });
    const records = (await Promise.all(arns.map((arn) => store.listUpgradeRecords(arn)))).flat();
    return records.filter((r) => r.status === 'RUNNING').length;
  } finally {
    await local.close();
  }
}

let clean: Line[] = [];
let arns: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nightly-crash-'));
  fleetPath = join(root, 'fleet.json');
  const fleet = testFleet();
  await writeFile(fleetPath, JSON.stringify(fleet));
  arns = fleet.accounts.flatMap((a) =>
    Object.entries(a.regions).flatMap(([region, r]) =>
      r.clusters.map((c) => `arn:aws:eks:${region}:${a.id}:cluster/${c.name}`),
    ),
  );
  const dir = join(root, 'clean');
  const exit = await nightly(dir);
  expect(exit.code).toBe(0);
  clean = await outbox(dir);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each case has its own DIR: they run at the same time (no assertion depends on which child finishes first).
describe.concurrent('fleet-auditor nightly killed with SIGKILL, then rerun the same night', () => {
  it.each(['outbox-line', 'alert-claimed:2', 'digest-claimed', 'upgrade-started', 'upgrade-step:3', 'state-write'])(
    'at %s: every threshold once, no upgrade twice, none left RUNNING, fleet.json whole',
    async (point) => {
      const dir = join(root, point.replace(':', '-'));

      const killed = await nightly(dir, point);
      const rerun = await nightly(dir);

      expect(killed.signal).toBe('SIGKILL');
      expect(rerun.stderr.replace(/^nightly run in progress, \d+ s\n/gm, '')).toBe(''); // a loaded machine's heartbeat
      expect(rerun.code).toBe(0);
      const lines = await outbox(dir);
      expect(thresholds(lines)).toEqual(thresholds(clean));
      const starts = lines
        .filter((l) => l.attributes.type === 'UPGRADE_STARTED')
        .map((l) => l.event.detail.executionName);
      expect(new Set(starts).size).toBe(starts.length);
      expect(await runningRecords(dir, arns)).toBe(0);
      expect(() => JSON.parse(readFileSyncText(dir)) as unknown).not.toThrow();
    },
    120_000,
  );
});

describe('two runs on one DIR', () => {
  it('refuses the second with one line while the first holds the lock, and leaves the first’s state alone', async () => {
    // The first run's state: a copy of the reference night's DIR (that run exited 0 in beforeAll).
    const dir = join(root, 'overlap');
    cpSync(join(root, 'clean'), dir, { recursive: true });
    const before = await readFile(join(dir, 'fleet.json'), 'utf8');
    const held = await acquireStateLock(dir);
    try {
      const second = await nightly(dir);

      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(/in use by another fleet-auditor \(pid \d+ on /);
      expect(await readFile(join(dir, 'fleet.json'), 'utf8')).toBe(before);
    } finally {
      await held.release();
    }
  }, 120_000);
});

function readFileSyncText(dir: string): string {
  return readFileSync(join(dir, 'fleet.json'), 'utf8');
}

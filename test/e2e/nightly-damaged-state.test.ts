/**
 * A damaged or unwritable local state is refused, never reset (issue 12, part 4): `fleet-auditor nightly` on a DIR
 * whose store lost or had cut its CURRENT, MANIFEST, write-ahead log or a table file, whose fleet.json or outbox is
 * corrupt, that is read-only or on a full disk, exits 1 with one line naming the cause and touches nothing;
 * `--reset-state` keeps the old store in a backup folder and the run works; a good store opens.
 *
 * Runs that open the store are real child processes (a crash inside dynalite would kill them, not the test). The
 * ten refusals that happen before anything is opened run the same CLI entry (`main`) in-process, which keeps the
 * file fast; one of them also runs as a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdtemp, open, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { main } from '../../functions/cli/main.ts';
import { NOW, testFleet } from '../handlers/nightly-fixtures.ts';

/** The real bin of the CLI compiled once for this test run (test/support/compiled-cli-setup.ts). */
const BIN = inject('compiledCliBin');
let root: string;
let fleetPath: string;
/** After one clean night: CURRENT, a manifest and a write-ahead log holding the night. */
let base: string;
/** The same store opened and closed once more: its log was written into a table file. */
let withTable: string;
const mounts: string[] = [];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function nightly(dir: string, extra: readonly string[] = [], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'nightly', '--simulate', fleetPath, '--state', dir, '--now', NOW, ...extra],
      {
        env: { ...process.env, FLEET_AUDITOR_CRASH_AT: '', NO_COLOR: '1', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** The same command through the CLI's entry, in this process. */
async function nightlyInProcess(dir: string): Promise<Exit> {
  let stderr = '';
  const code = await main(['nightly', '--simulate', fleetPath, '--state', dir, '--now', NOW], {
    stdout: { write: (): boolean => true },
    stderr: { write: (text: string): boolean => ((stderr += text), true) },
    clock: () => new Date(),
    env: { NO_COLOR: '1' },
  });
  return { code, signal: null, stderr };
}

/** stderr without the progress heartbeat a slow run prints every 5 s. */
const lines = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('nightly run in progress'));

/** Every file under `dir` (but the lock) and its bytes, to show a refused run changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name !== 'nightly.lock') files[relative(dir, path)] = readFileSync(path, 'base64');
  }
  return files;
}

interface Line {
  attributes: { type: string };
  event: { cluster?: { arn: string }; detail: { threshold?: number } };
}

async function thresholds(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD')
    .map((l) => `${l.event.cluster?.arn ?? ''}#${l.event.detail.threshold ?? ''}`)
    .sort();
}

function copyOf(from: string, name: string): string {
  const to = join(root, name);
  cpSync(from, to, { recursive: true });
  return to;
}

const storeFile = (dir: string, pattern: RegExp): string => {
  const name = readdirSync(join(dir, 'dynamodb')).find((f) => pattern.test(f));
  if (name === undefined) throw new Error(`no file matching ${pattern} in ${dir}/dynamodb`);
  return name;
};

/** Mounts a tmpfs of `size` on a new folder, or returns null where this process may not mount. */
function tmpfs(name: string, size: string): string | null {
  const at = join(root, name);
  spawnSync('mkdir', ['-p', at]);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
  if (mounted.status !== 0) return null;
  mounts.push(at);
  return at;
}

let clean: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nightly-damaged-'));
  fleetPath = join(root, 'fleet-in.json');
  await writeFile(fleetPath, JSON.stringify(testFleet()));
  base = join(root, 'base');
  const first = await nightly(base);
  expect(first.code).toBe(0);
  clean = await thresholds(base);
  expect(clean.length).toBeGreaterThan(0);
  withTable = copyOf(base, 'with-table');
  const reopened = await startLocalDynamo({ dir: withTable });
  await reopened.close();
}, 120_000);

afterAll(async () => {
  for (const at of mounts) spawnSync('umount', ['-l', at]);
  await rm(root, { recursive: true, force: true });
});

async function damage(
  from: string,
  pattern: RegExp,
  how: 'removed' | 'truncated',
  name = `damaged-${pattern.source.replace(/\W/g, '')}-${how}`,
): Promise<[string, string]> {
  const dir = copyOf(from, name);
  const path = join(dir, 'dynamodb', storeFile(dir, pattern));
  if (how === 'removed') await unlink(path);
  else await truncate(path, Math.floor(statSync(path).size / 2));
  return [dir, path];
}

describe('fleet-auditor nightly on a damaged store', () => {
  it.each([
    ['CURRENT', 'removed', /^CURRENT$/],
    ['CURRENT', 'truncated', /^CURRENT$/],
    ['the manifest', 'removed', /^MANIFEST-\d+$/],
    ['the manifest', 'truncated', /^MANIFEST-\d+$/],
    ['the write-ahead log', 'removed', /^\d+\.log$/],
    ['the write-ahead log', 'truncated', /^\d+\.log$/],
    ['a table file', 'removed', /^\d+\.ldb$/],
    ['a table file', 'truncated', /^\d+\.ldb$/],
  ] as const)('%s %s: exit 1, one line naming the file and --reset-state, nothing touched', async (_, how, pattern) => {
    const [dir, path] = await damage(pattern.source.includes('ldb') ? withTable : base, pattern, how);
    const before = snapshot(dir);

    const exit = await nightlyInProcess(dir);

    expect(exit.code).toBe(1);
    const found = how === 'removed' ? 'missing' : 'truncated';
    expect(lines(exit.stderr)).toEqual([
      expect.stringContaining(`fleet-auditor: the local store is damaged: ${path} is ${found} (`),
    ]);
    expect(exit.stderr).toContain(
      `or run again with --reset-state (it moves the damaged store to a backup folder in ${dir}`,
    );
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('fleet-auditor nightly on damaged state files', () => {
  it('a cut fleet.json: exit 1, one line naming it', async () => {
    const dir = copyOf(base, 'fleet-cut');
    const path = join(dir, 'fleet.json');
    await truncate(path, Math.floor(statSync(path).size / 2));
    const before = snapshot(dir);

    const exit = await nightlyInProcess(dir);

    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([expect.stringContaining(`${path} is damaged`)]);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('an outbox with a broken line: exit 1, one line naming the file and line', async () => {
    const dir = copyOf(base, 'outbox-broken');
    const path = join(dir, 'outbox.jsonl');
    const text = await readFile(path, 'utf8');
    const [first, ...rest] = text.split('\n');
    await writeFile(path, [first, '{"subject": "cut', ...rest].join('\n'));
    const before = snapshot(dir);

    const exit = await nightlyInProcess(dir);

    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      `fleet-auditor: ${path} is damaged: line 2 is not a whole message. Restore it from a backup, or move it away ` +
        '(the alert ledger in the store still knows what was sent, so nothing is sent twice)',
    ]);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);
});

describe.concurrent('fleet-auditor nightly (a child process)', () => {
  it('a table file cut short: exit 1, one line naming it, nothing touched', async () => {
    const [dir, path] = await damage(withTable, /^\d+\.ldb$/, 'truncated', 'child-table-cut');
    const before = snapshot(dir);

    const exit = await nightly(dir);

    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([expect.stringContaining(`the local store is damaged: ${path} is truncated (`)]);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('a read-only DIR: exit 1, one line saying so, nothing touched', async (context) => {
    // As root, chmod does not stop writes: then a read-only tmpfs stands in, where this process may mount one.
    let dir = copyOf(base, 'read-only');
    await chmod(dir, 0o555);
    const probe = await open(join(dir, '.probe'), 'w').then(
      async (h) => (await h.close(), true),
      () => false,
    );
    if (probe) {
      await chmod(dir, 0o755);
      const at = tmpfs('ro-mount', '4m');
      if (at === null) {
        context.skip('running as root without the right to mount: chmod cannot make DIR read-only here');
        return;
      }
      dir = join(at, 'state');
      cpSync(base, dir, { recursive: true });
      expect(spawnSync('mount', ['-o', 'remount,ro', at]).status).toBe(0);
    }
    const before = snapshot(dir);

    const exit = await nightly(dir);
    await chmod(dir, 0o755).catch(() => undefined);

    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toHaveLength(1);
    expect(exit.stderr).toMatch(/read-only \((EROFS|EACCES)\)|read-only\?\) \(EACCES\)/);
    expect(exit.stderr).not.toMatch(/another fleet-auditor/);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('a full disk (a tiny tmpfs filled up, where it can be mounted): exit 1, one line naming ENOSPC', async (context) => {
    const at = tmpfs('full-mount', '1m');
    if (at === null) {
      context.skip('cannot mount a tmpfs here; the injected full disk below covers ENOSPC');
      return;
    }
    const dir = join(at, 'state');
    cpSync(base, dir, { recursive: true });
    const filler = await open(join(at, 'filler'), 'w');
    try {
      for (;;) await filler.write(Buffer.alloc(4096, 1));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      await filler.close();
    }
    const before = snapshot(dir);

    const exit = await nightly(dir);

    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toHaveLength(1);
    expect(exit.stderr).toContain('no space left on the device (the disk is full) (ENOSPC)');
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('the disk filling up mid-run (injected): exit 1, one line, no crash inside dynalite; the rerun sends every threshold once', async () => {
    const dir = join(root, 'full-mid-run');

    const failed = await nightly(dir, [], { FLEET_AUDITOR_STORE_FULL_AFTER: '40' });
    const sentBefore = await thresholds(dir);
    const rerun = await nightly(dir);

    expect(failed.code).toBe(1);
    expect(lines(failed.stderr)).toEqual([
      expect.stringMatching(/^fleet-auditor: nightly run failed: the local store could not be written: no space left/),
    ]);
    expect(failed.stderr).not.toMatch(/dynalite|\n\s+at /);
    // The disk filled up mid-alerts: some thresholds were out before it (each claimed in the ledger first).
    expect(sentBefore.length).toBeGreaterThan(0);
    expect(clean).toEqual(expect.arrayContaining(sentBefore));
    expect(rerun.code).toBe(0);
    expect(lines(rerun.stderr)).toEqual([]);
    expect(await thresholds(dir)).toEqual(clean);
  }, 240_000);

  it('a good store opens: exit 0, no threshold sent twice', async () => {
    const dir = copyOf(withTable, 'good');

    const exit = await nightly(dir);

    expect(exit.code).toBe(0);
    expect(lines(exit.stderr)).toEqual([]);
    expect(await thresholds(dir)).toEqual(clean);
  }, 120_000);

  it('--reset-state moves the damaged store to a backup folder in DIR, whole, and the run works', async () => {
    const dir = copyOf(withTable, 'reset');
    await unlink(join(dir, 'dynamodb', 'CURRENT'));
    const damaged = snapshot(join(dir, 'dynamodb'));

    const exit = await nightly(dir, ['--reset-state']);

    expect(exit.code).toBe(0);
    const backups = readdirSync(dir).filter((f) => f.startsWith('backup-'));
    expect(backups).toHaveLength(1);
    const backup = join(dir, backups[0] ?? '');
    expect(lines(exit.stderr)).toEqual([
      `fleet-auditor: --reset-state: moved the local store to ${backup}; starting with an empty one`,
    ]);
    expect(snapshot(join(backup, 'dynamodb'))).toEqual(damaged);
    expect(readdirSync(backup).sort()).toEqual(['dynamodb', 'store-seal.json']);
    expect(readdirSync(join(dir, 'dynamodb'))).toContain('CURRENT');
    // The ledger starts empty, but the kept outbox drops a message whose id it holds: no threshold written twice.
    const sent = await thresholds(dir);
    expect(new Set(sent).size).toBe(sent.length);
  }, 120_000);
});

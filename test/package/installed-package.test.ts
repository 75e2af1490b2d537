/**
 * The package as a user gets it: `npm pack` (which builds dist/), then the tarball installed without dev
 * dependencies into an empty folder, then the installed `fleet-auditor` command run as a user runs it. One pack and
 * one install per run (about a minute), so this file runs in `npm run check:package` and CI, not in `npm test`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const NOW = '2026-11-22T12:00:00Z';
/** Dependencies that declare a newer Node than ours, each with the reason it still runs on our range. */
const ENGINE_EXCEPTIONS = new Set([
  // Declares Node >= 22 for Promise.withResolvers only; functions/adapters/local-step-functions.ts supplies it.
  'aws-local-stepfunctions',
]);

interface Command {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let work = '';
let app = '';
let installLog = '';

/** Runs a command to completion, resolving (not rejecting) on a non-zero exit. */
async function command(file: string, args: readonly string[], cwd: string): Promise<Command> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** `fleet-auditor ...args` through the installed package's bin link, as `npx fleet-auditor` runs it. */
function fleetAuditor(args: readonly string[]): Promise<Command> {
  return command(process.execPath, [join(app, 'node_modules/.bin/fleet-auditor'), ...args], app);
}

const installed = (path: string): string => join(app, 'node_modules/eks-fleet-auditor', path);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fleet-auditor-package-'));
  const pack = await command('npm', ['pack', '--pack-destination', work], REPO);
  expect(pack.code, pack.stderr).toBe(0);
  const tarballs = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  const install = await command(
    'npm',
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarballs[0] ?? '')],
    app,
  );
  installLog = install.stderr;
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the installed package', () => {
  it('ships the compiled CLI and its runtime files, and no sources, tests or dev tools', () => {
    expect(existsSync(installed('dist/cli/main.js'))).toBe(true);
    expect(readdirSync(installed('statemachines')).filter((f) => f.endsWith('.asl.json'))).toHaveLength(3);
    expect(existsSync(installed('examples/fleet.json'))).toBe(true);
    for (const absent of ['functions', 'test', 'bench', 'infra', 'tsconfig.json']) {
      expect(existsSync(installed(absent)), absent).toBe(false);
    }
    for (const devTool of ['tsx', 'typescript', 'vitest', 'aws-cdk-lib']) {
      expect(existsSync(join(app, 'node_modules', devTool)), devTool).toBe(false);
    }
  });

  it('installs with no engine warning other than the documented exceptions', () => {
    const warned = [...installLog.matchAll(/EBADENGINE\s+package: '(@?[^@']+)@/g)].map((m) => m[1]);
    expect(warned.filter((name) => !ENGINE_EXCEPTIONS.has(name ?? ''))).toEqual([]);
    // On Node 20 the documented exception does warn: when it stops, the README's Node note can go.
    if (Number(process.versions.node.split('.')[0]) < 22) expect(warned).toContain('aws-local-stepfunctions');
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = await fleetAuditor(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints its usage', async () => {
    const result = await fleetAuditor(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: fleet-auditor/);
  });

  it('audits the example fleet exactly as the sources do', async () => {
    const args = ['audit', '--simulate', installed('examples/fleet.json'), '--now', NOW, '--format', 'json'];
    const result = await fleetAuditor(args);
    expect(result.code, result.stderr).toBe(0);
    const fromSources = await runCli(NOW, args);
    expect(fromSources.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(fromSources.stdout));
    const report = JSON.parse(result.stdout) as { schemaVersion: number; clusters: unknown[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.clusters.length).toBeGreaterThan(0);
  });

  it('runs the nightly pipeline from the shipped state-machine definitions', async () => {
    const state = join(work, 'state');
    const result = await fleetAuditor(['nightly', '--simulate', installed('examples/fleet.json'), '--state', state]);
    expect(result.code, result.stderr).toBe(0);
    const events = readFileSync(join(state, 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: { type: string } }).event.type);
    expect(events).toContain('DIGEST');
    expect(existsSync(join(state, 'fleet.json'))).toBe(true);
  }, 120_000);
});

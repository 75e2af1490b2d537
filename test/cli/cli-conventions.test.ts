/**
 * Command-line conventions (DESIGN §5.1): per-command options and help, `--version`, `-o`, one-line errors for
 * unknown or misplaced options (exit 2), region names checked, NO_COLOR, and commands loaded only when they run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import type { CliIo } from '../../functions/cli/main.ts';
import { parseCli } from '../../functions/cli/options.ts';
import { runCli, writeFleetFile } from './cli-harness.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';

const NOW = '2026-11-22T12:00:00Z';
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const FLEET: FleetFile = {
  accounts: [
    {
      id: '222222222222',
      name: 'shop-prod',
      regions: { 'eu-west-1': { clusters: [{ name: 'web', version: '1.31', tags: { team: 'payments' } }] } },
    },
  ],
};

async function runTty(args: readonly string[], env: Record<string, string>): Promise<string> {
  let stdout = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: true },
    stderr: { write: () => true },
    clock: () => new Date(NOW),
    env,
  };
  await main(args, io);
  return stdout;
}

describe('fleet-auditor options', () => {
  it('prints exactly the package version for --version and -V, like the bin fast path', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout, stderr } = await runCli(NOW, [flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${VERSION}\n`);
      expect(stderr).toBe('');
    }
    expect(execFileSync('node', ['bin/fleet-auditor.js', '--version'], { encoding: 'utf8' })).toBe(`${VERSION}\n`);
  });

  it('prints per-command help listing only that command options', async () => {
    const audit = await runCli(NOW, ['audit', '--help']);
    const nightly = await runCli(NOW, ['nightly', '--help']);
    const top = await runCli(NOW, ['--help']);

    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/^Usage: fleet-auditor audit \[options\]/);
    expect(audit.stdout).toContain('-o, --format <FORMAT>');
    expect(audit.stdout).toContain('--fail-on <SEVERITY>');
    expect(audit.stdout).toContain('--profile <NAME>');
    expect(audit.stdout).not.toContain('--dry-run');
    expect(nightly.stdout).toContain('--state <DIR>');
    expect(nightly.stdout).not.toContain('--format');
    expect(top.stdout).toMatch(/^Usage: fleet-auditor <command> \[options\]/);
    for (const command of ['audit', 'plan', 'upgrade', 'nightly']) expect(top.stdout).toContain(command);
  });

  it.each([
    [['audit', '--dry-run'], /^fleet-auditor: audit: unknown option '--dry-run'/],
    [['nightly', '--format', 'json', '--out', 'x.json'], /^fleet-auditor: nightly: unknown option '--format'/],
    [['plan', '--state', 'dir'], /^fleet-auditor: plan: unknown option '--state'/],
    [['--simulate', 'x.json', 'audit'], /unknown option '--simulate'/],
    [['audit', '--now'], /audit: option '--now <ISO>' argument missing/],
    [['audit', '--regions', 'eu-wst-1'], /--regions: not an AWS region name: eu-wst-1 \(did you mean eu-west-1\?\)/],
    [['audit', '--region', 'us-esat-1'], /--region: not an AWS region name: us-esat-1/],
    [['audit', '--fail-on', 'BAD'], /--fail-on: "BAD" is not one of OK, NOTICE, WARNING, CRITICAL, EXPIRED/],
    [['audit', '-o', 'yaml'], /--format: "yaml" is not one of table, json, csv, html/],
  ])('exits 2 with one line for %j', async (args, reason) => {
    const { code, stdout, stderr } = await runCli(NOW, args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(reason);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('accepts every known region and new ones that follow the AWS naming pattern', () => {
    expect(parseCli(['audit', '--regions', 'eu-west-1,us-gov-west-1,cn-north-1,ap-southeast-7']).regions).toEqual([
      'eu-west-1',
      'us-gov-west-1',
      'cn-north-1',
      'ap-southeast-7',
    ]);
    expect(parseCli(['audit', '--regions', 'eu-central-9']).regions).toEqual(['eu-central-9']);
  });

  it('takes -o for --format, --profile, --region and --owner-tags', () => {
    const options = parseCli([
      'audit',
      '-o',
      'json',
      '--profile',
      'audit',
      '--region',
      'eu-west-1',
      '--owner-tags',
      'squad,team',
    ]);
    expect(options).toMatchObject({
      format: 'json',
      profile: 'audit',
      homeRegion: 'eu-west-1',
      ownerTags: ['squad', 'team'],
      failOn: null,
    });
    expect(parseCli(['plan', '--fail-on', 'critical']).failOn).toBe('CRITICAL');
  });

  it('colours the table on a terminal, and not when NO_COLOR is set', async () => {
    const args = ['audit', '--simulate', writeFleetFile(FLEET), '--now', NOW];

    expect(await runTty(args, {})).toContain('\x1b[');
    expect(await runTty(args, { NO_COLOR: '1' })).not.toContain('\x1b[');
  });

  it('loads no AWS SDK or simulator module before a command runs (fast --help and --version)', () => {
    // Every module main.ts imports statically, followed transitively; commands are imported dynamically.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)) {
        const target = match[1] ?? '';
        if (target.startsWith('.')) visit(resolve(dirname(file), target));
        else packages.add(target);
      }
    };
    visit(resolve('functions/cli/main.ts'));

    expect([...packages].filter((p) => p.startsWith('@aws-sdk') || p.startsWith('@smithy'))).toEqual([]);
    expect([...seen].filter((f) => /sim\/(server|index)\.ts$|fleet-session|adapters\//.test(f))).toEqual([]);
    expect(packages).toContain('commander');
  });
});

/**
 * `--organizational-units ID,ID`: `audit`, `plan` and `nightly` cover only the accounts under those roots and OUs
 * (nested OUs included), as the member-roles StackSet does; a malformed id is a usage error (exit 2).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeFleetFile } from './cli-harness.ts';
import type { CliRun } from './cli-harness.ts';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../functions/cli/options.ts';
import type { PlanDocument } from '../../functions/cli/plan-command.ts';
import type { AuditReport } from '../../functions/core/report-types.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';

const NOW = '2026-11-22T10:00:00Z';
const PROD = 'ou-a1b2-prod0001';
const PROD_EU = 'ou-a1b2-prodeu01';
const SANDBOX = 'ou-a1b2-sandbox1';

const cluster = (name: string): { clusters: { name: string; version: string }[] } => ({
  clusters: [{ name, version: '1.33' }],
});

const FLEET: FleetFile = {
  organizationalUnits: [
    { id: PROD, name: 'Prod', parentId: 'r-a1b2' },
    { id: PROD_EU, name: 'Prod EU', parentId: PROD },
    { id: SANDBOX, name: 'Sandbox', parentId: 'r-a1b2' },
  ],
  accounts: [
    { id: '111111111111', regions: { 'eu-west-1': cluster('hub-tools') } },
    { id: '222222222222', parentId: PROD, regions: { 'eu-west-1': cluster('payments') } },
    { id: '333333333333', parentId: PROD_EU, regions: { 'eu-west-1': cluster('checkout') } },
    { id: '444444444444', parentId: SANDBOX, regions: { 'eu-west-1': cluster('experiments') } },
  ],
};

function fleetFile(): string {
  return writeFleetFile(FLEET, 'fleet-auditor-ou-');
}

function run(...args: string[]): Promise<CliRun> {
  return runCli(NOW, args);
}

describe('fleet-auditor audit --organizational-units', () => {
  it('audits only the accounts of the OU and of the OUs nested in it', async () => {
    const { code, stdout, stderr } = await run(
      'audit',
      '--simulate',
      fleetFile(),
      '--now',
      NOW,
      '--format',
      'json',
      '--organizational-units',
      PROD,
    );

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AuditReport;
    expect(report.clusters.map((c) => [c.accountId, c.name])).toEqual([
      ['222222222222', 'payments'],
      ['333333333333', 'checkout'],
    ]);
  });

  it('audits every account for the root', async () => {
    const { code, stdout } = await run(
      'audit',
      '--simulate',
      fleetFile(),
      '--now',
      NOW,
      '--format',
      'json',
      '--organizational-units',
      'r-a1b2',
    );

    expect(code).toBe(0);
    expect((JSON.parse(stdout) as AuditReport).clusters.map((c) => c.accountId)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
    ]);
  });

  it('exits 1 naming an OU the organization does not have', async () => {
    const { code, stderr } = await run(
      'audit',
      '--simulate',
      fleetFile(),
      '--organizational-units',
      'ou-a1b2-missing1',
    );

    expect(code).toBe(1);
    expect(stderr).toContain('ParentNotFoundException');
    expect(stderr).toContain('ou-a1b2-missing1');
  });
});

describe('fleet-auditor plan --organizational-units', () => {
  it('plans only the clusters of the listed OUs', async () => {
    const { code, stdout } = await run(
      'plan',
      '--simulate',
      fleetFile(),
      '--now',
      NOW,
      '--format',
      'json',
      '--organizational-units',
      `${SANDBOX},${PROD_EU}`,
    );

    expect(code).toBe(0);
    expect((JSON.parse(stdout) as PlanDocument).clusters.map((c) => c.name)).toEqual(['checkout', 'experiments']);
  });
});

describe('fleet-auditor nightly --organizational-units', () => {
  it('audits only the accounts of the listed OU', async () => {
    const state = mkdtempSync(join(tmpdir(), 'fleet-auditor-ou-nightly-'));
    const { code, stdout } = await run(
      'nightly',
      '--simulate',
      fleetFile(),
      '--state',
      state,
      '--now',
      NOW,
      '--organizational-units',
      SANDBOX,
    );

    expect(code).toBe(0);
    expect(stdout).toMatch(/\bexperiments\b/);
    expect(stdout).not.toMatch(/\b(hub-tools|payments|checkout)\b/);
    expect(stdout).toMatch(/: 1 account-regions, 0 failed;/);
  });
});

describe('--organizational-units usage errors', () => {
  it.each([
    [
      'a malformed id',
      ['--organizational-units', 'ou-prod'],
      'not an organization root (r-…) or OU id (ou-…-…): ou-prod',
    ],
    ['an empty list', ['--organizational-units', ','], 'no root or OU id given'],
    [
      'a combination with --accounts',
      ['--organizational-units', PROD, '--accounts', '222222222222'],
      'cannot be combined',
    ],
  ])('exits 2 for %s', async (_case, args, message) => {
    const { code, stderr } = await run('audit', '--simulate', fleetFile(), ...args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('parses the ids into the options, de-duplicated', () => {
    expect(parseCli(['audit', '--organizational-units', `${PROD}, r-a1b2,${PROD}`]).organizationalUnits).toEqual([
      PROD,
      'r-a1b2',
    ]);
    expect(parseCli(['audit']).organizationalUnits).toBeNull();
  });
});

/**
 * The JSON report (DESIGN §5.2) for a small fleet whose every figure was worked out by hand, produced by the real
 * CLI through the simulator and the SDK, at a fixed clock: Sunday 2026-11-22 12:00 UTC.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    clock: () => new Date('2030-01-01T00:00:00Z'),
  });
  return { code, stdout, stderr };
}

async function report(): Promise<AuditReport> {
  const { code, stdout, stderr } = await run([
    'audit',
    '--simulate',
    'test/fixtures/hand-checked-fleet.json',
    '--now',
    '2026-11-22T12:00:00Z',
    '--format',
    'json',
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as AuditReport;
}

function byName(r: AuditReport, name: string): ClusterReport {
  const cluster = r.clusters.find((c) => c.name === name);
  if (cluster === undefined) throw new Error(`no cluster ${name}`);
  return cluster;
}

describe('audit --format json on the hand-checked fleet', () => {
  it('has the contract envelope, sorted by account, region, name, and the summary', async () => {
    const r = await report();

    expect(r.schemaVersion).toBe(1);
    expect(r.now).toBe('2026-11-22T12:00:00.000Z');
    expect(r.generatedAt).toBe('2026-11-22T12:00:00.000Z');
    expect(r.clusters.map((c) => `${c.region}/${c.name}`)).toEqual([
      'eu-west-1/old',
      'us-east-1/billing',
      'us-east-1/web',
    ]);
    expect(r.summary).toEqual({
      clusters: 3,
      bySeverity: { OK: 0, NOTICE: 0, WARNING: 0, CRITICAL: 2, EXPIRED: 1 },
      errors: 0,
      extendedSupportMonthlyUsd: 365,
    });
    expect(r.errors).toEqual([]);
  });

  it('billing: 1.31 on extended support, 4 days before AWS may upgrade it, billed $365/month', async () => {
    const c = byName(await report(), 'billing');

    expect(c).toMatchObject({
      accountId: '222222222222',
      region: 'us-east-1',
      arn: 'arn:aws:eks:us-east-1:222222222222:cluster/billing',
      version: '1.31',
      platformVersion: 'eks.40',
      status: 'ACTIVE',
      supportType: 'EXTENDED',
      supportStatus: 'EXTENDED_SUPPORT',
      endOfStandardSupport: '2025-11-26',
      endOfExtendedSupport: '2026-11-26',
      deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 },
      severity: 'CRITICAL',
      extendedSupportMonthlyUsd: 365,
    });
    expect(c.nodegroups).toEqual([
      { name: 'ng1', version: '1.29', releaseVersion: '1.29.15-20251110', status: 'ACTIVE', skew: 2 },
    ]);
    expect(c.addons).toEqual([
      {
        name: 'vpc-cni',
        version: 'v1.19.2-eksbuild.1',
        compatible: true,
        compatibleWithNext: true,
        recommendedForNext: 'v1.19.5-eksbuild.3',
      },
    ]);
    expect(c.findings.map((f) => f.code).sort()).toEqual(
      [
        'BLUE_GREEN_RECOMMENDED',
        'DEADLINE_APPROACHING',
        'EXTENDED_SUPPORT_BILLING',
        'NODEGROUP_BEHIND_CONTROL_PLANE',
      ].sort(),
    );
    expect(c.upgrade).toEqual({
      optedIn: false,
      target: '1.36',
      path: ['1.32', '1.33', '1.34', '1.35', '1.36'],
      eligible: false,
      blockers: [expect.objectContaining({ code: 'NOT_OPTED_IN' })],
      nextWindowStart: null,
      wave: 0,
      rolloutGroup: 'default',
    });
  });

  it('web: STANDARD policy, 10 days to auto-upgrade, opted in but outside its Berlin night window', async () => {
    const c = byName(await report(), 'web');

    expect(c).toMatchObject({
      supportType: 'STANDARD',
      supportStatus: 'STANDARD_SUPPORT',
      deadline: { date: '2026-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: 10 },
      severity: 'CRITICAL',
      extendedSupportMonthlyUsd: 0,
    });
    expect(c.nodegroups.map((ng) => ng.skew)).toEqual([0]);
    expect(c.addons).toEqual([
      {
        name: 'coredns',
        version: 'v1.12.1-eksbuild.2',
        compatible: true,
        compatibleWithNext: true,
        recommendedForNext: 'v1.12.3-eksbuild.1',
      },
    ]);
    // Sunday 13:00 in Berlin (CET, UTC+1): the next window opens Monday 22:00 CET = 21:00 UTC.
    expect(c.upgrade).toEqual({
      optedIn: true,
      target: '1.35',
      path: ['1.35'],
      eligible: false,
      blockers: [expect.objectContaining({ code: 'OUTSIDE_WINDOW' })],
      nextWindowStart: '2026-11-23T21:00:00.000Z',
      wave: 0,
      rolloutGroup: 'default',
    });
  });

  it('old: 1.29 past the end of extended support 244 days ago, kube-proxy not ready for 1.30', async () => {
    const c = byName(await report(), 'old');

    expect(c).toMatchObject({
      supportStatus: 'UNSUPPORTED',
      endOfStandardSupport: '2025-03-23',
      endOfExtendedSupport: '2026-03-23',
      deadline: { date: '2026-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: -244 },
      severity: 'EXPIRED',
      extendedSupportMonthlyUsd: 0,
    });
    expect(c.addons).toEqual([
      {
        name: 'kube-proxy',
        version: 'v1.29.15-eksbuild.2',
        compatible: true,
        compatibleWithNext: false,
        recommendedForNext: 'v1.30.14-eksbuild.2',
      },
    ]);
    expect(c.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['VERSION_UNSUPPORTED', 'AUTO_UPGRADE_SCHEDULED', 'ADDON_UPDATE_REQUIRED']),
    );
  });
});

describe('audit command line', () => {
  it.each([
    [['audit', '--format', 'yaml'], /--format: "yaml" is not one of table, json, csv, html/],
    [['audit', '--bogus'], /audit: unknown option '--bogus'/],
    [['audit', '--now', 'yesterday'], /--now: "yesterday" is not an ISO-8601 instant/],
    [['audit', '--accounts', '12345'], /--accounts: not a 12-digit AWS account id: 12345/],
    [['audit', '--regions', 'mars-1'], /--regions: not an AWS region name: mars-1/],
    [['audit', '--simulate', 'test/fixtures/does-not-exist.json'], /does-not-exist\.json/],
    [['audit', '--now', '2026-02-30T00:00:00Z'], /--now: "2026-02-30T00:00:00Z" is not an ISO-8601 instant/],
    [['audit', 'extra'], /audit: unexpected argument "extra"/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('exits 2 with a one-line reason for %j', async (args, reason) => {
    const { code, stderr, stdout } = await run(args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(reason);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints the usage to standard error and exits 2 when no command is given', async () => {
    const { code, stdout, stderr } = await run([]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: fleet-auditor <command>/);
  });

  it('renders csv with one row per cluster and html as one self-contained page', async () => {
    const base = ['audit', '--simulate', 'test/fixtures/hand-checked-fleet.json', '--now', '2026-11-22T12:00:00Z'];

    const csv = await run([...base, '--format', 'csv']);
    const html = await run([...base, '--format', 'html']);
    const table = await run(base);

    expect(csv.stdout.trim().split('\r\n')).toHaveLength(4);
    expect(csv.stdout).toContain('222222222222,us-east-1,billing,1.31,ACTIVE,EXTENDED,EXTENDED_SUPPORT,2025-11-26');
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).not.toContain('<script');
    expect(table.stdout).toMatch(/web\s+-\s+1\.34\s+standard .*blocked OUTSIDE_WINDOW/);
    expect(table.stdout.split('\n')[1]).toMatch(/^EXPIRED\s+shop-prod \(222222222222\)\s+eu-west-1\s+old/);
    expect(table.stdout).toContain('3 clusters (1 EXPIRED, 2 CRITICAL); extended support $365/month; 0 errors');
  });
});

/**
 * Contract test of the real-AWS path against moto, an AWS implementation nobody here wrote. Its EKS lacks ListAddons,
 * ListInsights, ListUpdates, DescribeAddonVersions and DescribeClusterVersions (it answers an HTML 404): every
 * cluster must still be reported, with what is missing named and no upgrade on a guess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';
import { runCli } from '../cli/cli-harness.ts';
import type { CliRun } from '../cli/cli-harness.ts';
import { buildMotoFleet, motoAvailable, startMoto } from './moto-harness.ts';
import type { Moto, MotoFleet } from './moto-harness.ts';

const NOW = '2026-12-03T00:00:00.000Z';
const HAS_MOTO = motoAvailable();
if (!HAS_MOTO) console.warn('moto contract test skipped: `python3 -c "import moto"` failed (pip install moto[server])');

/** The environment the CLI sees: moto for every service, its test credentials, no shared config. */
const ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
} as const;
const CLEARED = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION'] as const;

describe.skipIf(!HAS_MOTO)('the real-AWS path against moto', () => {
  let moto: Moto;
  let fleet: MotoFleet;
  let run: CliRun;
  let report: AuditReport;
  const saved = new Map<string, string | undefined>();

  const byName = (name: string): ClusterReport => {
    const cluster = report.clusters.find((c) => c.name === name);
    if (cluster === undefined) throw new Error(`cluster ${name} is not in the report`);
    return cluster;
  };

  beforeAll(async () => {
    moto = await startMoto();
    fleet = await buildMotoFleet(moto.endpoint);
    for (const key of [...Object.keys(ENV), ...CLEARED, 'AWS_ENDPOINT_URL']) saved.set(key, process.env[key]);
    Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: moto.endpoint });
    for (const key of CLEARED) delete process.env[key];
    run = await runCli(NOW, ['audit', '--regions', 'eu-west-1,us-east-1', '--format', 'json']);
    report = JSON.parse(run.stdout) as AuditReport;
  });

  afterAll(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await moto?.stop();
  });

  it('exits 0 with no errors, finding the member accounts through Organizations', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(report.errors).toEqual([]);
    expect(new Set(report.clusters.map((c) => c.accountId))).toEqual(new Set(fleet.accounts));
  });

  it('reports all 8 clusters with their versions', () => {
    expect(report.summary.clusters).toBe(8);
    const got = report.clusters.map((c) => [c.accountId, c.region, c.name, c.version]);
    const want = fleet.clusters.map((c) => [c.accountId, c.region, c.name, c.version]);
    expect(got.sort()).toEqual(want.sort());
  });

  it('takes the deadlines from the bundled calendar and says so in a CALENDAR_FALLBACK warning per region', () => {
    for (const cluster of report.clusters) {
      const row = BUNDLED_CALENDAR.find((entry) => entry.version === cluster.version);
      expect(cluster.endOfStandardSupport, cluster.name).toBe(row?.endOfStandardSupport);
      expect(cluster.endOfExtendedSupport, cluster.name).toBe(row?.endOfExtendedSupport);
      expect([row?.endOfStandardSupport, row?.endOfExtendedSupport]).toContain(cluster.deadline?.date);
    }
    // EXTENDED policy (moto's default): billed from the end of standard support, upgraded at the end of extended.
    expect(byName('pay-stage').deadline).toMatchObject({ date: '2027-07-29', consequence: 'AUTO_UPGRADE' });
    expect(byName('plat-ci').severity).toBe('EXPIRED');
    const warnings = report.warnings ?? [];
    expect(warnings.map((w) => [w.region, w.code])).toEqual([
      ['eu-west-1', 'ADDON_CATALOG_UNAVAILABLE'],
      ['eu-west-1', 'CALENDAR_FALLBACK'],
      ['us-east-1', 'ADDON_CATALOG_UNAVAILABLE'],
      ['us-east-1', 'CALENDAR_FALLBACK'],
    ]);
    expect(warnings.find((w) => w.code === 'CALENDAR_FALLBACK')?.message).toContain(
      'DescribeClusterVersions in eu-west-1: HTTP 404 (not an AWS error response)',
    );
  });

  it('judges node-group skew and the opt-in tags', () => {
    expect(byName('pay-prod').nodegroups.map((ng) => ng.skew)).toEqual([0, 2]);
    expect(byName('plat-ci').nodegroups.map((ng) => ng.skew)).toEqual([0, 2]);
    expect(byName('pay-prod').findings.map((f) => f.code)).toContain('NODEGROUP_BEHIND_CONTROL_PLANE');
    expect(byName('search-prod').findings.map((f) => f.code)).toContain('NODEGROUP_BEHIND_CONTROL_PLANE');
    expect(byName('pay-us').findings.map((f) => f.code)).toContain('INVALID_OPT_IN_TAG');
    expect(byName('plat-edge').upgrade.wave).toBe(1);
  });

  it('names the operations moto lacks in each cluster’s partial list, one line each, with PARTIAL_READ findings', () => {
    for (const cluster of report.clusters) {
      const optedIn = cluster.upgrade.optedIn;
      const operations = (cluster.partial ?? []).map((p) => p.operation);
      expect(operations, cluster.name).toEqual(
        optedIn ? ['ListAddons', 'ListInsights', 'ListUpdates'] : ['ListAddons', 'ListInsights'],
      );
      for (const part of cluster.partial ?? []) {
        expect(part.code).toBe('OPERATION_NOT_AVAILABLE');
        expect(part.message).toMatch(/^List\w+ cluster .+: HTTP 404 \(not an AWS error response\)$/);
        expect(part.message).not.toMatch(/SyntaxError|\$response|\n/);
      }
      expect(cluster.findings.filter((f) => f.code === 'PARTIAL_READ')).toHaveLength(operations.length);
      expect(cluster.addons).toEqual([]);
    }
  });

  it('makes no opted-in cluster eligible while its insights or add-ons are unknown', () => {
    const optedIn = report.clusters.filter((c) => c.upgrade.optedIn);
    expect(optedIn.map((c) => c.name).sort()).toEqual(['pay-prod', 'plat-edge', 'search-prod']);
    for (const cluster of optedIn) {
      expect(cluster.upgrade.eligible, cluster.name).toBe(false);
      const blocker = cluster.upgrade.blockers.find((b) => b.code === 'FACTS_UNKNOWN');
      expect(blocker?.message).toMatch(/add-ons.*upgrade-readiness insights.*update history/);
    }
  });

  it('shows the warnings and the FACTS_UNKNOWN blockers in plan', async () => {
    const planned = await runCli(NOW, ['plan', '--regions', 'eu-west-1,us-east-1']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('WARNING  (all accounts) eu-west-1  CALENDAR_FALLBACK: ');
    expect(planned.stdout).toContain('WARNING  (all accounts) us-east-1  ADDON_CATALOG_UNAVAILABLE: ');
    expect(planned.stdout).toContain('    FACTS_UNKNOWN: ');
    expect(planned.stdout).toMatch(/8 clusters; 3 opted in; 0 ready to upgrade now/);
  });
});

/**
 * Reads that degrade per fact, through the real CLI against the simulator: an account that denies one EKS operation
 * (as an SCP would) loses only that fact; a cluster whose DescribeCluster is denied is named as unreadable.
 */
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../functions/core/report-types.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';
import { runCli, writeFleetFile } from './cli-harness.ts';

const NOW = '2026-11-22T10:00:00Z';
const DENIED = '222222222222';
const OPEN = '333333333333';

function cluster(name: string): FleetFile['accounts'][number]['regions'][string]['clusters'][number] {
  return {
    name,
    version: '1.34',
    tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.35' },
    nodegroups: [
      { name: 'default', version: '1.34' },
      { name: 'old', version: '1.32' },
    ],
    addons: [{ name: 'coredns', version: 'v1.11.4-eksbuild.14' }],
  };
}

function fleet(deniedOperations: string[]): string {
  const file: FleetFile = {
    accounts: [
      { id: DENIED, deniedOperations, regions: { 'eu-west-1': { clusters: [cluster('scp-bound')] } } },
      { id: OPEN, regions: { 'eu-west-1': { clusters: [cluster('free')] } } },
    ],
  };
  return writeFleetFile(file, 'fleet-auditor-partial-');
}

describe('an account that denies one EKS operation', () => {
  it('loses only that fact: the cluster is reported, ListAddons is named, and its upgrade waits (FACTS_UNKNOWN)', async () => {
    const run = await runCli(NOW, ['audit', '--simulate', fleet(['ListAddons']), '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    const [bound, free] = [DENIED, OPEN].map((id) => report.clusters.find((c) => c.accountId === id));

    expect(bound?.partial).toEqual([
      {
        operation: 'ListAddons',
        code: 'ACCESS_DENIED',
        message: expect.stringMatching(
          /^ListAddons cluster scp-bound in 222222222222\/eu-west-1: HTTP 403 AccessDeniedException: .*eks:ListAddons/,
        ) as unknown as string,
      },
    ]);
    expect(bound?.addons).toEqual([]);
    // What is known is still judged: node groups and their skew, the deadline, the cost.
    expect(bound?.nodegroups.map((ng) => ng.skew)).toEqual([0, 2]);
    expect(bound?.deadline).toEqual(free?.deadline);
    expect(bound?.findings.filter((f) => f.code === 'PARTIAL_READ')).toHaveLength(1);
    expect(bound?.upgrade.eligible).toBe(false);
    expect(bound?.upgrade.blockers.map((b) => b.code)).toContain('FACTS_UNKNOWN');

    // The other account is read whole and judged as before.
    expect(free?.partial).toEqual([]);
    expect(free?.addons.map((a) => a.name)).toEqual(['coredns']);
    expect(free?.upgrade.blockers.map((b) => b.code)).not.toContain('FACTS_UNKNOWN');
  });

  it('shows the partial read in the table footer', async () => {
    const run = await runCli(NOW, ['audit', '--simulate', fleet(['ListInsights'])]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('PARTIAL  1 cluster(s) read in part: scp-bound (ListInsights)');
  });

  it('makes upgrade --dry-run say why a cluster whose DescribeCluster is denied could not be read (exit 1)', async () => {
    const run = await runCli(NOW, ['upgrade', 'scp-bound', '--dry-run', '--simulate', fleet(['DescribeCluster'])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^fleet-auditor: upgrade: cluster "scp-bound" could not be read: ACCESS_DENIED: DescribeCluster cluster scp-bound in 222222222222\/eu-west-1: HTTP 403 AccessDeniedException/,
    );
    expect(run.stderr).not.toContain('unknown cluster');
    const unknown = await runCli(NOW, ['upgrade', 'nowhere', '--dry-run', '--simulate', fleet([])]);
    expect(unknown.code).toBe(2);
  });

  it.each([
    ['rollback', ['--dry-run']],
    ['blue-green', []],
  ])('makes %s say the same of a cluster that could not be read (exit 1)', async (command, extra) => {
    const run = await runCli(NOW, [command, 'scp-bound', ...extra, '--simulate', fleet(['DescribeCluster'])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^fleet-auditor: ${command}: cluster "scp-bound" could not be read: ACCESS_DENIED: DescribeCluster cluster scp-bound in 222222222222/eu-west-1: HTTP 403 AccessDeniedException`,
      ),
    );
    expect(run.stderr).not.toContain('unknown cluster');
  });

  it.each([
    ['upgrade', ['--dry-run']],
    ['rollback', ['--dry-run']],
    ['blue-green', []],
  ])('makes %s CLUSTER exit 1 when no account-region could be read at all', async (command, extra) => {
    const file: FleetFile = {
      accounts: [
        { id: DENIED, fault: 'ACCESS_DENIED', regions: { 'eu-west-1': { clusters: [cluster('scp-bound')] } } },
      ],
    };
    const path = writeFleetFile(file, 'fleet-auditor-partial-');
    const run = await runCli(NOW, [command, 'scp-bound', ...extra, '--simulate', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^fleet-auditor: no account-region could be read: MEMBER_ACCESS_DENIED: /);
  });
});

/**
 * `fleet-auditor plan` and `fleet-auditor upgrade CLUSTER --dry-run`, run through `main` with captured output
 * against the built-in simulator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeFleetFile } from './cli-harness.ts';
import type { CliRun } from './cli-harness.ts';
import { describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../functions/cli/plan-command.ts';
import type { DryRun } from '../../functions/cli/upgrade-command.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';
import { fleetWithOptedInSubresources } from '../fixtures/opted-in-subresources.ts';

const NOW = '2026-11-22T10:00:00Z'; // a Sunday

const FLEET: FleetFile = {
  accounts: [
    {
      id: '222222222222',
      name: 'workloads',
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'dev-sandbox',
              version: '1.33',
              tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.35' },
              nodegroups: [
                { name: 'default', version: '1.33' },
                { name: 'old', version: '1.32' },
              ],
              addons: [
                { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' },
                { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
              ],
            },
            {
              name: 'payments',
              version: '1.34',
              tags: {
                'fleet-auditor/auto-upgrade': 'true',
                'fleet-auditor/maintenance-window': 'Sat 02:00-06:00 UTC',
              },
              nodegroups: [{ name: 'gpu', version: '1.34', customAmi: true }],
            },
            { name: 'manual', version: '1.35' },
          ],
        },
      },
    },
    {
      id: '333333333333',
      regions: { 'us-east-1': { clusters: [{ name: 'manual', version: '1.36' }] } },
    },
  ],
};

function fleetFile(): string {
  return writeFleetFile(fleetWithOptedInSubresources(FLEET), 'fleet-auditor-plan-');
}

function run(...args: string[]): Promise<CliRun> {
  return runCli(NOW, args);
}

describe('fleet-auditor plan', () => {
  it('prints each cluster with its target, path, blockers and reasons, and next window', async () => {
    const { code, stdout } = await run('plan', '--simulate', fleetFile(), '--now', NOW);

    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^CLUSTER +ACCOUNT +REGION +VERSION +TARGET +PATH +WAVE +GROUP +STATUS +NEXT WINDOW$/);
    expect(lines.find((l) => l.startsWith('dev-sandbox'))).toMatch(
      /dev-sandbox +222222222222 +eu-west-1 +1\.33 +1\.35 +1\.34 → 1\.35 +0 +default +ready +any time/,
    );
    expect(lines.find((l) => l.startsWith('payments'))).toMatch(
      /payments +222222222222 +eu-west-1 +1\.34 +1\.36 +1\.35 → 1\.36 +0 +default +blocked +2026-11-28T02:00:00\.000Z/,
    );
    expect(lines.find((l) => l.startsWith('manual'))).toMatch(/ +0 +- +not opted in +any time$/);
    expect(stdout).toContain('    CUSTOM_AMI_NODEGROUP: node group(s) gpu use a custom AMI');
    expect(stdout).toContain('    OUTSIDE_WINDOW: outside the maintenance window "Sat 02:00-06:00 UTC"');
    expect(stdout).toContain('    NOT_OPTED_IN: tag fleet-auditor/auto-upgrade is not set');
    expect(lines.at(-2)).toBe(
      '4 clusters; 2 opted in; 1 ready to upgrade now; 1 up to date; as of 2026-11-22T10:00:00.000Z',
    );
  });

  it('prints the plan as JSON with --format json', async () => {
    const { code, stdout } = await run('plan', '--simulate', fleetFile(), '--now', NOW, '--format', 'json');

    const doc = JSON.parse(stdout) as PlanDocument;
    expect(code).toBe(0);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.clusters.map((c) => [c.accountId, c.name, c.upgrade.eligible])).toEqual([
      ['222222222222', 'dev-sandbox', true],
      ['222222222222', 'manual', false],
      ['222222222222', 'payments', false],
      ['333333333333', 'manual', false],
    ]);
    expect(doc.clusters[2]?.upgrade.blockers.map((b) => b.code)).toEqual(['CUSTOM_AMI_NODEGROUP', 'OUTSIDE_WINDOW']);
  });

  it('does not call a higher wave ready while an account that may hold its lower waves cannot be read', async () => {
    // Arrange: the canary (wave 0) lives in an account that denies access; prod (wave 1) is readable
    const optIn = (wave: string) => ({
      'fleet-auditor/auto-upgrade': 'true',
      'fleet-auditor/wave': wave,
      'fleet-auditor/target-version': '1.34',
    });
    const fleet: FleetFile = {
      accounts: [
        {
          id: '111111111112',
          fault: 'ACCESS_DENIED',
          regions: { 'eu-west-1': { clusters: [{ name: 'canary', version: '1.33', tags: optIn('0') }] } },
        },
        {
          id: '222222222222',
          regions: { 'eu-west-1': { clusters: [{ name: 'prod', version: '1.33', tags: optIn('1') }] } },
        },
      ],
    };
    const path = join(mkdtempSync(join(tmpdir(), 'fleet-auditor-plan-')), 'fleet.json');
    writeFileSync(path, JSON.stringify(fleet));

    // Act
    const { code, stdout } = await run('plan', '--simulate', path, '--now', NOW);

    // Assert
    expect(code).toBe(0);
    expect(stdout.split('\n').find((l) => l.startsWith('prod'))).toMatch(/ 1 +default +blocked +any time$/);
    expect(stdout).toContain(
      '    WAVE_NOT_READY: wave 1 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): ' +
        '1 account unreadable (111111111112)',
    );
    expect(stdout).toContain('1 clusters; 1 opted in; 0 ready to upgrade now');
  });

  it("shows each cluster's rollout group, and names the group and the cluster that hold a wave", async () => {
    // Arrange: team-a's canary (wave 0) is frozen at 1.33; team-b has nothing below wave 1
    const optIn = (wave: string, group: string, extra: Record<string, string> = {}) => ({
      'fleet-auditor/auto-upgrade': 'true',
      'fleet-auditor/wave': wave,
      'fleet-auditor/rollout-group': group,
      'fleet-auditor/target-version': '1.34',
      ...extra,
    });
    const cluster = (name: string, version: string, tags: Record<string, string>) => ({ name, version, tags });
    const fleet: FleetFile = {
      accounts: [
        {
          id: '222222222222',
          regions: {
            'eu-west-1': {
              clusters: [
                cluster('a-canary', '1.33', optIn('0', 'team-a', { 'fleet-auditor/freeze-until': '2027-01-01' })),
                cluster('a-prod', '1.33', optIn('1', 'team-a')),
                cluster('b-prod', '1.33', optIn('1', 'team-b')),
              ],
            },
          },
        },
      ],
    };
    const path = writeFleetFile(fleetWithOptedInSubresources(fleet), 'fleet-auditor-plan-');

    // Act
    const { code, stdout } = await run('plan', '--simulate', path, '--now', NOW);

    // Assert
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.startsWith('a-canary'))).toMatch(/ 0 +team-a +blocked +any time$/);
    expect(lines.find((l) => l.startsWith('a-prod'))).toMatch(/ 1 +team-a +blocked +any time$/);
    expect(lines.find((l) => l.startsWith('b-prod'))).toMatch(/ 1 +team-b +ready +any time$/);
    expect(stdout).toContain(
      '    WAVE_NOT_READY: wave 1 of rollout group team-a waits before the hop to 1.34: a-canary (wave 0) runs 1.33, not yet 1.34',
    );
    expect(stdout).not.toContain('rollout group team-b waits');
  });

  it.each(['csv', 'html'])('refuses --format %s with exit 2', async (format) => {
    const { code, stderr } = await run('plan', '--simulate', fleetFile(), '--format', format);

    expect(code).toBe(2);
    expect(stderr).toContain('is not one of table, json');
  });
});

describe('fleet-auditor upgrade --dry-run', () => {
  it('prints the exact API calls in order, hop by hop, and changes nothing', async () => {
    const file = fleetFile();

    const { code, stdout } = await run('upgrade', 'dev-sandbox', '--dry-run', '--simulate', file, '--now', NOW);

    expect(code).toBe(0);
    const calls = stdout
      .split('\n')
      .filter((line) => /^ +\d+\. /.test(line))
      .map((line) => line.replace(/^ +\d+\. /, '').replace(/ clientRequestToken=\S+/, ''))
      .filter((line) => !line.includes('DescribeCluster'));
    expect(calls).toEqual([
      '[ALIGN_NODEGROUPS] UpdateNodegroupVersion cluster=dev-sandbox nodegroup=old version=1.33',
      expect.stringMatching(/^\[ALIGN_NODEGROUPS\] DescribeUpdate name=dev-sandbox nodegroupName=old /),
      '[CONTROL_PLANE] UpdateClusterVersion name=dev-sandbox version=1.34',
      expect.stringMatching(/^\[CONTROL_PLANE\] DescribeUpdate name=dev-sandbox updateId=/),
      '[ADDONS] UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.20.1-eksbuild.1 resolveConflicts=PRESERVE',
      expect.stringMatching(/^\[ADDONS\] DescribeUpdate name=dev-sandbox addonName=vpc-cni /),
      '[ADDONS] UpdateAddon cluster=dev-sandbox addon=coredns version=v1.12.1-eksbuild.2 resolveConflicts=PRESERVE',
      expect.stringMatching(/^\[ADDONS\] DescribeUpdate name=dev-sandbox addonName=coredns /),
      '[NODEGROUPS] UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.34',
      expect.stringMatching(/^\[NODEGROUPS\] DescribeUpdate/),
      '[NODEGROUPS] UpdateNodegroupVersion cluster=dev-sandbox nodegroup=old version=1.34',
      expect.stringMatching(/^\[NODEGROUPS\] DescribeUpdate/),
      '[CONTROL_PLANE] UpdateClusterVersion name=dev-sandbox version=1.35',
      expect.stringMatching(/^\[CONTROL_PLANE\] DescribeUpdate/),
      '[ADDONS] UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.20.4-eksbuild.2 resolveConflicts=PRESERVE',
      expect.stringMatching(/^\[ADDONS\] DescribeUpdate/),
      '[ADDONS] UpdateAddon cluster=dev-sandbox addon=coredns version=v1.12.3-eksbuild.1 resolveConflicts=PRESERVE',
      expect.stringMatching(/^\[ADDONS\] DescribeUpdate/),
      '[NODEGROUPS] UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.35',
      expect.stringMatching(/^\[NODEGROUPS\] DescribeUpdate/),
      '[NODEGROUPS] UpdateNodegroupVersion cluster=dev-sandbox nodegroup=old version=1.35',
      expect.stringMatching(/^\[NODEGROUPS\] DescribeUpdate/),
    ]);
    expect(stdout).toContain('Eligible now');
    expect(stdout).toMatch(/Execution name: dev-sandbox-1-35-20261122-[0-9a-f]{8}/);
    // Nothing changed: a plan afterwards still sees 1.33
    const after = JSON.parse(
      (await run('plan', '--simulate', file, '--now', NOW, '--format', 'json')).stdout,
    ) as PlanDocument;
    expect(after.clusters.find((c) => c.name === 'dev-sandbox')?.version).toBe('1.33');
  });

  it('finds the cluster by ARN and prints JSON with --format json', async () => {
    const arn = 'arn:aws:eks:eu-west-1:222222222222:cluster/payments';

    const { code, stdout } = await run(
      'upgrade',
      arn,
      '--dry-run',
      '--simulate',
      fleetFile(),
      '--now',
      NOW,
      '--format',
      'json',
    );

    const dry = JSON.parse(stdout) as DryRun;
    expect(code).toBe(0);
    expect(dry).toMatchObject({ cluster: { arn }, fromVersion: '1.34', path: ['1.35', '1.36'], eligible: false });
    expect(dry.blockers.map((b) => b.code)).toEqual(['CUSTOM_AMI_NODEGROUP', 'OUTSIDE_WINDOW']);
    expect(dry.hops[0]?.skipped).toEqual([expect.objectContaining({ name: 'gpu', code: 'CUSTOM_AMI_NODEGROUP' })]);
    expect(dry.hops[0]?.calls.map((c) => c.step)).toEqual([
      'PRE_FLIGHT',
      'CONTROL_PLANE',
      'CONTROL_PLANE',
      'POST_FLIGHT',
    ]);
  });

  it('shows the blockers of a cluster the nightly pipeline would not start', async () => {
    const { code, stdout } = await run('upgrade', 'payments', '--dry-run', '--simulate', fleetFile(), '--now', NOW);

    expect(code).toBe(0);
    expect(stdout).toContain('Blocked now: the nightly pipeline would not start it until these are cleared:');
    expect(stdout).toContain('  - OUTSIDE_WINDOW: ');
    expect(stdout).toContain('skipped nodegroup gpu (CUSTOM_AMI_NODEGROUP)');
  });

  it('says there is nothing to upgrade for a cluster at the newest version', async () => {
    const arn = 'arn:aws:eks:us-east-1:333333333333:cluster/manual';

    const { code, stdout } = await run('upgrade', arn, '--dry-run', '--simulate', fleetFile(), '--now', NOW);

    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      'Dry run: manual (333333333333, us-east-1) runs 1.36; there is nothing to upgrade to.',
    );
    expect(stdout).toContain('  - AT_TARGET: already at the target version 1.36');
    expect(stdout).not.toContain('Hop 1');
  });

  it.each([
    [['upgrade', 'dev-sandbox'], 'add --dry-run'],
    [['upgrade', 'nope', '--dry-run'], 'unknown cluster "nope"'],
    [['upgrade', 'manual', '--dry-run'], '"manual" names 2 clusters; give one ARN'],
    [['upgrade', '--dry-run'], 'give exactly one CLUSTER'],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await run(...args, '--simulate', fleetFile(), '--now', NOW);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

/**
 * `fleet-auditor rollback CLUSTER [--dry-run]` through `main` against the built-in simulator: every prerequisite
 * named, the exact calls printed, the refusals one by one, and a real rollback that EKS (simulated) carries out.
 */
import { describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../functions/cli/rollback-command.ts';
import type { FleetCluster, FleetFile } from '../../functions/sim/fleet-file.ts';
import { runCli, writeFleetFile } from './cli-harness.ts';

const NOW = '2026-06-10T12:00:00Z';
const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.parse(NOW) - days * DAY).toISOString();

/** `web` was upgraded in place 1.33 → 1.34 two days ago; its node group and add-on still fit 1.33. */
function fleet(change: Partial<FleetCluster> = {}): FleetFile {
  return {
    addonCatalog: {
      'metrics-agent': [{ version: 'v2.0.0-eksbuild.1', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.34'] }],
    },
    accounts: [
      {
        id: '222222222222',
        regions: {
          'eu-west-1': {
            clusters: [
              {
                name: 'web',
                version: '1.34',
                nodegroups: [{ name: 'ng-a', version: '1.33' }],
                addons: [{ name: 'coredns', version: 'v1.11.4-eksbuild.14' }],
                upgradedFrom: { version: '1.33', at: ago(2) },
                ...change,
              },
            ],
          },
        },
      },
    ],
  };
}

async function rollback(
  file: FleetFile,
  ...extra: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(NOW, ['rollback', 'web', '--simulate', writeFleetFile(file, 'fleet-auditor-rollback-'), ...extra]);
}

describe('fleet-auditor rollback', () => {
  it('--dry-run names every prerequisite and prints the exact calls', async () => {
    const run = await rollback(fleet(), '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Dry run: version rollback of web (222222222222, eu-west-1) from 1.34 to 1.33');
    for (const prerequisite of [
      '[ok] 7-day window after an in-place upgrade',
      '[ok] exactly one minor back (N-1)',
      '[ok] node groups at N-1 or older',
      '[ok] add-ons compatible with N-1',
      '[ok] ROLLBACK_READINESS insights not ERROR/UNKNOWN',
      '[ok] upgrade policy for N-1',
      '[ok] cluster ACTIVE, no other update running',
    ]) {
      expect(run.stdout).toContain(prerequisite);
    }
    expect(run.stdout).toMatch(
      /1\. UpdateClusterVersion name=web version=1\.33 rollbackConfig=\{"timeoutMinutes":720\} clientRequestToken=rollback-[0-9a-f]{16}/,
    );
    expect(run.stdout).toMatch(/2\. DescribeUpdate name=web .*VersionRollback/);
  });

  it('--format json carries the report field and the checks', async () => {
    const run = await rollback(fleet(), '--dry-run', '--format', 'json');
    const plan = JSON.parse(run.stdout) as RollbackPlan;
    expect(plan.rollback).toEqual({
      available: true,
      toVersion: '1.33',
      until: new Date(Date.parse(ago(2)) + 7 * DAY).toISOString(),
      blockers: [],
    });
    expect(plan.checks.every((check) => check.ok)).toBe(true);
    expect(plan.calls).toHaveLength(3);
  });

  it('rolls the control plane back for real and follows the VersionRollback update', async () => {
    const run = await rollback(fleet());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Result: update [0-9a-f-]{36} Successful/);
  });

  it('reports a VersionRollback that ends Failed and exits 1', async () => {
    const run = await rollback(fleet({ fault: 'ROLLBACK_FAILS' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Result: update .* Failed \(Other: The version rollback of cluster web/);
  });

  it.each<[string, Partial<FleetCluster>, string, RegExp]>([
    [
      '8 days after the upgrade',
      { upgradedFrom: { version: '1.33', at: ago(8) } },
      '[NO] 7-day window after an in-place upgrade',
      /WINDOW_CLOSED: the 7-day rollback window closed at 2026-06-09T12:00Z/,
    ],
    [
      'a node group at N',
      { nodegroups: [{ name: 'ng-a', version: '1.34' }] },
      '[NO] node groups at N-1 or older',
      /NODEGROUP_NEWER: node group\(s\) ng-a \(1\.34\) run newer than 1\.33/,
    ],
    [
      'a cluster created at its version',
      { upgradedFrom: undefined, createdAt: ago(30) },
      '[NO] 7-day window after an in-place upgrade',
      /NOT_UPGRADED_IN_PLACE: cluster web was not upgraded in place to 1\.34/,
    ],
    [
      'an add-on that does not run on N-1',
      { addons: [{ name: 'metrics-agent', version: 'v2.0.0-eksbuild.1' }] },
      '[NO] add-ons compatible with N-1',
      /ADDON_INCOMPATIBLE_WITH_PREVIOUS/,
    ],
    [
      'a readiness insight in ERROR',
      {
        insights: [
          {
            name: 'Kubelet version skew for rollback',
            status: 'ERROR',
            kubernetesVersion: '1.33',
            category: 'ROLLBACK_READINESS',
          },
        ],
      },
      '[NO] ROLLBACK_READINESS insights not ERROR/UNKNOWN',
      /ROLLBACK_INSIGHT_ERROR: rollback-readiness insight\(s\) "Kubelet version skew for rollback" \(ERROR\)/,
    ],
  ])('refuses %s, naming it, and changes nothing', async (_case, change, check, message) => {
    const file = fleet(change);
    const dry = await rollback(file, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(check);
    expect(dry.stdout).toMatch(message);
    expect(dry.stdout).toMatch(/Refused: .*Nothing was changed\./);
    expect(dry.stdout).not.toContain('UpdateClusterVersion');
    const real = await rollback(file);
    expect(real.code).toBe(1);
    expect(real.stdout).not.toContain('Result:');
  });

  it('refuses two minors back (rollback web 1.32), naming it', async () => {
    const run = await rollback(fleet(), '1.32', '--dry-run');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[NO] exactly one minor back (N-1)');
    expect(run.stdout).toMatch(
      /NOT_ONE_MINOR: EKS rolls back exactly one minor, from 1\.34 to 1\.33; 1\.32 is not that/,
    );
  });

  it('refuses a STANDARD upgrade policy when N-1 is in extended support', async () => {
    // 1.33 left standard support on 2026-07-29 (bundled calendar); the upgrade to 1.34 finished two days ago.
    const file = fleet({ supportType: 'STANDARD', upgradedFrom: { version: '1.33', at: '2026-08-08T12:00:00Z' } });
    const run = await runCli('2026-08-10T12:00:00Z', [
      'rollback',
      'web',
      '--dry-run',
      '--simulate',
      writeFleetFile(file, 'fleet-auditor-rollback-'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[NO] upgrade policy for N-1');
    expect(run.stdout).toMatch(/Refused: UPGRADE_POLICY_STANDARD\./);
  });

  it.each([
    [['rollback', '--dry-run'], /give one CLUSTER/],
    [['rollback', 'a', 'b', 'c', '--dry-run'], /give one CLUSTER/],
    [['rollback', 'a', '1.x', '--dry-run'], /"1.x" is not a version like 1.33/],
    [['rollback', 'web', '--format', 'csv'], /is not one of table, json/],
  ])('rejects bad input %j with exit 2', async (args, message) => {
    const run = await runCli(NOW, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('names an unknown cluster as a rollback problem', async () => {
    const run = await runCli(NOW, ['rollback', 'nope', '--dry-run', '--simulate', writeFleetFile(fleet())]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rollback: unknown cluster "nope"/);
  });
});

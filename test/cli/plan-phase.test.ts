/** `plan` shows each cluster's phase: baking until when, rollback available until when (DESIGN §7.1). */
import { describe, expect, it } from 'vitest';
import { phaseLines } from '../../functions/cli/plan-phase.ts';
import type { PlanDocument } from '../../functions/cli/plan-command.ts';
import type { UpgradePlan } from '../../functions/core/upgrade-decision.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';
import { runCli, writeFleetFile } from './cli-harness.ts';

const NOW = '2026-06-10T12:00:00Z';

const FLEET: FleetFile = {
  accounts: [
    {
      id: '222222222222',
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'web',
              version: '1.34',
              tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.34' },
              nodegroups: [{ name: 'ng-a', version: '1.33' }],
              upgradedFrom: { version: '1.33', at: '2026-06-08T02:14:00Z' },
            },
            {
              name: 'api',
              version: '1.34',
              tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.34' },
              nodegroups: [{ name: 'ng-b', version: '1.34' }],
              upgradedFrom: { version: '1.33', at: '2026-06-08T02:14:00Z' },
            },
            {
              name: 'old',
              version: '1.34',
              tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.34' },
              upgradedFrom: { version: '1.33', at: '2026-05-01T00:00:00Z' },
            },
          ],
        },
      },
    },
  ],
};

describe('plan phase', () => {
  it('shows until when each cluster can be rolled back, and what stands in the way', async () => {
    const run = await runCli(NOW, ['plan', '--simulate', writeFleetFile(FLEET, 'fleet-auditor-plan-phase-')]);
    expect(run.code).toBe(0);
    const block = (name: string): string => {
      const lines = run.stdout.split('\n');
      const start = lines.findIndex((line) => line.startsWith(`${name} `));
      const end = lines.findIndex((line, i) => i > start && !line.startsWith('    '));
      return lines.slice(start, end).join('\n');
    };
    expect(block('web')).toContain('    rollback: available to 1.33 until 2026-06-15T02:14Z');
    expect(block('api')).toContain('    rollback: to 1.33 until 2026-06-15T02:14Z, once cleared: NODEGROUP_NEWER');
    expect(block('old')).not.toContain('rollback:');
  });

  it('carries the rollback field in --format json', async () => {
    const run = await runCli(NOW, ['plan', '--format', 'json', '--simulate', writeFleetFile(FLEET)]);
    const doc = JSON.parse(run.stdout) as PlanDocument;
    expect(doc.clusters.find((c) => c.name === 'web')?.rollback).toEqual({
      available: true,
      toVersion: '1.33',
      until: '2026-06-15T02:14:00.000Z',
      blockers: [],
    });
  });

  it('shows a baking hop with its end', () => {
    const upgrade: UpgradePlan = {
      optedIn: true,
      target: '1.35',
      path: ['1.35'],
      eligible: false,
      blockers: [],
      nextWindowStart: null,
      wave: 0,
      rolloutGroup: 'default',
      phase: 'BAKING',
      bakeUntil: '2026-06-11T02:14:00.000Z',
    };
    expect(phaseLines(upgrade, undefined, new Date(NOW))).toEqual([
      'phase: baking until 2026-06-11T02:14Z; node groups follow after a healthy bake',
    ]);
  });
});

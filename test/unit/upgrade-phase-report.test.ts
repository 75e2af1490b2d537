/**
 * The phase of each cluster's upgrade in the stored fleet report (issue 14 item 6): the pure mapping from a PHASES
 * item to `upgrade.phase` / `phaseReason` / `bakeUntil`, the stored fleet report that applies it, and how the table
 * and the HTML report show it.
 */
import { describe, expect, it } from 'vitest';
import { formatHtml } from '../../functions/cli/format-html.ts';
import { formatTable } from '../../functions/cli/format-table.ts';
import { reportFromStoredFleet } from '../../functions/core/stored-fleet-report.ts';
import { upgradePhaseView, withUpgradePhase } from '../../functions/core/upgrade-phase-report.ts';
import type { StoredPhaseFacts } from '../../functions/core/upgrade-phase-report.ts';
import type { RollbackHold } from '../../functions/core/upgrade-phase.ts';
import { report } from '../adapters/store/store-fixtures.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const BAKE = {
  executionName: 'dev-sandbox-1-35-20261122-cf5e6472',
  fromVersion: '1.33',
  toVersion: '1.34',
  targetVersion: '1.35',
  startedAt: '2026-11-22T10:05:00.000Z',
  bakeUntil: '2026-11-23T10:05:00.000Z',
  rollbackUntil: '2026-11-29T10:05:00.000Z',
  baselineInsightErrors: [],
};
const HOLD: RollbackHold = {
  at: '2026-11-22T12:10:00.000Z',
  fromVersion: '1.34',
  toVersion: '1.33',
  outcome: 'SUCCEEDED',
  reason: 'HEALTH_ALARM: alarm web-5xx in ALARM',
  targetTag: '1.35',
};

function phase(overrides: Partial<StoredPhaseFacts>): StoredPhaseFacts {
  return {
    arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/dev-sandbox',
    phase: 'BAKING',
    targetVersion: '1.35',
    resume: { executionName: BAKE.executionName, bake: BAKE },
    hold: null,
    lastCheck: null,
    ...overrides,
  };
}

describe('upgradePhaseView', () => {
  it('says until when a hop bakes, until when a rollback is possible, and the last check', () => {
    expect(upgradePhaseView(phase({}))).toEqual({
      phase: 'BAKING',
      code: 'PHASE_BAKING',
      reason: 'baking 1.33 → 1.34 until 2026-11-23T10:05Z; rollback possible until 2026-11-29T10:05Z',
      bakeUntil: BAKE.bakeUntil,
    });
    const checked = phase({
      lastCheck: { code: 'BAKING', reason: 'healthy; baking until 2026-11-23T10:05Z', at: '2026-11-22T11:07:00.000Z' },
      resume: { bake: { ...BAKE, rollbackUntil: undefined } },
    });
    expect(upgradePhaseView(checked)?.reason).toBe(
      'baking 1.33 → 1.34 until 2026-11-23T10:05Z; last check 2026-11-22T11:07Z: healthy; baking until 2026-11-23T10:05Z',
    );
  });

  it('still says BAKING, without an end, when the stored bake is missing or malformed', () => {
    for (const resume of [null, {}, { bake: 'soon' }, { bake: { ...BAKE, bakeUntil: '' } }, { bake: null }]) {
      expect(upgradePhaseView(phase({ resume }))).toEqual({
        phase: 'BAKING',
        code: 'PHASE_BAKING',
        reason: 'baking (upgrade to 1.35)',
      });
    }
  });

  it('names the signal of a rollback in flight when the last check recorded it', () => {
    const signal = 'HEALTH_ALARM: alarm web-5xx in ALARM';
    expect(
      upgradePhaseView(
        phase({ phase: 'ROLLING_BACK', lastCheck: { code: 'ROLL_BACK', reason: signal, at: BAKE.startedAt } }),
      ),
    ).toEqual({
      phase: 'ROLLING_BACK',
      code: 'PHASE_ROLLING_BACK',
      reason: `rolling back 1.34 → 1.33 (${signal})`,
      signal,
    });
    expect(upgradePhaseView(phase({ phase: 'ROLLING_BACK', resume: null }))).toEqual({
      phase: 'ROLLING_BACK',
      code: 'PHASE_ROLLING_BACK',
      reason: 'rolling back the upgrade to 1.35',
    });
  });

  it('says a held cluster was rolled back (or its rollback failed), when, and on which signal', () => {
    const held = upgradePhaseView(phase({ phase: 'HELD_AFTER_ROLLBACK', resume: null, hold: HOLD }));
    expect(held).toEqual({
      phase: 'HELD_AFTER_ROLLBACK',
      code: 'PHASE_HELD_AFTER_ROLLBACK',
      reason:
        'held after rollback: rolled back from 1.34 to 1.33 on 2026-11-22T12:10Z (HEALTH_ALARM: alarm web-5xx in ALARM); ' +
        'until the target-version tag changes or an operator releases it',
      signal: HOLD.reason,
    });
    const failed = upgradePhaseView(
      phase({ phase: 'HELD_AFTER_ROLLBACK', resume: null, hold: { ...HOLD, outcome: 'FAILED' } }),
    );
    expect(failed?.code).toBe('PHASE_ROLLBACK_FAILED');
    expect(failed?.reason).toMatch(/^held after rollback: its rollback from 1\.34 to 1\.33 FAILED on /);
    expect(upgradePhaseView(phase({ phase: 'HELD_AFTER_ROLLBACK', resume: null, hold: null }))).toEqual({
      phase: 'HELD_AFTER_ROLLBACK',
      code: 'PHASE_HELD_AFTER_ROLLBACK',
      reason: 'held after rollback',
    });
  });

  it('knows no other phase', () => {
    expect(upgradePhaseView(phase({ phase: 'SOMETHING_NEW' }))).toBeNull();
  });
});

describe('withUpgradePhase', () => {
  const base = report('dev-sandbox');

  it('sets upgrade.phase, phaseReason and bakeUntil from the stored phase', () => {
    const out = withUpgradePhase(base, phase({}));
    expect(out.upgrade).toMatchObject({ phase: 'BAKING', bakeUntil: BAKE.bakeUntil });
    expect(out.upgrade.phaseReason).toMatch(/^baking 1\.33 → 1\.34 until/);
    expect(out.name).toBe(base.name);
  });

  it('drops a stale bakeUntil when the phase is no longer a bake', () => {
    const stale = { ...base, upgrade: { ...base.upgrade, phase: 'BAKING' as const, bakeUntil: BAKE.bakeUntil } };
    const out = withUpgradePhase(stale, phase({ phase: 'HELD_AFTER_ROLLBACK', resume: null, hold: HOLD }));
    expect(out.upgrade.phase).toBe('HELD_AFTER_ROLLBACK');
    expect(out.upgrade).not.toHaveProperty('bakeUntil');
  });

  it('leaves the report as it is without a phase item, or with one of an unknown phase', () => {
    expect(withUpgradePhase(base, undefined)).toBe(base);
    expect(withUpgradePhase(base, phase({ phase: 'SOMETHING_NEW' }))).toBe(base);
  });
});

describe('the stored fleet report with upgrade phases', () => {
  const baking = report('dev-sandbox');
  const held = report('payments', { arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/payments' });
  const plain = report('quiet', { arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/quiet' });
  const fleet = reportFromStoredFleet({
    clusters: [baking, held, plain].map((r) => ({ report: r, stale: false, deletedAt: null })),
    outcomes: [],
    regions: ['eu-west-1'],
    now: NOW,
    generatedAt: NOW,
    phases: [
      phase({ arn: baking.arn }),
      phase({ arn: held.arn, phase: 'HELD_AFTER_ROLLBACK', resume: null, hold: HOLD }),
    ],
  });
  const byName = (name: string) => fleet.clusters.find((c) => c.name === name);

  it('fills upgrade.phase of the clusters with a phase, and only theirs', () => {
    expect(byName('dev-sandbox')?.upgrade).toMatchObject({ phase: 'BAKING', bakeUntil: BAKE.bakeUntil });
    expect(byName('payments')?.upgrade).toMatchObject({ phase: 'HELD_AFTER_ROLLBACK' });
    expect(byName('quiet')?.upgrade).not.toHaveProperty('phase');
    expect(
      JSON.parse(JSON.stringify(fleet)).clusters.map((c: { upgrade: { phase?: string } }) => c.upgrade.phase ?? null),
    ).toEqual(fleet.clusters.map((c) => c.upgrade.phase ?? null));
  });

  it('shows the phase in the table’s UPGRADE column, and a PHASE line with the signal', () => {
    const text = formatTable(fleet, { colour: false });
    const line = (name: string) => text.split('\n').find((l) => l.includes(` ${name} `)) ?? '';

    expect(line('dev-sandbox')).toMatch(/baking until 2026-11-23T10:05Z$/);
    expect(line('payments')).toMatch(/held after rollback$/);
    expect(text).toContain(
      'PHASE  payments (111122223333, eu-west-1): held after rollback: rolled back from 1.34 to 1.33 on 2026-11-22T12:10Z (HEALTH_ALARM: alarm web-5xx in ALARM)',
    );
    expect(text).toContain('PHASE  dev-sandbox (111122223333, eu-west-1): baking 1.33 → 1.34 until 2026-11-23T10:05Z');
    expect(text).not.toContain('PHASE  quiet');
  });

  it('shows the phase in the HTML report: baking until when, held with the signal', () => {
    const html = formatHtml(fleet);

    expect(html).toContain('BAKING until 2026-11-23T10:05');
    expect(html).toContain('held after rollback: rolled back from 1.34 to 1.33');
    expect(html).toContain('HEALTH_ALARM: alarm web-5xx in ALARM');
  });
});

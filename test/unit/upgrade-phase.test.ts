import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { bakingMessage, rollbackMessage } from '../../functions/core/rollback-messages.ts';
import type { ClusterState } from '../../functions/core/types.ts';
import { decideUpgrade } from '../../functions/core/upgrade-decision.ts';
import { heldAfterRollbackBlocker, holdApplies, upgradePhaseFields } from '../../functions/core/upgrade-phase.ts';
import type { BakeState, RollbackHold } from '../../functions/core/upgrade-phase.ts';

const NOW = new Date('2026-06-03T03:00:00Z');
const cluster: ClusterState = {
  accountId: '222222222222',
  region: 'eu-west-1',
  name: 'web',
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/web',
  version: '1.34',
  platformVersion: 'eks.1',
  status: 'ACTIVE',
  supportType: 'EXTENDED',
  tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.35' },
  autoMode: false,
  nodegroups: [
    { name: 'ng-a', version: '1.34', releaseVersion: null, status: 'ACTIVE', amiType: null, customAmi: false },
  ],
  addons: [],
  fargateProfiles: [],
  insights: [],
  updateInProgress: false,
  versionSince: '2026-01-01T00:00:00Z',
};
const bake: BakeState = {
  executionName: 'web-1-35-20260602-abcd1234',
  fromVersion: '1.34',
  toVersion: '1.35',
  targetVersion: '1.35',
  startedAt: '2026-06-02T02:14:00.000Z',
  bakeUntil: '2026-06-03T02:14:00.000Z',
  rollbackUntil: '2026-06-09T02:14:00.000Z',
  baselineInsightErrors: [],
};
const hold: RollbackHold = {
  at: '2026-06-02T12:00:00.000Z',
  fromVersion: '1.35',
  toVersion: '1.34',
  outcome: 'SUCCEEDED',
  reason: 'HEALTH_ALARM: alarm web-5xx in ALARM',
  targetTag: '1.35',
};
const base = { calendar: BUNDLED_CALENDAR, catalog: {}, now: NOW, fleet: [] };

describe('upgrade phase in the plan', () => {
  it('shows BAKING with its end and blocks any other start', () => {
    const plan = decideUpgrade(cluster, { ...base, bake });
    expect(plan).toMatchObject({ phase: 'BAKING', bakeUntil: bake.bakeUntil, eligible: false });
    expect(plan.blockers.find((b) => b.code === 'BAKING')?.message).toMatch(
      /1.34 → 1.35 is baking until 2026-06-03T02:14:00.000Z/,
    );
  });

  it('has no phase when nothing bakes', () => {
    const plan = decideUpgrade(cluster, base);
    expect(plan.phase).toBeUndefined();
    expect(upgradePhaseFields(null)).toEqual({});
  });

  it('holds a rolled-back cluster while its target tag is unchanged', () => {
    const plan = decideUpgrade(cluster, { ...base, hold });
    expect(plan.blockers.map((b) => b.code)).toContain('HELD_AFTER_ROLLBACK');
    expect(plan.blockers.find((b) => b.code === 'HELD_AFTER_ROLLBACK')?.message).toMatch(
      /rolled back from 1.35 to 1.34 .*alarm web-5xx.*fleet-auditor\/target-version changes/,
    );
  });

  it('releases the hold when the owner changes the target tag', () => {
    const retargeted = { ...cluster, tags: { ...cluster.tags, 'fleet-auditor/target-version': '1.36' } };
    const plan = decideUpgrade(retargeted, { ...base, hold });
    expect(plan.blockers.map((b) => b.code)).not.toContain('HELD_AFTER_ROLLBACK');
  });

  it.each([
    [hold, '1.35', true],
    [hold, null, false],
    [{ ...hold, targetTag: null }, null, true],
    [null, '1.35', false],
  ] as const)('holdApplies(%#)', (h, tag, applies) => {
    expect(holdApplies(h, tag)).toBe(applies);
  });

  it('says a failed rollback loudly', () => {
    expect(heldAfterRollbackBlocker({ ...hold, outcome: 'FAILED' }, '1.35', 'k')?.message).toMatch(
      /its rollback from 1.35 to 1.34 FAILED/,
    );
  });
});

describe('bake and rollback messages', () => {
  const ref = { accountId: cluster.accountId, region: cluster.region, name: 'web', arn: cluster.arn, version: '1.35' };

  it('UPGRADE_BAKING carries bakeUntil and rollbackUntil', () => {
    const message = bakingMessage(ref, { ...bake, executionName: bake.executionName });
    expect(message.event).toMatchObject({
      type: 'UPGRADE_BAKING',
      detail: { fromVersion: '1.34', toVersion: '1.35', bakeUntil: bake.bakeUntil, rollbackUntil: bake.rollbackUntil },
    });
    expect(message.subject).toBe('EKS web 1.35 baking until 2026-06-03T02:14Z');
    expect(message.attributes.severity).toBe('INFO');
  });

  it('a failed rollback without an error detail still reads', () => {
    const message = rollbackMessage('ROLLBACK_FAILED', ref, {
      fromVersion: '1.35',
      toVersion: '1.34',
      reason: 'r',
      executionName: 'x',
    });
    expect(message.event.text).toMatch(/FAILED: Error: no detail/);
  });

  it.each([
    ['ROLLBACK_STARTED', 'WARNING', /rolling the control plane back from 1.35 to 1.34 because alarm web-5xx/],
    ['ROLLBACK_SUCCEEDED', 'INFO', /rolled back from 1.35 to 1.34 because alarm web-5xx.*held/],
    ['ROLLBACK_FAILED', 'ERROR', /FAILED: UpdateFailedError: boom\. It will not be retried/],
  ] as const)('%s names the signal', (type, severity, text) => {
    const message = rollbackMessage(type, ref, {
      fromVersion: '1.35',
      toVersion: '1.34',
      reason: 'alarm web-5xx in ALARM',
      executionName: 'x',
      ...(type === 'ROLLBACK_FAILED' ? { error: { name: 'UpdateFailedError', message: 'boom' } } : {}),
    });
    expect(message.attributes).toMatchObject({ type, severity });
    expect(message.event.text).toMatch(text);
    expect(message.event.detail).toMatchObject({ reason: 'alarm web-5xx in ALARM' });
  });
});

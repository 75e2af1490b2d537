import { describe, expect, it } from 'vitest';
import type { AddonCatalog, Calendar } from '../../functions/core/types.ts';
import {
  assessRollback,
  clusterRollback,
  isOneMinorBack,
  minuteOf,
  rollbackFinding,
  rollbackTarget,
} from '../../functions/core/rollback-readiness.ts';
import type { RollbackFacts } from '../../functions/core/rollback-readiness.ts';

const calendar: Calendar = [
  { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
];
const catalog: AddonCatalog = {
  coredns: [
    { version: 'v1.11.4-eksbuild.14', compatibleWith: ['1.32', '1.33', '1.34'], defaultFor: ['1.33'] },
    { version: 'v1.12.1-eksbuild.2', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.34', '1.35'] },
  ],
};
const NOW = new Date('2026-06-03T02:14:00Z');
const ctx = { calendar, catalog, now: NOW };

/** 1.33 → 1.34 finished a day ago; node groups at 1.33; coredns runs on both. */
const facts = (change: Partial<RollbackFacts> = {}): RollbackFacts => ({
  name: 'web',
  version: '1.34',
  status: 'ACTIVE',
  supportType: 'EXTENDED',
  upgradedFrom: { version: '1.33', at: '2026-06-02T02:14:00.000Z' },
  nodegroups: [{ name: 'ng-a', version: '1.33' }],
  addons: [
    { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
    { name: 'self-managed', version: 'v9' },
  ],
  updateInProgress: false,
  rollbackInsights: [{ name: 'Kubelet version skew for rollback', status: 'PASSING' }],
  ...change,
});

describe('assessRollback', () => {
  it('is available to N-1 until 7 days after the upgrade finished', () => {
    expect(assessRollback(facts(), ctx)).toEqual({
      available: true,
      toVersion: '1.33',
      until: '2026-06-09T02:14:00.000Z',
      blockers: [],
    });
  });

  it.each<[string, Partial<RollbackFacts>, Date, string, RegExp]>([
    [
      '8 days after the upgrade',
      {},
      new Date('2026-06-10T02:14:00Z'),
      'WINDOW_CLOSED',
      /window closed at 2026-06-09T02:14Z/,
    ],
    ['two minors back', { requestedVersion: '1.32' }, NOW, 'NOT_ONE_MINOR', /exactly one minor, from 1.34 to 1.33/],
    [
      'an upgrade that did not come from N-1',
      { upgradedFrom: { version: '1.32', at: '2026-06-02T02:14:00Z' } },
      NOW,
      'NOT_ONE_MINOR',
      /came from 1.32/,
    ],
    ['a node group at N', { nodegroups: [{ name: 'ng-a', version: '1.34' }] }, NOW, 'NODEGROUP_NEWER', /ng-a \(1.34\)/],
    [
      'an add-on that does not run on N-1',
      { addons: [{ name: 'coredns', version: 'v1.12.1-eksbuild.2' }] },
      NOW,
      'ADDON_INCOMPATIBLE_WITH_PREVIOUS',
      /coredns v1.12.1-eksbuild.2 do not run on 1.33/,
    ],
    [
      'a readiness insight in ERROR',
      { rollbackInsights: [{ name: 'API usage', status: 'ERROR' }] },
      NOW,
      'ROLLBACK_INSIGHT_ERROR',
      /"API usage" \(ERROR\)/,
    ],
    [
      'a readiness insight UNKNOWN',
      { rollbackInsights: [{ name: 'API usage', status: 'UNKNOWN' }] },
      NOW,
      'ROLLBACK_INSIGHT_ERROR',
      /UNKNOWN/,
    ],
    ['unreadable readiness insights', { rollbackInsights: null }, NOW, 'FACTS_UNKNOWN', /ListInsights/],
    [
      'a STANDARD policy with N-1 in extended support',
      { supportType: 'STANDARD' },
      new Date('2026-08-01T00:00:00Z'),
      'UPGRADE_POLICY_STANDARD',
      /upgrade policy to EXTENDED/,
    ],
    ['another update running', { updateInProgress: true }, NOW, 'UPDATE_IN_PROGRESS', /another update/],
    ['a cluster not ACTIVE', { status: 'UPDATING' }, NOW, 'CLUSTER_NOT_ACTIVE', /UPDATING/],
  ])('is refused for %s', (_name, change, now, code, message) => {
    const result = assessRollback(facts(change), { ...ctx, now });
    expect(result.available).toBe(false);
    const blocker = result.blockers.find((b) => b.code === code);
    expect(blocker?.message).toMatch(message);
  });

  it('is refused for a cluster created at its version', () => {
    expect(assessRollback(facts({ upgradedFrom: null }), ctx)).toEqual({
      available: false,
      toVersion: null,
      until: null,
      blockers: [{ code: 'NOT_UPGRADED_IN_PLACE', message: expect.stringMatching(/created at it/) }],
    });
  });

  it('is unknown when the history was not read', () => {
    expect(assessRollback(facts({ upgradedFrom: undefined }), ctx).blockers[0]?.code).toBe('FACTS_UNKNOWN');
  });

  it('refuses an N-1 past extended support', () => {
    const late = { ...ctx, now: new Date('2027-08-01T00:00:00Z') };
    const upgradedFrom = { version: '1.33', at: '2027-07-31T00:00:00Z' };
    const result = assessRollback(facts({ upgradedFrom }), late);
    expect(result.blockers.map((b) => b.code)).toEqual(['PREVIOUS_VERSION_UNSUPPORTED']);
  });

  it('cannot judge an N-1 missing from the calendar', () => {
    const result = assessRollback(facts(), { ...ctx, calendar: calendar.filter((row) => row.version !== '1.33') });
    expect(result.blockers.map((b) => b.code)).toEqual(['FACTS_UNKNOWN']);
  });

  it('does not judge insights it was not asked to (the audit)', () => {
    const { rollbackInsights: _skipped, ...rest } = facts();
    expect(assessRollback(rest, ctx).available).toBe(true);
  });

  it('lists every unmet prerequisite at once', () => {
    const result = assessRollback(
      facts({ nodegroups: [{ name: 'ng-a', version: '1.34' }], rollbackInsights: [{ name: 'x', status: 'ERROR' }] }),
      { ...ctx, now: new Date('2026-06-12T00:00:00Z') },
    );
    expect(result.blockers.map((b) => b.code)).toEqual(['WINDOW_CLOSED', 'NODEGROUP_NEWER', 'ROLLBACK_INSIGHT_ERROR']);
  });
});

describe('clusterRollback', () => {
  it('is null when the update history was not read', () => {
    const { upgradedFrom: _unread, ...rest } = facts();
    expect(clusterRollback(rest, ctx)).toBeNull();
  });

  it('judges the audited cluster', () => {
    expect(clusterRollback(facts(), ctx)?.available).toBe(true);
  });
});

describe('rollbackFinding', () => {
  it('says until when, to the minute', () => {
    expect(rollbackFinding(assessRollback(facts(), ctx), NOW)).toEqual({
      code: 'ROLLBACK_AVAILABLE',
      severity: 'OK',
      message: 'upgraded in place; the control plane can be rolled back to 1.33 until 2026-06-09T02:14Z',
    });
  });

  it('names what must happen first', () => {
    const assessment = assessRollback(facts({ nodegroups: [{ name: 'ng-a', version: '1.34' }] }), ctx);
    expect(rollbackFinding(assessment, NOW)?.message).toMatch(/; first: NODEGROUP_NEWER$/);
  });

  it('is absent once the window closed, and for a cluster created at its version', () => {
    const later = new Date('2026-06-10T00:00:00Z');
    expect(rollbackFinding(assessRollback(facts(), { ...ctx, now: later }), later)).toBeNull();
    expect(rollbackFinding(assessRollback(facts({ upgradedFrom: null }), ctx), NOW)).toBeNull();
  });
});

describe('helpers', () => {
  it.each([
    ['1.34', '1.33'],
    ['1.0', null],
    ['bad', null],
  ])('rollbackTarget(%s) = %s', (version, target) => {
    expect(rollbackTarget(version)).toBe(target);
  });

  it('isOneMinorBack', () => {
    expect(isOneMinorBack('1.34', '1.33')).toBe(true);
    expect(isOneMinorBack('1.34', '1.32')).toBe(false);
    expect(isOneMinorBack('1.34', 'x')).toBe(false);
  });

  it('minuteOf', () => {
    expect(minuteOf('2026-12-09T02:14:59.999Z')).toBe('2026-12-09T02:14Z');
  });
});

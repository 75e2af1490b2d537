import { describe, expect, it } from 'vitest';
import { reportFingerprint } from '../../../functions/adapters/store/items.ts';
import type { ClusterReport } from '../../../functions/core/report-types.ts';
import { report } from './store-fixtures.ts';

/** The same value with every object's keys in reverse order (as a store may return them). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('reportFingerprint', () => {
  const base = report('prod');

  it.each<[string, ClusterReport]>([
    [
      'the day count',
      { ...base, deadline: { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 39 } },
    ],
    ['the next window start', { ...base, upgrade: { ...base.upgrade, nextWindowStart: '2025-02-15T02:00:00.000Z' } }],
    [
      'the wording of a finding',
      { ...base, findings: [{ code: 'DEADLINE_APPROACHING', severity: 'WARNING', message: 'ends in 39 days' }] },
    ],
    ['the order of object keys', reverseKeys(base) as ClusterReport],
  ])('ignores %s', (_what, changed) => {
    expect(reportFingerprint(changed)).toBe(reportFingerprint(base));
  });

  it.each<[string, ClusterReport]>([
    ['the version', { ...base, version: '1.30' }],
    ['the severity', { ...base, severity: 'CRITICAL' }],
    ['a node group version', { ...base, nodegroups: [{ ...base.nodegroups[0]!, version: '1.29', skew: 0 }] }],
    ['the blocker codes', { ...base, upgrade: { ...base.upgrade, blockers: [] } }],
  ])('changes with %s', (_what, changed) => {
    expect(reportFingerprint(changed)).not.toBe(reportFingerprint(base));
  });
});

import { describe, expect, it } from 'vitest';
import {
  gatedRolloutGroups,
  storedWaveMember,
  versionSinceFromHistory,
} from '../../functions/core/stored-wave-members.ts';

const entry = (auditedAt: string, version: string): { auditedAt: string; report: { version: string } } => ({
  auditedAt,
  report: { version },
});

describe('versionSinceFromHistory', () => {
  it('is the first audit of the newest unbroken run at the version', () => {
    const history = [
      entry('2026-10-01T00:00:00Z', '1.33'),
      entry('2026-11-01T00:00:00Z', '1.34'),
      entry('2026-11-05T00:00:00Z', '1.34'),
      entry('2026-10-15T00:00:00Z', '1.34'),
    ];

    expect(versionSinceFromHistory(history, '1.34')).toBe('2026-10-15T00:00:00Z');
  });

  it('ignores an older run at the same version', () => {
    const history = [
      entry('2026-09-01T00:00:00Z', '1.34'),
      entry('2026-10-01T00:00:00Z', '1.33'),
      entry('2026-11-01T00:00:00Z', '1.34'),
    ];

    expect(versionSinceFromHistory(history, '1.34')).toBe('2026-11-01T00:00:00Z');
  });

  it.each([
    ['there is no history', []],
    ['the newest entry is at another version', [entry('2026-11-01T00:00:00Z', '1.33')]],
  ])('is null when %s', (_what, history) => {
    expect(versionSinceFromHistory(history, '1.34')).toBeNull();
  });
});

describe('storedWaveMember', () => {
  const report = {
    arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/canary',
    name: 'canary',
    version: '1.34',
    upgrade: {
      optedIn: true,
      target: '1.35',
      path: ['1.35'],
      eligible: true,
      blockers: [],
      nextWindowStart: null,
      wave: 0,
      rolloutGroup: 'default',
    },
  };

  it('is the opted-in cluster in its wave, at its version, since the given instant', () => {
    expect(storedWaveMember(report, '2026-11-01T00:00:00Z')).toEqual({
      arn: report.arn,
      name: 'canary',
      wave: 0,
      version: '1.34',
      versionSince: '2026-11-01T00:00:00Z',
      rolloutGroup: 'default',
    });
  });

  it('is null for a cluster that is not opted in', () => {
    expect(storedWaveMember({ ...report, upgrade: { ...report.upgrade, optedIn: false } }, null)).toBeNull();
  });
});

describe('gatedRolloutGroups', () => {
  it('names each rollout group of the clusters in waves above 0 once, sorted, and none of wave 0', () => {
    const policies = [
      { wave: 2, rolloutGroup: 'payments' },
      { wave: 0, rolloutGroup: 'search' },
      { wave: 1, rolloutGroup: 'default' },
      { wave: 1, rolloutGroup: 'payments' },
    ];

    expect(gatedRolloutGroups(policies)).toEqual(['default', 'payments']);
  });

  it('is empty for an account-region whose clusters are all in wave 0 (no wave index read)', () => {
    expect(gatedRolloutGroups([{ wave: 0, rolloutGroup: 'default' }])).toEqual([]);
    expect(gatedRolloutGroups([])).toEqual([]);
  });
});

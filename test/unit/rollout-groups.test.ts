import { describe, expect, it } from 'vitest';
import { waveGate, withLastKnownGroups, type WaveMember } from '../../functions/core/waves.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const member = (name: string, group: string, version: string): WaveMember => ({
  arn: `arn:aws:eks:eu-west-1:111111111111:cluster/${name}`,
  name,
  wave: 0,
  version,
  versionSince: '2026-01-01T00:00:00Z',
  rolloutGroup: group,
});

describe('waveGate with rollout groups', () => {
  it("never holds a group back on another group's lagging or frozen wave-0 cluster", () => {
    const gate = waveGate({
      wave: 1,
      rolloutGroup: 'payments',
      hopVersion: '1.35',
      members: [member('search-canary', 'search', '1.33'), member('pay-canary', 'payments', '1.35')],
      now: NOW,
      soakDays: 7,
    });
    expect(gate.ready).toBe(true);
  });

  it('names the group and the holding cluster when its own lower wave lags', () => {
    const gate = waveGate({
      wave: 1,
      rolloutGroup: 'search',
      hopVersion: '1.35',
      members: [member('search-canary', 'search', '1.33')],
      now: NOW,
      soakDays: 7,
    });
    expect(gate.reason).toBe(
      'wave 1 of rollout group search waits before the hop to 1.35: search-canary (wave 0) runs 1.33, not yet 1.35',
    );
  });

  it('is held by an unreadable account-region only if it last held the group, or was never read', () => {
    const unreadable = withLastKnownGroups(
      [
        { accountId: '222222222222', region: 'eu-west-1' },
        { accountId: '333333333333', region: null },
      ],
      [{ accountId: '222222222222', region: 'eu-west-1', optedIn: true, rolloutGroup: 'search' }],
    );
    const gate = (group: string): boolean =>
      waveGate({
        wave: 1,
        rolloutGroup: group,
        hopVersion: '1.35',
        members: [],
        now: NOW,
        soakDays: 7,
        unreadable,
      }).reason.includes('222222222222 eu-west-1');
    expect(gate('search')).toBe(true);
    expect(gate('payments')).toBe(false);
    const payments = waveGate({
      wave: 1,
      rolloutGroup: 'payments',
      hopVersion: '1.35',
      members: [],
      now: NOW,
      soakDays: 7,
      unreadable,
    });
    expect(payments.ready).toBe(false);
    expect(payments.reason).toContain('1 account unreadable (333333333333)');
  });
});

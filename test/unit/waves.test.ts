import { describe, expect, it } from 'vitest';
import {
  unreadableAccountRegions,
  waveGate,
  type UnreadableAccountRegion,
  type WaveMember,
} from '../../functions/core/waves.ts';
import { DEFAULT_SOAK_DAYS } from '../../functions/core/defaults.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

function member(name: string, wave: number, version: string, versionSince: string | null): WaveMember {
  return { arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`, name, wave, version, versionSince };
}

const gate = (wave: number, members: readonly WaveMember[], hopVersion = '1.33') =>
  waveGate({ wave, hopVersion, members, now: NOW, soakDays: DEFAULT_SOAK_DAYS });

describe('waveGate', () => {
  it('soaks for 7 days by default', () => {
    expect(DEFAULT_SOAK_DAYS).toBe(7);
  });

  it('always lets wave 0 go, whatever the fleet runs', () => {
    expect(gate(0, [member('old', 0, '1.30', null)])).toEqual({
      ready: true,
      code: 'WAVE_READY',
      reason: 'wave 0 of rollout group default goes first; no lower wave gates it',
      readyAt: null,
    });
  });

  it('lets a wave go when no cluster is in a lower wave', () => {
    const decision = gate(2, [member('peer', 2, '1.30', null), member('later', 3, '1.29', null)]);
    expect(decision).toMatchObject({ ready: true, code: 'WAVE_READY', readyAt: null });
    expect(decision.reason).toMatch(/no cluster of rollout group default in a wave below 2/);
  });

  it.each([
    ['exactly 7 days', 7 * DAY, true],
    ['8 days', 8 * DAY, true],
    ['6 days 23 h', 7 * DAY - HOUR, false],
  ])('with the lower wave on the hop version for %s, ready is %s', (_label, soaked, ready) => {
    const decision = gate(1, [member('canary', 0, '1.33', ago(soaked))]);
    expect(decision.ready).toBe(ready);
    expect(decision.code).toBe(ready ? 'WAVE_READY' : 'WAVE_NOT_READY');
    expect(decision.readyAt).toEqual(new Date(NOW.getTime() - soaked + 7 * DAY));
  });

  it('says how long a lagging cluster has soaked and when the soak completes', () => {
    const decision = gate(1, [member('canary', 0, '1.33', ago(7 * DAY - HOUR))]);
    expect(decision.reason).toBe(
      'wave 1 of rollout group default waits before the hop to 1.33: canary (wave 0) has run 1.33 for 6d 23h of the 7d soak ' +
        '(soak complete at 2026-11-22T13:00:00.000Z)',
    );
  });

  it('counts whole days without hours in the soak it reports', () => {
    expect(gate(1, [member('canary', 0, '1.33', ago(2 * DAY))]).reason).toMatch(/for 2d of the 7d soak/);
  });

  it('waits, with no readyAt, while a lower wave still runs an older version', () => {
    const decision = gate(2, [member('canary', 0, '1.33', ago(30 * DAY)), member('early', 1, '1.32', ago(30 * DAY))]);
    expect(decision).toMatchObject({ ready: false, code: 'WAVE_NOT_READY', readyAt: null });
    expect(decision.reason).toBe(
      'wave 2 of rollout group default waits before the hop to 1.33: early (wave 1) runs 1.32, not yet 1.33',
    );
  });

  it('does not count a member whose start on the version is unknown as soaked', () => {
    const decision = gate(1, [member('canary', 0, '1.33', null)]);
    expect(decision).toMatchObject({ ready: false, readyAt: null });
    expect(decision.reason).toMatch(/canary \(wave 0\) runs 1.33 since an unknown time/);
  });

  it('treats an unreadable versionSince as unknown', () => {
    expect(gate(1, [member('canary', 0, '1.33', 'last week')]).reason).toMatch(/since an unknown time/);
  });

  it('treats a member with an unreadable version as lagging', () => {
    expect(gate(1, [member('odd', 0, 'v1.33', ago(30 * DAY))]).reason).toMatch(
      /odd \(wave 0\) runs v1.33, not yet 1.33/,
    );
  });

  it('accepts a lower wave already on a newer version, soaked on it', () => {
    const decision = gate(1, [member('canary', 0, '1.34', ago(9 * DAY))]);
    expect(decision.ready).toBe(true);
    expect(decision.reason).toBe(
      'all 1 cluster(s) of rollout group default in waves below 1 have run 1.33 or newer for 7d',
    );
  });

  it('compares versions numerically (1.10 is newer than 1.9)', () => {
    expect(gate(1, [member('canary', 0, '1.10', ago(9 * DAY))], '1.9').ready).toBe(true);
  });

  it('ignores members of the same and higher waves', () => {
    const decision = gate(1, [
      member('canary', 0, '1.33', ago(8 * DAY)),
      member('peer', 1, '1.31', null),
      member('late', 2, '1.30', null),
    ]);
    expect(decision.ready).toBe(true);
  });

  it('names up to three lagging clusters, then how many more', () => {
    const members = ['a', 'b', 'c', 'd', 'e'].map((name) => member(name, 0, '1.32', ago(DAY)));
    const decision = gate(1, members);
    expect(decision.reason).toBe(
      'wave 1 of rollout group default waits before the hop to 1.33: a (wave 0) runs 1.32, not yet 1.33; b (wave 0) runs 1.32, not yet 1.33; ' +
        'c (wave 0) runs 1.32, not yet 1.33; and 2 more',
    );
  });

  it('gives the latest soak end as readyAt when several lower clusters soak', () => {
    const decision = gate(1, [member('a', 0, '1.33', ago(6 * DAY)), member('b', 0, '1.33', ago(2 * DAY))]);
    expect(decision.readyAt).toEqual(new Date(NOW.getTime() + 5 * DAY));
    expect(decision.reason).toMatch(/a \(wave 0\) has run 1.33 for 6d.*b \(wave 0\) has run 1.33 for 2d/);
  });

  it('honours a custom soak time', () => {
    const decision = waveGate({
      wave: 1,
      hopVersion: '1.33',
      members: [member('canary', 0, '1.33', ago(DAY))],
      now: NOW,
      soakDays: 1,
    });
    expect(decision.ready).toBe(true);
  });

  describe('when part of the fleet scope could not be read', () => {
    const denied: UnreadableAccountRegion = { accountId: '111111111112', region: null };
    const withUnreadable = (
      wave: number,
      members: readonly WaveMember[],
      unreadable: readonly UnreadableAccountRegion[],
    ) => waveGate({ wave, hopVersion: '1.34', members, now: NOW, soakDays: DEFAULT_SOAK_DAYS, unreadable });

    it('holds wave 1 back even though no lower-wave cluster was seen', () => {
      expect(withUnreadable(1, [], [denied])).toEqual({
        ready: false,
        code: 'WAVE_NOT_READY',
        reason:
          'wave 1 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account unreadable (111111111112)',
        readyAt: null,
      });
    });

    it('lets wave 0 go: no lower wave can be hiding there', () => {
      expect(withUnreadable(0, [], [denied])).toMatchObject({ ready: true, code: 'WAVE_READY' });
    });

    it('holds back, with no readyAt, even when every lower-wave cluster it saw has soaked', () => {
      const decision = withUnreadable(1, [member('canary', 0, '1.34', ago(30 * DAY))], [denied]);
      expect(decision).toMatchObject({ ready: false, readyAt: null });
    });

    it('names the unreadable part first, then the lagging clusters', () => {
      const decision = withUnreadable(2, [member('early', 1, '1.33', ago(DAY))], [denied]);
      expect(decision.reason).toBe(
        'wave 2 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account unreadable (111111111112); ' +
          'early (wave 1) runs 1.33, not yet 1.34',
      );
    });

    it.each<[string, UnreadableAccountRegion[], string]>([
      [
        'account-regions',
        [
          { accountId: '222222222222', region: 'us-east-1' },
          { accountId: '111111111112', region: 'eu-west-1' },
        ],
        '2 account-regions unreadable (111111111112 eu-west-1, 222222222222 us-east-1)',
      ],
      [
        'accounts and account-regions',
        [
          { accountId: '111111111112', region: null },
          { accountId: '222222222222', region: 'us-east-1' },
        ],
        '1 account and 1 account-region unreadable (111111111112, 222222222222 us-east-1)',
      ],
      [
        'more than three',
        ['1', '2', '3', '4', '5'].map((d) => ({ accountId: d.repeat(12), region: null })),
        '5 accounts unreadable (111111111111, 222222222222, 333333333333 and 2 more)',
      ],
    ])('counts and names %s', (_label, unreadable, text) => {
      expect(withUnreadable(1, [], unreadable).reason).toBe(
        `wave 1 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): ${text}`,
      );
    });
  });
});

describe('unreadableAccountRegions', () => {
  const t = (accountId: string, region: string | null): UnreadableAccountRegion => ({ accountId, region });

  it.each<[string, UnreadableAccountRegion[], UnreadableAccountRegion[], UnreadableAccountRegion[]]>([
    ['nothing failed', [], [t('1', 'eu-west-1')], []],
    [
      'an account that failed in every scheduled region becomes the account',
      [t('1', 'eu-west-1'), t('1', 'us-east-1')],
      [t('1', 'eu-west-1'), t('1', 'us-east-1'), t('2', 'eu-west-1')],
      [t('1', null)],
    ],
    [
      'an account that failed in some of its regions stays per region',
      [t('1', 'us-east-1')],
      [t('1', 'eu-west-1'), t('1', 'us-east-1')],
      [t('1', 'us-east-1')],
    ],
    ['without a schedule, account-regions stay as given', [t('1', 'us-east-1')], [], [t('1', 'us-east-1')]],
    [
      'a whole account absorbs its regions, duplicates go, sorted by account then region',
      [t('2', 'us-east-1'), t('2', 'eu-west-1'), t('1', 'eu-west-1'), t('1', null), t('2', 'eu-west-1')],
      [],
      [t('1', null), t('2', 'eu-west-1'), t('2', 'us-east-1')],
    ],
  ])('%s', (_label, failed, scheduled, expected) => {
    expect(unreadableAccountRegions(failed, scheduled)).toEqual(expected);
  });
});

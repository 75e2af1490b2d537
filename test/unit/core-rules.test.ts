import { describe, expect, it } from 'vitest';
import { CLUSTER_NOT_ASSESSED, judgeClusters, summarize } from '../../functions/core/audit-report.ts';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import {
  isAccountId,
  isClusterName,
  isOrganizationalUnitId,
  isParentId,
  isRegion,
  isRootId,
} from '../../functions/core/identifiers.ts';
import { lifecycleAt } from '../../functions/core/lifecycle.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import { reportFromStoredFleet, reportTonight, runErrors } from '../../functions/core/stored-fleet-report.ts';
import { fleetWaveMembers, storedWaveMembers } from '../../functions/core/stored-wave-members.ts';
import type { ClusterState, Severity, SupportType } from '../../functions/core/types.ts';
import { lowestWaveFirst, runOutcome, upgradeCandidates } from '../../functions/core/upgrade-candidates.ts';
import type { UpgradeCandidate } from '../../functions/core/upgrade-candidates.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function cluster(name: string, version: string, extra: Partial<ClusterState> = {}): ClusterState {
  return {
    accountId: '111111111111',
    region: 'eu-west-1',
    name,
    arn: `arn:aws:eks:eu-west-1:111111111111:cluster/${name}`,
    version,
    platformVersion: 'eks.1',
    status: 'ACTIVE',
    supportType: 'STANDARD',
    tags: {},
    autoMode: false,
    nodegroups: [],
    addons: [],
    fargateProfiles: [],
    insights: [],
    updateInProgress: false,
    versionSince: '2026-09-01T00:00:00.000Z',
    ...extra,
  };
}

const CONTEXT = {
  calendar: BUNDLED_CALENDAR,
  catalog: {},
  now: NOW,
  tagPrefix: 'fleet-auditor/',
  fleet: [],
  soakDays: 7,
  unreadable: [],
};

describe('identifiers', () => {
  it.each([
    [isAccountId, '111122223333', true],
    [isAccountId, '11112222333', false],
    [isAccountId, '11112222333a', false],
    [isRegion, 'eu-west-1', true],
    [isRegion, 'us-gov-west-1', true],
    [isRegion, 'europe', false],
    [isRootId, 'r-a1b2', true],
    [isRootId, 'ou-a1b2-aaaa1111', false],
    [isOrganizationalUnitId, 'ou-a1b2-aaaa1111', true],
    [isOrganizationalUnitId, 'r-a1b2', false],
    [isParentId, 'r-a1b2', true],
    [isParentId, 'ou-a1b2-aaaa1111', true],
    [isParentId, 'o-a1b2c3d4e5', false],
    [isClusterName, 'payments-prod_2', true],
    [isClusterName, '-payments', false],
    [isClusterName, 'x'.repeat(101), false],
  ] as const)('%o(%s) is %s', (predicate, text, expected) => {
    expect(predicate(text)).toBe(expected);
  });
});

describe('lifecycleAt', () => {
  const entry = { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' };
  it.each<[string, SupportType, boolean, string, Severity, number, string | null]>([
    ['a listed version on EXTENDED, billed', 'EXTENDED', false, 'EXTENDED_SUPPORT', 'CRITICAL', 365, '2026-11-26'],
    ['a listed version on STANDARD, auto-upgraded', 'STANDARD', false, 'EXTENDED_SUPPORT', 'EXPIRED', 0, '2025-11-26'],
  ])('%s', (_, supportType, newer, status, severity, usd, date) => {
    const lifecycle = lifecycleAt(entry, supportType, NOW, newer);
    expect(lifecycle.supportStatus).toBe(status);
    expect(lifecycle.severity).toBe(severity);
    expect(lifecycle.extendedSupportMonthlyUsd).toBe(usd);
    expect(lifecycle.deadline?.date ?? null).toBe(date);
  });

  it.each<[boolean, string, Severity]>([
    [true, 'STANDARD_SUPPORT', 'WARNING'],
    [false, 'UNSUPPORTED', 'EXPIRED'],
  ])('an unlisted version newer than the calendar = %s is %s, %s, with no deadline', (newer, status, severity) => {
    expect(lifecycleAt(undefined, 'EXTENDED', NOW, newer)).toEqual({
      supportStatus: status,
      deadline: null,
      severity,
      extendedSupportMonthlyUsd: 0,
    });
  });
});

describe('judgeClusters', () => {
  it('judges the good clusters and turns one it cannot parse into a CLUSTER_NOT_ASSESSED error naming it', () => {
    const out = judgeClusters([cluster('b', '1.35'), cluster('odd', '01.31'), cluster('a', '1.34')], CONTEXT);

    expect(out.judged.map(({ report }) => report.name)).toEqual(['a', 'b']);
    expect(out.errors).toEqual([
      {
        accountId: '111111111111',
        region: 'eu-west-1',
        code: CLUSTER_NOT_ASSESSED,
        message: expect.stringMatching(/^cluster odd: /) as unknown as string,
      },
    ]);
  });
});

describe('summarize', () => {
  it('counts every severity (zeros included), the errors and the extended-support dollars', () => {
    const summary = summarize(
      [
        { severity: 'CRITICAL', extendedSupportMonthlyUsd: 365 },
        { severity: 'CRITICAL', extendedSupportMonthlyUsd: 0 },
        { severity: 'OK', extendedSupportMonthlyUsd: 0 },
      ],
      2,
    );
    expect(summary).toEqual({
      clusters: 3,
      bySeverity: { EXPIRED: 0, CRITICAL: 2, WARNING: 0, NOTICE: 0, OK: 1 },
      errors: 2,
      extendedSupportMonthlyUsd: 365,
    });
  });
});

describe('runOutcome', () => {
  it.each([
    [0, 4, 'SUCCEEDED'],
    [1, 4, 'PARTIAL'],
    [4, 4, 'FAILED'],
    [1, 0, 'FAILED'],
    [0, 0, 'SUCCEEDED'],
  ] as const)('%i failed of %i scheduled is %s', (failed, scheduled, outcome) => {
    expect(runOutcome(failed, scheduled)).toBe(outcome);
  });
});

describe('lowestWaveFirst', () => {
  it('orders by wave, keeps report order within a wave, and cuts to the maximum', () => {
    const c = (name: string, wave: number): UpgradeCandidate => ({
      accountId: '1',
      region: 'r',
      name,
      arn: name,
      version: '1.33',
      target: null,
      nextVersion: '1.34',
      wave,
    });
    expect(lowestWaveFirst([c('a', 2), c('b', 0), c('c', 1), c('d', 0)], 3).map((x) => x.name)).toEqual([
      'b',
      'd',
      'c',
    ]);
  });
});

describe('stored wave members', () => {
  const optedIn = { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/wave': '1' };
  const judged = (c: ClusterState): ClusterReport => {
    const { judged: rows } = judgeClusters([c], CONTEXT);
    const row = rows[0];
    if (row === undefined) throw new Error('not judged');
    return row.report;
  };
  const stored = [
    { report: judged(cluster('kept', '1.34', { tags: optedIn })), versionSince: '2026-10-01T00:00:00.000Z' },
    { report: judged(cluster('gone', '1.34', { tags: optedIn })), deletedAt: '2026-11-01T00:00:00.000Z' },
    { report: judged(cluster('plain', '1.34')) },
    {
      report: judged(cluster('elsewhere', '1.33', { tags: optedIn, accountId: '222222222222' })),
      versionSince: null,
    },
  ];

  it('keeps the opted-in, not deleted records, with since when they run their version', () => {
    expect(storedWaveMembers(stored).map((m) => [m.name, m.versionSince])).toEqual([
      ['kept', '2026-10-01T00:00:00.000Z'],
      ['elsewhere', null],
    ]);
  });

  it("replaces the account-region's stored records by the fresh read, except clusters that could not be read", () => {
    const fresh = [cluster('new', '1.35', { tags: optedIn })];
    const all = (unread: string[]): string[] =>
      fleetWaveMembers(
        stored,
        { accountId: '111111111111', region: 'eu-west-1', unread: new Set(unread) },
        fresh,
        'fleet-auditor/',
      ).map((m) => m.name);
    expect(all([])).toEqual(['elsewhere', 'new']);
    expect(all(['kept'])).toEqual(['kept', 'elsewhere', 'new']);
  });
});

describe('reportFromStoredFleet', () => {
  const report = judgeClusters([cluster('old', '1.31', { supportType: 'EXTENDED' })], {
    ...CONTEXT,
    now: new Date('2026-06-01T00:00:00.000Z'),
  }).judged[0]?.report as ClusterReport;

  it('re-judges a stale cluster at tonight and keeps a fresh one as stored', () => {
    expect(reportTonight({ report, stale: true }, NOW).deadline?.daysRemaining).toBe(4);
    expect(reportTonight({ report, stale: false }, NOW)).toBe(report);
  });

  it('drops deleted clusters, re-judges stale ones and lists failed account-regions, one line per account', () => {
    const out = reportFromStoredFleet({
      clusters: [
        { report, stale: true, deletedAt: null },
        { report: { ...report, name: 'gone' }, stale: false, deletedAt: '2026-11-01T00:00:00.000Z' },
      ],
      outcomes: [
        { accountId: '2', region: 'eu-west-1', status: 'FAILED', errorCode: 'ACCESS_DENIED', errorMessage: 'no' },
        { accountId: '2', region: 'us-east-1', status: 'FAILED', errorCode: 'ACCESS_DENIED', errorMessage: 'no' },
        { accountId: '3', region: 'us-east-1', status: 'FAILED' },
        { accountId: '1', region: 'us-east-1', status: 'OK' },
      ],
      regions: ['eu-west-1', 'us-east-1'],
      now: NOW,
      generatedAt: NOW,
    });
    expect(out.clusters.map((c) => [c.name, c.deadline?.daysRemaining])).toEqual([['old', 4]]);
    expect(out.errors).toEqual([
      { accountId: '2', region: null, code: 'ACCESS_DENIED', message: 'no' },
      { accountId: '3', region: 'us-east-1', code: 'UNKNOWN', message: 'no detail recorded' },
    ]);
    expect(out.summary.errors).toBe(2);
  });

  it('lists an account with a region-less failure as the whole account', () => {
    expect(runErrors([{ accountId: '4', region: null, status: 'FAILED', errorCode: 'X' }], ['eu-west-1'])).toEqual([
      { accountId: '4', region: null, code: 'X', message: 'no detail recorded' },
    ]);
  });
});

describe('upgradeCandidates', () => {
  const NOW_DATE = new Date('2026-11-22T12:00:00Z');
  const base = ((): ClusterReport => {
    const row = judgeClusters([cluster('base', '1.34')], CONTEXT).judged[0];
    if (row === undefined) throw new Error('not judged');
    return row.report;
  })();
  const report = (
    name: string,
    upgrade: Partial<ClusterReport['upgrade']>,
    extra: Partial<ClusterReport> = {},
  ): ClusterReport => ({
    ...base,
    name,
    arn: `arn:aws:eks:eu-west-1:111111111111:cluster/${name}`,
    ...extra,
    upgrade: {
      ...base.upgrade,
      optedIn: true,
      eligible: true,
      path: ['1.35'],
      target: '1.35',
      blockers: [],
      wave: 0,
      rolloutGroup: 'default',
      ...upgrade,
    },
  });
  const waveNotReady = [{ code: 'WAVE_NOT_READY' as const, message: 'wave 1 waits for wave 0' }];

  it('starts an eligible wave-0 cluster and skips one that is not opted in', () => {
    const ready = { report: report('ready', {}), versionSince: null };
    const plain = { report: report('plain', { optedIn: false }), versionSince: null };
    const { candidates, held } = upgradeCandidates([ready, plain], [ready, plain], NOW_DATE, 7);
    expect(candidates.map((c) => [c.name, c.nextVersion, c.wave])).toEqual([['ready', '1.35', 0]]);
    expect(held).toEqual([]);
  });

  it('holds a later wave while a lower wave of its rollout group has not run the hop, naming the rule', () => {
    const lower = { report: report('lower', { wave: 0 }), versionSince: '2026-01-01T00:00:00.000Z' };
    const later = { report: report('later', { wave: 1 }), versionSince: null };
    const { candidates, held } = upgradeCandidates([lower, later], [later], NOW_DATE, 7);
    expect(candidates).toEqual([]);
    expect(held.map((h) => [h.name, h.code, h.rolloutGroup])).toEqual([['later', 'WAVE_NOT_READY', 'default']]);
  });

  it('lets another rollout group go: its lower wave does not hold this one', () => {
    const other = { report: report('other', { wave: 0, rolloutGroup: 'team-b' }), versionSince: null };
    const later = { report: report('later', { wave: 1 }), versionSince: null };
    const { candidates } = upgradeCandidates([other, later], [later], NOW_DATE, 7);
    expect(candidates.map((c) => c.name)).toEqual(['later']);
  });

  it('holds a cluster the audit judged against part of the fleet, even when the whole fleet now allows it', () => {
    const provisional = {
      report: report('partly-seen', { eligible: false, blockers: waveNotReady, wave: 1 }),
      versionSince: null,
    };
    const { candidates, held } = upgradeCandidates([provisional], [provisional], NOW_DATE, 7);
    expect(candidates).toEqual([]);
    expect(held[0]?.reason).toContain('judged against the part of the fleet audited before it');
  });

  it('holds waves above 0 while an account-region that held clusters could not be read', () => {
    const later = { report: report('later', { wave: 1 }), versionSince: null };
    const { candidates, held } = upgradeCandidates([later], [later], NOW_DATE, 7, [
      { accountId: '999999999999', region: 'eu-west-1' },
    ]);
    expect(candidates).toEqual([]);
    expect(held.map((h) => h.name)).toEqual(['later']);
  });
});

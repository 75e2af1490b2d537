import { describe, expect, it } from 'vitest';
import {
  buildAuditReport,
  compareClusters,
  waveMembers,
  type AuditInput,
  type InventoriedRegion,
} from '../../functions/core/audit-report.ts';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import type { LockLease } from '../../functions/core/lock-lease.ts';
import type { AuditError, ClusterReport } from '../../functions/core/report-types.ts';
import type { AddonCatalog, ClusterState, SupportType, Version } from '../../functions/core/types.ts';

// A Sunday. In the bundled calendar 1.36 is the newest version in standard support (until 2027-08-02).
const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

const CATALOG: AddonCatalog = {
  coredns: [
    { version: 'v1.11.4-eksbuild.2', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.35'] },
    { version: 'v1.12.1-eksbuild.1', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] },
  ],
};

const OPT_IN = { 'fleet-auditor/auto-upgrade': 'true' };

function cluster(
  accountId: string,
  region: string,
  name: string,
  version: Version,
  extra: Partial<ClusterState> = {},
): ClusterState {
  return {
    accountId,
    region,
    name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
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
    versionSince: daysAgo(60),
    ...extra,
  };
}

function region(...clusters: ClusterState[]): InventoriedRegion {
  return { clusters, calendar: BUNDLED_CALENDAR, catalog: CATALOG };
}

function audit(regions: InventoriedRegion[], extra: Partial<AuditInput> = {}): ReturnType<typeof buildAuditReport> {
  return buildAuditReport({ regions, errors: [], now: NOW, ...extra });
}

function byName(clusters: readonly ClusterReport[], name: string): ClusterReport {
  const found = clusters.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no cluster ${name} in the report`);
  return found;
}

function blockerCodes(clusters: readonly ClusterReport[], name: string): string[] {
  return byName(clusters, name).upgrade.blockers.map((b) => b.code);
}

describe('buildAuditReport', () => {
  describe('envelope', () => {
    it('is schema version 1 with now, generatedAt, summary, clusters and errors in the order of DESIGN §5.2', () => {
      const report = audit([]);
      expect(Object.keys(report)).toEqual([
        'schemaVersion',
        'generatedAt',
        'now',
        'summary',
        'clusters',
        'errors',
        'warnings',
      ]);
      expect(report.schemaVersion).toBe(1);
      expect(report.now).toBe('2026-11-22T12:00:00.000Z');
    });

    it('stamps generatedAt with now when no generation time is given', () => {
      expect(audit([]).generatedAt).toBe('2026-11-22T12:00:00.000Z');
    });

    it('stamps generatedAt with the given generation time, independent of now', () => {
      const report = audit([], { generatedAt: new Date('2026-11-23T01:02:03.004Z') });
      expect(report.generatedAt).toBe('2026-11-23T01:02:03.004Z');
      expect(report.now).toBe('2026-11-22T12:00:00.000Z');
    });

    it('is an empty report with a zeroed summary for an empty fleet', () => {
      expect(audit([]).summary).toStrictEqual({
        clusters: 0,
        bySeverity: { OK: 0, NOTICE: 0, WARNING: 0, CRITICAL: 0, EXPIRED: 0 },
        errors: 0,
        extendedSupportMonthlyUsd: 0,
      });
    });

    it('survives a JSON round trip unchanged (it is the --format json output)', () => {
      const report = audit([region(cluster('111111111111', 'eu-west-1', 'a', '1.31', { supportType: 'EXTENDED' }))]);
      expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report);
    });
  });

  describe('ordering', () => {
    it('sorts clusters by account id, then region, then name, whatever the inventory order', () => {
      const report = audit([
        region(
          cluster('222222222222', 'us-east-1', 'zeta', '1.36'),
          cluster('222222222222', 'us-east-1', 'alpha', '1.36'),
        ),
        region(cluster('111111111111', 'us-east-1', 'beta', '1.36')),
        region(cluster('222222222222', 'eu-west-1', 'omega', '1.36')),
        region(
          cluster('111111111111', 'ap-south-1', 'gamma', '1.36'),
          cluster('111111111111', 'us-east-1', 'alpha', '1.36'),
        ),
      ]);
      expect(report.clusters.map((c) => `${c.accountId}/${c.region}/${c.name}`)).toEqual([
        '111111111111/ap-south-1/gamma',
        '111111111111/us-east-1/alpha',
        '111111111111/us-east-1/beta',
        '222222222222/eu-west-1/omega',
        '222222222222/us-east-1/alpha',
        '222222222222/us-east-1/zeta',
      ]);
    });

    it('judges each cluster against the calendar of its own region', () => {
      const without135 = BUNDLED_CALENDAR.filter((entry) => entry.version !== '1.35');
      const report = audit([
        region(cluster('111111111111', 'eu-west-1', 'bundled', '1.35')),
        { clusters: [cluster('111111111111', 'us-east-1', 'stale', '1.35')], calendar: without135, catalog: CATALOG },
      ]);
      expect(byName(report.clusters, 'bundled').deadline?.date).toBe('2027-03-27');
      expect(byName(report.clusters, 'stale').deadline).toBeNull();
      expect(byName(report.clusters, 'stale').severity).toBe('EXPIRED');
    });

    it('judges each cluster against the add-on catalog of its own region', () => {
      const withCoredns = { addons: [{ name: 'coredns', version: 'v1.11.4-eksbuild.2', status: 'ACTIVE' }] };
      const report = audit([
        region(cluster('111111111111', 'eu-west-1', 'listed', '1.35', withCoredns)),
        {
          clusters: [cluster('111111111111', 'us-east-1', 'unlisted', '1.35', withCoredns)],
          calendar: BUNDLED_CALENDAR,
          catalog: {},
        },
      ]);
      expect(byName(report.clusters, 'listed').addons[0]?.compatibleWithNext).toBe(false);
      expect(byName(report.clusters, 'unlisted').addons[0]?.compatibleWithNext).toBe(true);
    });
  });

  describe('summary', () => {
    const severityFleet = (supportTypes: [Version, SupportType][]): InventoriedRegion =>
      region(
        ...supportTypes.map(([version, supportType], i) =>
          cluster('111111111111', 'eu-west-1', `c${i}`, version, { supportType }),
        ),
      );

    it.each<[string, [Version, SupportType][], Record<string, number>]>([
      [
        'one of each severity',
        [
          ['1.36', 'STANDARD'], // OK, 253 days
          ['1.35', 'EXTENDED'], // NOTICE, billing in 125 days
          ['1.33', 'EXTENDED'], // WARNING, billed
          ['1.34', 'STANDARD'], // CRITICAL, auto-upgrade in 10 days
          ['1.29', 'EXTENDED'], // EXPIRED, unsupported
        ],
        { OK: 1, NOTICE: 1, WARNING: 1, CRITICAL: 1, EXPIRED: 1 },
      ],
      [
        'only OK and EXPIRED clusters, with zeros for the other severities',
        [
          ['1.36', 'STANDARD'],
          ['1.36', 'EXTENDED'],
          ['1.22', 'EXTENDED'], // not in the calendar
        ],
        { OK: 2, NOTICE: 0, WARNING: 0, CRITICAL: 0, EXPIRED: 1 },
      ],
    ])('counts clusters by severity: %s', (_label, fleet, expected) => {
      const report = audit([severityFleet(fleet)]);
      expect(report.summary.bySeverity).toStrictEqual(expected);
      expect(Object.keys(report.summary.bySeverity)).toEqual(['OK', 'NOTICE', 'WARNING', 'CRITICAL', 'EXPIRED']);
      expect(report.summary.clusters).toBe(fleet.length);
    });

    it('counts a severity as often as the report rows carry it', () => {
      const report = audit([
        severityFleet([
          ['1.34', 'STANDARD'],
          ['1.31', 'EXTENDED'],
          ['1.36', 'STANDARD'],
        ]),
      ]);
      const tally = report.clusters.filter((c) => c.severity === 'CRITICAL').length;
      expect(report.summary.bySeverity.CRITICAL).toBe(tally);
      expect(tally).toBe(2);
    });

    it('totals the extended-support cost of the clusters billed for it', () => {
      const report = audit([
        severityFleet([
          ['1.33', 'EXTENDED'], // billed: 365
          ['1.31', 'EXTENDED'], // billed: 365
          ['1.31', 'STANDARD'], // awaiting AWS's automatic upgrade: not billed
          ['1.29', 'EXTENDED'], // past extended support: not billed
          ['1.36', 'EXTENDED'], // standard support: not billed
        ]),
      ]);
      expect(report.clusters.map((c) => c.extendedSupportMonthlyUsd)).toEqual([365, 365, 0, 0, 0]);
      expect(report.summary.extendedSupportMonthlyUsd).toBe(730);
    });
  });

  describe('errors', () => {
    const ERRORS: AuditError[] = [
      { accountId: '333333333333', region: null, code: 'ACCESS_DENIED', message: 'cannot assume fleet-auditor-read' },
      { accountId: '111111111111', region: 'ap-east-1', code: 'REGION_DISABLED', message: 'opt-in region not enabled' },
    ];

    it('passes the unreadable accounts and regions through, in the order given, and counts them', () => {
      const report = audit([region(cluster('111111111111', 'eu-west-1', 'a', '1.36'))], { errors: ERRORS });
      expect(report.errors).toStrictEqual(ERRORS);
      expect(report.summary.errors).toBe(2);
      expect(report.summary.clusters).toBe(1);
    });

    it('reports a cluster whose data the rules cannot judge as an error, and judges the others', () => {
      const report = audit([
        region(
          cluster('111111111111', 'eu-west-1', 'odd', '1.35.2'),
          cluster('111111111111', 'eu-west-1', 'ok', '1.36'),
        ),
      ]);
      expect(report.clusters.map((c) => c.name)).toEqual(['ok']);
      expect(report.errors).toEqual([
        {
          accountId: '111111111111',
          region: 'eu-west-1',
          code: 'CLUSTER_NOT_ASSESSED',
          message: expect.stringContaining('cluster odd: '),
        },
      ]);
      expect(report.summary.errors).toBe(1);
    });

    it('returns its own copy of the error list', () => {
      const errors = [...ERRORS];
      const report = audit([], { errors });
      errors.pop();
      expect(report.errors).toHaveLength(2);
    });
  });

  describe('waves', () => {
    const canary = (extra: Partial<ClusterState> = {}): ClusterState =>
      cluster('111111111111', 'eu-west-1', 'canary', '1.35', {
        tags: { ...OPT_IN, 'fleet-auditor/wave': '0' },
        ...extra,
      });
    const main = cluster('222222222222', 'us-east-1', 'main', '1.35', {
      tags: { ...OPT_IN, 'fleet-auditor/wave': '1' },
    });

    it('holds back a higher wave while an opted-in lower-wave cluster, in another account and region, lags', () => {
      const report = audit([region(main), region(canary())]);
      expect(blockerCodes(report.clusters, 'main')).toEqual(['WAVE_NOT_READY']);
      expect(byName(report.clusters, 'main').upgrade.blockers[0]?.message).toContain('canary (wave 0) runs 1.35');
      expect(byName(report.clusters, 'canary').upgrade.eligible).toBe(true);
    });

    it('does not let a cluster that did not opt in gate a wave', () => {
      const notOptedIn = canary({ tags: { 'fleet-auditor/auto-upgrade': 'false', 'fleet-auditor/wave': '0' } });
      const report = audit([region(main), region(notOptedIn)]);
      expect(byName(report.clusters, 'main').upgrade.eligible).toBe(true);
    });

    it('lets the higher wave go once the lower wave has run the hop version for the soak time', () => {
      const upgraded = canary({ version: '1.36', versionSince: daysAgo(10) });
      const report = audit([region(main, upgraded)]);
      expect(byName(report.clusters, 'main').upgrade.eligible).toBe(true);
    });

    it('uses the soak time it is given', () => {
      const upgraded = canary({ version: '1.36', versionSince: daysAgo(10) });
      const report = audit([region(main, upgraded)], { soakDays: 14 });
      expect(blockerCodes(report.clusters, 'main')).toEqual(['WAVE_NOT_READY']);
    });

    it('holds back a higher wave while an account could not be read: its lower waves cannot be confirmed', () => {
      const denied: AuditError = {
        accountId: '111111111112',
        region: null,
        code: 'MEMBER_ACCESS_DENIED',
        message: 'cannot assume fleet-auditor-read',
      };
      const report = audit([region(main)], { errors: [denied] });
      expect(byName(report.clusters, 'main').upgrade).toMatchObject({
        eligible: false,
        blockers: [
          {
            code: 'WAVE_NOT_READY',
            message:
              'wave 1 of rollout group default waits before the hop to 1.36: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 1 account unreadable (111111111112)',
          },
        ],
      });
    });

    it('names each unreadable account-region, and leaves wave 0 alone', () => {
      const errors: AuditError[] = [
        { accountId: '333333333333', region: 'us-east-1', code: 'THROTTLED', message: 'rate exceeded' },
        { accountId: '333333333333', region: 'eu-west-1', code: 'CLUSTER_NOT_READ', message: 'x: timed out' },
      ];
      const report = audit([region(main, canary())], { errors });
      expect(byName(report.clusters, 'main').upgrade.blockers[0]?.message).toContain(
        'lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): 2 account-regions unreadable (333333333333 eu-west-1, 333333333333 us-east-1)',
      );
      expect(byName(report.clusters, 'canary').upgrade.eligible).toBe(true);
    });

    it('reads opt-in and wave tags under the configured prefix', () => {
      const acmeCanary = canary({ tags: { 'acme/auto-upgrade': 'true', 'acme/wave': '0' } });
      const acmeMain = cluster('222222222222', 'us-east-1', 'main', '1.35', {
        tags: { 'acme/auto-upgrade': 'true', 'acme/wave': '1' },
      });
      const report = audit([region(acmeMain, acmeCanary)], { tagPrefix: 'acme/' });
      expect(byName(report.clusters, 'main').upgrade.optedIn).toBe(true);
      expect(blockerCodes(report.clusters, 'main')).toEqual(['WAVE_NOT_READY']);
    });
  });

  describe('locks', () => {
    const target = cluster('111111111111', 'eu-west-1', 'target', '1.35', { tags: OPT_IN });
    const other = cluster('111111111111', 'eu-west-1', 'other', '1.35', { tags: OPT_IN });
    const lease = (expiresAt: string): LockLease => ({
      holder: 'upgrade-target-1.36-2026-11-22',
      acquiredAt: '2026-11-22T11:00:00.000Z',
      expiresAt,
    });

    it('marks a cluster whose upgrade lock is held LOCKED, and only that cluster', () => {
      const locks = new Map([[target.arn, lease('2026-11-22T13:00:00.000Z')]]);
      const report = audit([region(target, other)], { locks });
      expect(blockerCodes(report.clusters, 'target')).toEqual(['LOCKED']);
      expect(byName(report.clusters, 'target').upgrade.blockers[0]?.message).toContain(
        'upgrade-target-1.36-2026-11-22',
      );
      expect(byName(report.clusters, 'target').upgrade.eligible).toBe(false);
      expect(byName(report.clusters, 'other').upgrade.eligible).toBe(true);
    });

    it('ignores an expired lease', () => {
      const locks = new Map([[target.arn, lease('2026-11-22T12:00:00.000Z')]]);
      const report = audit([region(target)], { locks });
      expect(byName(report.clusters, 'target').upgrade.eligible).toBe(true);
    });

    it('matches locks by cluster ARN, not by name', () => {
      const sameNameElsewhere = cluster('999999999999', 'us-west-2', 'target', '1.35', { tags: OPT_IN });
      const locks = new Map([[sameNameElsewhere.arn, lease('2026-11-22T13:00:00.000Z')]]);
      const report = audit([region(target)], { locks });
      expect(report.clusters[0]?.upgrade.blockers).toEqual([]);
    });
  });
});

describe('waveMembers', () => {
  it('lists the opted-in clusters with their wave, version and time on that version', () => {
    const members = waveMembers([
      cluster('111111111111', 'eu-west-1', 'canary', '1.36', { tags: OPT_IN, versionSince: daysAgo(3) }),
      cluster('111111111111', 'eu-west-1', 'late', '1.35', { tags: { ...OPT_IN, 'fleet-auditor/wave': '2' } }),
      cluster('111111111111', 'eu-west-1', 'manual', '1.35', { tags: { 'fleet-auditor/wave': '1' } }),
      cluster('111111111111', 'eu-west-1', 'bad-tag', '1.35', { tags: { 'fleet-auditor/auto-upgrade': 'yes' } }),
    ]);
    expect(members).toStrictEqual([
      {
        arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/canary',
        name: 'canary',
        wave: 0,
        version: '1.36',
        versionSince: daysAgo(3),
        rolloutGroup: 'default',
      },
      {
        arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/late',
        name: 'late',
        wave: 2,
        version: '1.35',
        versionSince: daysAgo(60),
        rolloutGroup: 'default',
      },
    ]);
  });

  it('reads the tags under the prefix it is given', () => {
    const acme = cluster('111111111111', 'eu-west-1', 'acme', '1.35', { tags: { 'acme/auto-upgrade': 'true' } });
    expect(waveMembers([acme])).toEqual([]);
    expect(waveMembers([acme], 'acme/').map((m) => m.name)).toEqual(['acme']);
  });
});

describe('compareClusters', () => {
  const key = (
    accountId: string,
    region: string,
    name: string,
  ): Pick<ClusterReport, 'accountId' | 'region' | 'name'> => ({
    accountId,
    region,
    name,
  });

  it.each([
    ['an earlier account first', key('1', 'z', 'z'), key('2', 'a', 'a'), -1],
    ['an earlier region first within an account', key('1', 'eu-west-1', 'z'), key('1', 'us-east-1', 'a'), -1],
    ['an earlier name first within a region', key('1', 'eu-west-1', 'a'), key('1', 'eu-west-1', 'b'), -1],
    ['equal keys as equal', key('1', 'eu-west-1', 'a'), key('1', 'eu-west-1', 'a'), 0],
    ['a later name last', key('1', 'eu-west-1', 'b'), key('1', 'eu-west-1', 'a'), 1],
  ])('orders %s', (_label, a, b, sign) => {
    expect(Math.sign(compareClusters(a, b))).toBe(sign);
  });
});

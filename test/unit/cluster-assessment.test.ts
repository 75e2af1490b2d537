import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { InvalidVersionError } from '../../functions/core/errors.ts';
import { assessCluster, type AssessmentContext } from '../../functions/core/cluster-assessment.ts';
import type { LockLease } from '../../functions/core/lock-lease.ts';
import type {
  AddonCatalog,
  AddonState,
  ClusterState,
  NodegroupState,
  SupportType,
  Version,
} from '../../functions/core/types.ts';
import { decideUpgrade } from '../../functions/core/upgrade-decision.ts';

// A Sunday. In the bundled calendar: 1.36 is the newest version in standard support; 1.31 leaves extended support
// on 2026-11-26 (4 days); 1.29 left extended support on 2026-03-23.
const NOW = new Date('2026-11-22T12:00:00.000Z');

const CATALOG: AddonCatalog = {
  'vpc-cni': [
    { version: 'v1.19.0-eksbuild.1', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.34', '1.35'] },
    { version: 'v1.20.0-eksbuild.1', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] },
  ],
  coredns: [
    { version: 'v1.11.4-eksbuild.2', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.35'] },
    { version: 'v1.12.1-eksbuild.1', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] },
  ],
  'aws-ebs-csi-driver': [{ version: 'v1.30.0-eksbuild.1', compatibleWith: ['1.33'], defaultFor: ['1.33'] }],
};

function nodegroup(name: string, version: Version, extra: Partial<NodegroupState> = {}): NodegroupState {
  return {
    name,
    version,
    releaseVersion: `${version}.0-20261101`,
    status: 'ACTIVE',
    amiType: 'AL2023_x86_64_STANDARD',
    customAmi: false,
    ...extra,
  };
}

function addon(name: string, version: string): AddonState {
  return { name, version, status: 'ACTIVE' };
}

function cluster(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    accountId: '111122223333',
    region: 'eu-west-1',
    name: 'payments',
    arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
    version: '1.35',
    platformVersion: 'eks.4',
    status: 'ACTIVE',
    supportType: 'STANDARD',
    tags: {},
    autoMode: false,
    nodegroups: [nodegroup('default', '1.35')],
    addons: [],
    fargateProfiles: [],
    insights: [],
    updateInProgress: false,
    versionSince: '2026-06-01T00:00:00.000Z',
    ...overrides,
  };
}

function context(overrides: Partial<AssessmentContext> = {}): AssessmentContext {
  return { calendar: BUNDLED_CALENDAR, catalog: CATALOG, now: NOW, fleet: [], ...overrides };
}

describe('assessCluster', () => {
  it('copies the identity and observed state of the cluster into the report row', () => {
    const row = assessCluster(cluster(), context());
    expect(row).toMatchObject({
      accountId: '111122223333',
      region: 'eu-west-1',
      name: 'payments',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
      version: '1.35',
      platformVersion: 'eks.4',
      status: 'ACTIVE',
      supportType: 'STANDARD',
    });
  });

  it('lists the report fields in the order of DESIGN §5.2', () => {
    expect(Object.keys(assessCluster(cluster(), context()))).toEqual([
      'accountId',
      'accountName',
      'region',
      'name',
      'owner',
      'arn',
      'version',
      'platformVersion',
      'status',
      'supportType',
      'supportStatus',
      'endOfStandardSupport',
      'endOfExtendedSupport',
      'deadline',
      'severity',
      'extendedSupportMonthlyUsd',
      'nodegroups',
      'addons',
      'findings',
      'upgrade',
      'strategy',
      'partial',
    ]);
  });

  describe('support status, deadline, severity and cost', () => {
    it.each<
      [
        string,
        Version,
        SupportType,
        {
          supportStatus: string;
          endOfStandardSupport: string;
          endOfExtendedSupport: string;
          deadline: { date: string; consequence: string; daysRemaining: number; severity: string };
          severity: string;
          extendedSupportMonthlyUsd: number;
        },
      ]
    >([
      [
        'a current version far from its deadline is OK',
        '1.36',
        'STANDARD',
        {
          supportStatus: 'STANDARD_SUPPORT',
          endOfStandardSupport: '2027-08-02',
          endOfExtendedSupport: '2028-08-02',
          deadline: { date: '2027-08-02', consequence: 'AUTO_UPGRADE', daysRemaining: 253, severity: 'OK' },
          severity: 'OK',
          extendedSupportMonthlyUsd: 0,
        },
      ],
      [
        'an EXTENDED cluster 125 days before billing starts is a NOTICE',
        '1.35',
        'EXTENDED',
        {
          supportStatus: 'STANDARD_SUPPORT',
          endOfStandardSupport: '2027-03-27',
          endOfExtendedSupport: '2028-03-27',
          deadline: { date: '2027-03-27', consequence: 'EXTENDED_BILLING', daysRemaining: 125, severity: 'NOTICE' },
          severity: 'NOTICE',
          extendedSupportMonthlyUsd: 0,
        },
      ],
      [
        'a STANDARD cluster 10 days before its automatic upgrade is CRITICAL',
        '1.34',
        'STANDARD',
        {
          supportStatus: 'STANDARD_SUPPORT',
          endOfStandardSupport: '2026-12-02',
          endOfExtendedSupport: '2027-12-02',
          deadline: { date: '2026-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: 10, severity: 'CRITICAL' },
          severity: 'CRITICAL',
          extendedSupportMonthlyUsd: 0,
        },
      ],
      [
        'a cluster billed for extended support is at least a WARNING and costs $365 a month',
        '1.33',
        'EXTENDED',
        {
          supportStatus: 'EXTENDED_SUPPORT',
          endOfStandardSupport: '2026-07-29',
          endOfExtendedSupport: '2027-07-29',
          deadline: { date: '2027-07-29', consequence: 'AUTO_UPGRADE', daysRemaining: 249, severity: 'WARNING' },
          severity: 'WARNING',
          extendedSupportMonthlyUsd: 365,
        },
      ],
      [
        'a billed cluster 4 days before end of extended support is CRITICAL',
        '1.31',
        'EXTENDED',
        {
          supportStatus: 'EXTENDED_SUPPORT',
          endOfStandardSupport: '2025-11-26',
          endOfExtendedSupport: '2026-11-26',
          deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4, severity: 'CRITICAL' },
          severity: 'CRITICAL',
          extendedSupportMonthlyUsd: 365,
        },
      ],
      [
        'a STANDARD cluster past end of standard support awaits the automatic upgrade: EXPIRED, not billed',
        '1.33',
        'STANDARD',
        {
          supportStatus: 'EXTENDED_SUPPORT',
          endOfStandardSupport: '2026-07-29',
          endOfExtendedSupport: '2027-07-29',
          deadline: { date: '2026-07-29', consequence: 'AUTO_UPGRADE', daysRemaining: -116, severity: 'EXPIRED' },
          severity: 'EXPIRED',
          extendedSupportMonthlyUsd: 0,
        },
      ],
      [
        'a version past end of extended support is UNSUPPORTED and EXPIRED',
        '1.29',
        'EXTENDED',
        {
          supportStatus: 'UNSUPPORTED',
          endOfStandardSupport: '2025-03-23',
          endOfExtendedSupport: '2026-03-23',
          deadline: { date: '2026-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: -244, severity: 'EXPIRED' },
          severity: 'EXPIRED',
          extendedSupportMonthlyUsd: 0,
        },
      ],
    ])('%s', (_label, version, supportType, expected) => {
      const row = assessCluster(cluster({ version, supportType, nodegroups: [] }), context());
      expect({
        supportStatus: row.supportStatus,
        endOfStandardSupport: row.endOfStandardSupport,
        endOfExtendedSupport: row.endOfExtendedSupport,
        deadline: row.deadline,
        severity: row.severity,
        extendedSupportMonthlyUsd: row.extendedSupportMonthlyUsd,
      }).toStrictEqual(expected);
    });
  });

  describe('for a version missing from the calendar', () => {
    it('older than every calendar row: no dates, no deadline, EXPIRED, UNSUPPORTED', () => {
      const row = assessCluster(cluster({ version: '1.22', supportType: 'EXTENDED', nodegroups: [] }), context());
      expect(row.supportStatus).toBe('UNSUPPORTED');
      expect(row.endOfStandardSupport).toBeNull();
      expect(row.endOfExtendedSupport).toBeNull();
      expect(row.deadline).toBeNull();
      expect(row.severity).toBe('EXPIRED');
      expect(row.extendedSupportMonthlyUsd).toBe(0);
      expect(row.findings.filter((f) => f.code === 'VERSION_UNSUPPORTED').map((f) => f.severity)).toEqual(['EXPIRED']);
    });

    it('newer than every calendar row (a stale calendar): standard support, no deadline, WARNING', () => {
      const row = assessCluster(cluster({ version: '1.40', supportType: 'EXTENDED', nodegroups: [] }), context());
      expect(row.supportStatus).toBe('STANDARD_SUPPORT');
      expect(row.deadline).toBeNull();
      expect(row.severity).toBe('WARNING');
      expect(row.extendedSupportMonthlyUsd).toBe(0);
      expect(row.findings.filter((f) => f.code === 'VERSION_UNSUPPORTED').map((f) => f.severity)).toEqual(['WARNING']);
    });

    it('throws InvalidVersionError for a malformed version (the report turns it into an audit error)', () => {
      expect(() => assessCluster(cluster({ version: 'v1.x', nodegroups: [] }), context())).toThrow(InvalidVersionError);
    });

    it('judges the version against the calendar it is given, not the bundled one', () => {
      const calendar = BUNDLED_CALENDAR.filter((entry) => entry.version !== '1.35');
      const row = assessCluster(cluster(), context({ calendar }));
      expect(row.deadline).toBeNull();
      expect(row.severity).toBe('EXPIRED');
    });
  });

  describe('node groups', () => {
    it('reports each node group with its skew to the control plane, in inventory order', () => {
      const row = assessCluster(
        cluster({
          version: '1.35',
          nodegroups: [
            nodegroup('same', '1.35'),
            nodegroup('two-behind', '1.33', { releaseVersion: null, status: 'DEGRADED' }),
            nodegroup('four-behind', '1.31'),
            nodegroup('ahead', '1.36'),
          ],
        }),
        context(),
      );
      expect(row.nodegroups).toStrictEqual([
        { name: 'same', version: '1.35', releaseVersion: '1.35.0-20261101', status: 'ACTIVE', skew: 0 },
        { name: 'two-behind', version: '1.33', releaseVersion: null, status: 'DEGRADED', skew: 2 },
        { name: 'four-behind', version: '1.31', releaseVersion: '1.31.0-20261101', status: 'ACTIVE', skew: 4 },
        { name: 'ahead', version: '1.36', releaseVersion: '1.36.0-20261101', status: 'ACTIVE', skew: -1 },
      ]);
    });

    it('has no node-group rows for a cluster without node groups (Auto Mode or Fargate only)', () => {
      const row = assessCluster(cluster({ autoMode: true, nodegroups: [], fargateProfiles: ['fp'] }), context());
      expect(row.nodegroups).toEqual([]);
    });

    it('reports a node group whose version cannot be compared as a finding with skew null, instead of throwing', () => {
      const odd = cluster({ nodegroups: [nodegroup('odd', '')] });

      const row = assessCluster(odd, context());

      expect(row.nodegroups.map((ng) => ng.skew)).toEqual([null]);
      expect(row.findings.map((f) => f.code)).toContain('NODEGROUP_SKEW_UNSUPPORTED');
    });
  });

  describe('add-ons', () => {
    it('judges every installed add-on against this version and the next minor', () => {
      const row = assessCluster(
        cluster({
          addons: [
            addon('vpc-cni', 'v1.20.0-eksbuild.1'),
            addon('coredns', 'v1.11.4-eksbuild.2'),
            addon('aws-ebs-csi-driver', 'v1.30.0-eksbuild.1'),
            addon('self-managed-thing', 'v0.1.0'),
          ],
        }),
        context(),
      );
      expect(row.addons).toStrictEqual([
        {
          name: 'vpc-cni',
          version: 'v1.20.0-eksbuild.1',
          compatible: true,
          compatibleWithNext: true,
          recommendedForNext: 'v1.20.0-eksbuild.1',
        },
        {
          name: 'coredns',
          version: 'v1.11.4-eksbuild.2',
          compatible: true,
          compatibleWithNext: false,
          recommendedForNext: 'v1.12.1-eksbuild.1',
        },
        {
          name: 'aws-ebs-csi-driver',
          version: 'v1.30.0-eksbuild.1',
          compatible: false,
          compatibleWithNext: false,
          recommendedForNext: null,
        },
        {
          name: 'self-managed-thing',
          version: 'v0.1.0',
          compatible: true,
          compatibleWithNext: true,
          recommendedForNext: null,
        },
      ]);
      const addonFindings = row.findings.filter((f) => f.code.startsWith('ADDON_'));
      expect(addonFindings.map((f) => f.code)).toEqual(['ADDON_UPDATE_REQUIRED', 'ADDON_INCOMPATIBLE']);
    });

    it('judges add-ons against the catalog it is given', () => {
      const row = assessCluster(
        cluster({ addons: [addon('coredns', 'v1.11.4-eksbuild.2')] }),
        context({ catalog: {} }),
      );
      expect(row.addons).toStrictEqual([
        {
          name: 'coredns',
          version: 'v1.11.4-eksbuild.2',
          compatible: true,
          compatibleWithNext: true,
          recommendedForNext: null,
        },
      ]);
    });
  });

  describe('findings', () => {
    it('has none for a healthy current cluster far from its deadline', () => {
      expect(assessCluster(cluster({ version: '1.36', nodegroups: [] }), context()).findings).toEqual([]);
    });

    it('lists lifecycle findings first, then the opt-in tag findings, then the strategy finding', () => {
      const row = assessCluster(
        cluster({
          version: '1.31',
          supportType: 'EXTENDED',
          status: 'UPDATING',
          nodegroups: [nodegroup('old', '1.30')],
          insights: [
            {
              id: 'i-1',
              name: 'Deprecated APIs',
              status: 'WARNING',
              kubernetesVersion: '1.33',
              reason: 'uses v1beta1',
            },
          ],
          tags: { 'fleet-auditor/auto-upgrade': 'yes', 'fleet-auditor/wave': 'first' },
        }),
        context(),
      );
      expect(row.findings.map((f) => [f.code, f.severity])).toEqual([
        ['CLUSTER_NOT_ACTIVE', 'NOTICE'],
        ['EXTENDED_SUPPORT_BILLING', 'WARNING'],
        ['DEADLINE_APPROACHING', 'CRITICAL'],
        ['NODEGROUP_BEHIND_CONTROL_PLANE', 'WARNING'],
        ['INSIGHT_WARNING', 'NOTICE'],
        ['INVALID_OPT_IN_TAG', 'WARNING'],
        ['INVALID_OPT_IN_TAG', 'WARNING'],
        ['BLUE_GREEN_RECOMMENDED', 'NOTICE'],
      ]);
      const tagMessages = row.findings.filter((f) => f.code === 'INVALID_OPT_IN_TAG').map((f) => f.message);
      expect(tagMessages[0]).toContain('fleet-auditor/auto-upgrade="yes"');
      expect(tagMessages[1]).toContain('fleet-auditor/wave="first"');
    });

    it('reads opt-in tags under the configured prefix only', () => {
      const tags = { 'acme/wave': 'first', 'fleet-auditor/wave': 'also-bad' };
      const row = assessCluster(cluster({ version: '1.36', nodegroups: [], tags }), context({ tagPrefix: 'acme/' }));
      expect(row.findings).toHaveLength(1);
      expect(row.findings[0]?.code).toBe('INVALID_OPT_IN_TAG');
      expect(row.findings[0]?.message).toContain('acme/wave="first"');
    });
  });

  describe('upgrade plan', () => {
    const optedIn = cluster({
      tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/wave': '2' },
      nodegroups: [{ ...nodegroup('default', '1.35'), tags: { 'fleet-auditor/auto-upgrade': 'true' } }],
    });

    it('is the upgrade decision for the same cluster and context', () => {
      const ctx = context();
      expect(assessCluster(optedIn, ctx).upgrade).toStrictEqual(decideUpgrade(optedIn, ctx));
    });

    it('plans an opted-in 1.35 cluster to the newest standard version, 1.36', () => {
      expect(assessCluster(optedIn, context()).upgrade).toStrictEqual({
        optedIn: true,
        target: '1.36',
        path: ['1.36'],
        eligible: true,
        blockers: [],
        nextWindowStart: null,
        wave: 2,
        rolloutGroup: 'default',
      });
    });

    it('shows why a cluster that did not opt in will not be upgraded', () => {
      const upgrade = assessCluster(cluster(), context()).upgrade;
      expect(upgrade.optedIn).toBe(false);
      expect(upgrade.eligible).toBe(false);
      expect(upgrade.blockers.map((b) => b.code)).toEqual(['NOT_OPTED_IN']);
    });

    it('honours the lock, the fleet and the soak time of the context', () => {
      const lock: LockLease = {
        holder: 'execution-1',
        acquiredAt: '2026-11-22T11:00:00.000Z',
        expiresAt: '2026-11-22T13:00:00.000Z',
      };
      const fleet = [
        {
          arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/canary',
          name: 'canary',
          wave: 0,
          version: '1.36',
          versionSince: '2026-11-19T12:00:00.000Z',
        },
      ];
      const blocked = assessCluster(optedIn, context({ lock, fleet, soakDays: 7 })).upgrade;
      expect(blocked.blockers.map((b) => b.code)).toEqual(['WAVE_NOT_READY', 'LOCKED']);
      const soaked = assessCluster(optedIn, context({ fleet, soakDays: 3 })).upgrade;
      expect(soaked.eligible).toBe(true);
    });
  });
});

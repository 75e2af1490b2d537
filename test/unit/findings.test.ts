import { describe, it, expect } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { assessLifecycle, lifecycleFindings } from '../../functions/core/findings.ts';
import type { ClusterFacts } from '../../functions/core/findings.ts';
import type {
  AddonCatalog,
  AddonState,
  ClusterState,
  Finding,
  FindingCode,
  InsightState,
  NodegroupState,
} from '../../functions/core/types.ts';

const CATALOG: AddonCatalog = {
  'vpc-cni': [
    { version: 'v1.19.2-eksbuild.1', compatibleWith: ['1.30', '1.31', '1.32'], defaultFor: ['1.31'] },
    {
      version: 'v1.20.4-eksbuild.2',
      compatibleWith: ['1.31', '1.32', '1.33', '1.34', '1.35', '1.36'],
      defaultFor: ['1.32'],
    },
  ],
  coredns: [
    { version: 'v1.11.3-eksbuild.1', compatibleWith: ['1.30', '1.31'], defaultFor: ['1.31'] },
    { version: 'v1.11.4-eksbuild.2', compatibleWith: ['1.31', '1.32'], defaultFor: ['1.32'] },
  ],
  'kube-proxy': [{ version: 'v1.31.2-eksbuild.3', compatibleWith: ['1.31'], defaultFor: ['1.31'] }],
};

function nodegroup(name: string, version: string, customAmi = false): NodegroupState {
  return {
    name,
    version,
    releaseVersion: null,
    status: 'ACTIVE',
    amiType: customAmi ? 'CUSTOM' : 'AL2023_x86_64_STANDARD',
    customAmi,
  };
}

function addon(name: string, version: string): AddonState {
  return { name, version, status: 'ACTIVE' };
}

function insight(
  name: string,
  status: InsightState['status'],
  kubernetesVersion: string | null,
  reason: string | null,
): InsightState {
  return { id: name.toLowerCase().replace(/\W+/g, '-'), name, status, kubernetesVersion, reason };
}

function cluster(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    accountId: '123456789012',
    region: 'eu-west-1',
    name: 'payments',
    arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/payments',
    version: '1.31',
    platformVersion: 'eks.12',
    status: 'ACTIVE',
    supportType: 'EXTENDED',
    tags: {},
    autoMode: false,
    nodegroups: [nodegroup('workers', '1.31')],
    addons: [addon('vpc-cni', 'v1.20.4-eksbuild.2')],
    fargateProfiles: [],
    insights: [],
    updateInProgress: false,
    versionSince: null,
    ...overrides,
  };
}

function facts(instant: string): ClusterFacts {
  return { calendar: BUNDLED_CALENDAR, catalog: CATALOG, now: new Date(instant) };
}

function codes(findings: readonly Finding[]): FindingCode[] {
  return findings.map((f) => f.code);
}

function only(findings: readonly Finding[], code: FindingCode): Finding {
  const matching = findings.filter((f) => f.code === code);
  expect(matching).toHaveLength(1);
  return matching[0] as Finding;
}

// 1.31 is comfortably in standard support here: more than 180 days before 2025-11-26.
const QUIET = '2025-04-01T12:00:00Z';

describe('assessLifecycle', () => {
  it('judges 1.31 EXTENDED on 2026-11-22: deadline 2026-11-26 AUTO_UPGRADE in 4 days, CRITICAL, $365', () => {
    expect(assessLifecycle(cluster(), facts('2026-11-22T12:00:00Z'))).toEqual({
      entry: BUNDLED_CALENDAR.find((e) => e.version === '1.31'),
      supportStatus: 'EXTENDED_SUPPORT',
      deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 },
      billedExtended: true,
      severity: 'CRITICAL',
      extendedSupportMonthlyUsd: 365,
    });
  });

  it('judges 1.31 STANDARD past end of standard support as EXPIRED and not billed', () => {
    expect(assessLifecycle(cluster({ supportType: 'STANDARD' }), facts('2026-01-10T00:00:00Z'))).toMatchObject({
      deadline: { date: '2025-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: -45 },
      billedExtended: false,
      severity: 'EXPIRED',
      extendedSupportMonthlyUsd: 0,
    });
  });

  it('is null for a version missing from the calendar', () => {
    expect(assessLifecycle(cluster({ version: '1.22' }), facts(QUIET))).toBeNull();
  });
});

describe('lifecycleFindings', () => {
  it('finds nothing for a healthy cluster far from its deadline', () => {
    expect(lifecycleFindings(cluster(), facts(QUIET))).toEqual([]);
  });

  describe('deadlines and support', () => {
    it.each<[string, ClusterState['supportType'], string, FindingCode[]]>([
      ['181 days before end of standard support', 'EXTENDED', '2025-05-29T00:00:00Z', []],
      ['180 days before end of standard support', 'EXTENDED', '2025-05-30T00:00:00Z', ['DEADLINE_APPROACHING']],
      ['the day before end of standard support', 'EXTENDED', '2025-11-25T12:00:00Z', ['DEADLINE_APPROACHING']],
      [
        'on end of standard support (EXTENDED policy)',
        'EXTENDED',
        '2025-11-26T00:00:00Z',
        ['EXTENDED_SUPPORT_BILLING'],
      ],
      ['on end of standard support (STANDARD policy)', 'STANDARD', '2025-11-26T00:00:00Z', ['AUTO_UPGRADE_SCHEDULED']],
      [
        'the day after end of standard support (STANDARD policy)',
        'STANDARD',
        '2025-11-27T00:00:00Z',
        ['AUTO_UPGRADE_SCHEDULED'],
      ],
      [
        '4 days before end of extended support',
        'EXTENDED',
        '2026-11-22T12:00:00Z',
        ['EXTENDED_SUPPORT_BILLING', 'DEADLINE_APPROACHING'],
      ],
      [
        'on end of extended support',
        'EXTENDED',
        '2026-11-26T00:00:00Z',
        ['VERSION_UNSUPPORTED', 'AUTO_UPGRADE_SCHEDULED'],
      ],
      [
        'after end of extended support (STANDARD policy)',
        'STANDARD',
        '2027-01-01T00:00:00Z',
        ['VERSION_UNSUPPORTED', 'AUTO_UPGRADE_SCHEDULED'],
      ],
    ])('for 1.31 %s (%s) finds %j', (_label, supportType, instant, expected) => {
      expect(codes(lifecycleFindings(cluster({ supportType }), facts(instant)))).toEqual(expected);
    });

    it('warns of extended-support billing with the monthly cost', () => {
      const finding = only(lifecycleFindings(cluster(), facts('2026-11-22T12:00:00Z')), 'EXTENDED_SUPPORT_BILLING');
      expect(finding).toEqual({
        code: 'EXTENDED_SUPPORT_BILLING',
        severity: 'WARNING',
        message:
          'Kubernetes 1.31 left standard support on 2025-11-26: the cluster is billed for extended support, $365/month more than standard support ($0.50 per cluster-hour extra) until it is upgraded to 1.32 or extended support ends on 2026-11-26.',
      });
    });

    it('says when, what happens and how many days remain before an automatic upgrade', () => {
      const finding = only(lifecycleFindings(cluster(), facts('2026-11-22T12:00:00Z')), 'DEADLINE_APPROACHING');
      expect(finding).toEqual({
        code: 'DEADLINE_APPROACHING',
        severity: 'CRITICAL',
        message:
          'Kubernetes 1.31 reaches end of extended support on 2026-11-26, in 4 days: AWS will then upgrade the control plane to 1.32 automatically, without notice.',
      });
    });

    it('says extended-support billing starts at the end of standard support', () => {
      const finding = only(lifecycleFindings(cluster(), facts('2025-11-25T12:00:00Z')), 'DEADLINE_APPROACHING');
      expect(finding).toEqual({
        code: 'DEADLINE_APPROACHING',
        severity: 'CRITICAL',
        message:
          'Kubernetes 1.31 reaches end of standard support on 2025-11-26, in 1 day: from then on the cluster is billed for extended support ($365/month extra) until it is upgraded.',
      });
    });

    it.each([
      ['2025-05-30T00:00:00Z', 'NOTICE', 180],
      ['2025-08-28T00:00:00Z', 'WARNING', 90],
      ['2025-10-27T00:00:00Z', 'CRITICAL', 30],
    ])('rates an approaching deadline at %s as %s (%i days)', (instant, severity, days) => {
      const finding = only(
        lifecycleFindings(cluster({ supportType: 'STANDARD' }), facts(instant)),
        'DEADLINE_APPROACHING',
      );
      expect(finding.severity).toBe(severity);
      expect(finding.message).toContain(`end of standard support on 2025-11-26, in ${days} days`);
    });

    it('announces the automatic upgrade of a STANDARD-policy cluster past end of standard support', () => {
      const findings = lifecycleFindings(cluster({ supportType: 'STANDARD' }), facts('2025-12-01T00:00:00Z'));
      expect(findings).toEqual([
        {
          code: 'AUTO_UPGRADE_SCHEDULED',
          severity: 'EXPIRED',
          message:
            'End of standard support for Kubernetes 1.31 was 2025-11-26 (5 days ago) and the upgrade policy is STANDARD: AWS will upgrade the control plane to 1.32 at any time, without notice. Upgrade it yourself now to choose the moment; AWS does not upgrade node groups or add-ons.',
        },
      ]);
    });

    it('reports an unsupported version and an automatic upgrade due today', () => {
      const findings = lifecycleFindings(cluster(), facts('2026-11-26T08:00:00Z'));
      expect(only(findings, 'VERSION_UNSUPPORTED')).toEqual({
        code: 'VERSION_UNSUPPORTED',
        severity: 'EXPIRED',
        message:
          'Kubernetes 1.31 reached end of extended support on 2026-11-26 and is no longer supported by EKS: upgrade to 1.32 now.',
      });
      expect(only(findings, 'AUTO_UPGRADE_SCHEDULED').message).toContain(
        'End of extended support for Kubernetes 1.31 was 2026-11-26 (today): AWS will upgrade',
      );
    });

    it('reports a version older than the calendar as unsupported, saying it is not in the calendar', () => {
      expect(lifecycleFindings(cluster({ version: '1.22', nodegroups: [], addons: [] }), facts(QUIET))).toEqual([
        {
          code: 'VERSION_UNSUPPORTED',
          severity: 'EXPIRED',
          message:
            'Kubernetes 1.22 is not in the EKS support calendar (which lists 1.23 to 1.36): treat it as unsupported; AWS may upgrade the control plane at any time.',
        },
      ]);
    });

    it('reports a version newer than the calendar as a stale calendar (WARNING)', () => {
      const finding = only(
        lifecycleFindings(cluster({ version: '1.37', nodegroups: [], addons: [] }), facts(QUIET)),
        'VERSION_UNSUPPORTED',
      );
      expect(finding.severity).toBe('WARNING');
      expect(finding.message).toBe(
        "Kubernetes 1.37 is not in the EKS support calendar, whose newest version is 1.36: the calendar is probably out of date, so this cluster's support dates are unknown.",
      );
    });

    it('reports any version as not in an empty calendar', () => {
      const finding = only(
        lifecycleFindings(cluster({ nodegroups: [], addons: [] }), { ...facts(QUIET), calendar: [] }),
        'VERSION_UNSUPPORTED',
      );
      expect(finding.message).toContain('is not in the EKS support calendar (which is empty)');
    });

    it('reports a malformed cluster version without judging node groups or add-ons', () => {
      const findings = lifecycleFindings(
        cluster({ version: '1.31.2', nodegroups: [nodegroup('workers', '1.31', true)] }),
        facts(QUIET),
      );
      expect(codes(findings)).toEqual(['VERSION_UNSUPPORTED', 'CUSTOM_AMI_NODEGROUP']);
      expect(findings[0]?.message).toBe(
        'Cluster version "1.31.2" is not a Kubernetes MAJOR.MINOR version, so its support cannot be judged.',
      );
    });
  });

  describe('node groups', () => {
    it.each<[string, string, FindingCode[], string | null]>([
      ['1.31', '1.31', [], null],
      ['1.31', '1.30', ['NODEGROUP_BEHIND_CONTROL_PLANE'], 'WARNING'],
      ['1.28', '1.25', ['NODEGROUP_BEHIND_CONTROL_PLANE'], 'WARNING'],
      ['1.27', '1.24', ['NODEGROUP_SKEW_UNSUPPORTED'], 'CRITICAL'],
      ['1.30', '1.31', ['NODEGROUP_SKEW_UNSUPPORTED'], 'CRITICAL'],
      ['1.31', '1.3x', ['NODEGROUP_SKEW_UNSUPPORTED'], 'CRITICAL'],
    ])('under a %s control plane, a %s node group gives %j', (cp, ng, expected, severity) => {
      const findings = lifecycleFindings(
        cluster({ version: cp, nodegroups: [nodegroup('workers', ng)], addons: [] }),
        facts('2023-06-01T00:00:00Z'),
      ).filter((f) => f.code.startsWith('NODEGROUP_'));
      expect(codes(findings)).toEqual(expected);
      if (severity !== null) expect(findings[0]?.severity).toBe(severity);
    });

    it('names the node group, its version and the control plane when it lags', () => {
      const finding = only(
        lifecycleFindings(cluster({ nodegroups: [nodegroup('batch', '1.29')] }), facts(QUIET)),
        'NODEGROUP_BEHIND_CONTROL_PLANE',
      );
      expect(finding.message).toBe(
        'Node group batch (1.29) is 2 minor versions behind the control plane (1.31), within the 3 minor versions a 1.29 kubelet may lag. EKS requires it at 1.31 before the next control-plane upgrade.',
      );
    });

    it('says how to fix a node group too far behind', () => {
      const finding = only(
        lifecycleFindings(
          cluster({ version: '1.27', nodegroups: [nodegroup('legacy', '1.24')], addons: [] }),
          facts('2023-06-01T00:00:00Z'),
        ),
        'NODEGROUP_SKEW_UNSUPPORTED',
      );
      expect(finding.message).toBe(
        'Node group legacy (1.24) is 3 minor versions behind the control plane (1.27); a 1.24 kubelet may be at most 2 minor versions behind. Update it to 1.27.',
      );
    });

    it('explains a node-group version that cannot be compared', () => {
      const finding = only(
        lifecycleFindings(cluster({ nodegroups: [nodegroup('odd', '2.0')] }), facts(QUIET)),
        'NODEGROUP_SKEW_UNSUPPORTED',
      );
      expect(finding.message).toBe(
        'Node group odd reports version "2.0", which cannot be compared with the control plane\'s 1.31: its major version differs.',
      );
    });

    it('explains a node-group version that is not a version at all', () => {
      const finding = only(
        lifecycleFindings(cluster({ nodegroups: [nodegroup('odd', '1.3x')] }), facts(QUIET)),
        'NODEGROUP_SKEW_UNSUPPORTED',
      );
      expect(finding.message).toBe(
        'Node group odd reports version "1.3x", which cannot be compared with the control plane\'s 1.31: it is not a MAJOR.MINOR version.',
      );
    });

    it('reports a custom-AMI node group, which blocks automatic upgrades', () => {
      const finding = only(
        lifecycleFindings(cluster({ nodegroups: [nodegroup('gpu', '1.31', true)] }), facts(QUIET)),
        'CUSTOM_AMI_NODEGROUP',
      );
      expect(finding).toEqual({
        code: 'CUSTOM_AMI_NODEGROUP',
        severity: 'WARNING',
        message:
          'Node group gpu (1.31) runs a custom AMI from its launch template: EKS cannot move it by version, so it blocks automatic upgrades. Roll its launch template to an AMI for the new version yourself.',
      });
    });
  });

  describe('add-ons', () => {
    it.each<[string, string, FindingCode[]]>([
      ['vpc-cni', 'v1.20.4-eksbuild.2', []],
      ['vpc-cni', 'v1.19.2-eksbuild.1', []],
      ['coredns', 'v1.11.3-eksbuild.1', ['ADDON_UPDATE_REQUIRED']],
      ['coredns', 'v1.10.0-eksbuild.1', ['ADDON_INCOMPATIBLE']],
      ['kube-proxy', 'v1.31.2-eksbuild.3', ['ADDON_UPDATE_REQUIRED']],
      ['my-operator', 'v0.0.1', []],
    ])('on 1.31, %s %s gives %j', (name, version, expected) => {
      expect(codes(lifecycleFindings(cluster({ addons: [addon(name, version)] }), facts(QUIET)))).toEqual(expected);
    });

    it('says which version makes an incompatible add-on compatible', () => {
      const finding = only(
        lifecycleFindings(cluster({ addons: [addon('coredns', 'v1.10.0-eksbuild.1')] }), facts(QUIET)),
        'ADDON_INCOMPATIBLE',
      );
      expect(finding).toEqual({
        code: 'ADDON_INCOMPATIBLE',
        severity: 'CRITICAL',
        message:
          'Add-on coredns v1.10.0-eksbuild.1 is not listed as compatible with Kubernetes 1.31: update it to v1.11.3-eksbuild.1.',
      });
    });

    it('says when the catalog has no version at all for the running version', () => {
      const finding = only(
        lifecycleFindings(
          cluster({ version: '1.33', nodegroups: [], addons: [addon('kube-proxy', 'v1.31.2-eksbuild.3')] }),
          facts(QUIET),
        ),
        'ADDON_INCOMPATIBLE',
      );
      expect(finding.message).toBe(
        'Add-on kube-proxy v1.31.2-eksbuild.3 is not listed as compatible with Kubernetes 1.33: the catalog lists no version of kube-proxy for 1.33.',
      );
    });

    it('names the version to move to with the next minor', () => {
      const finding = only(
        lifecycleFindings(cluster({ addons: [addon('coredns', 'v1.11.3-eksbuild.1')] }), facts(QUIET)),
        'ADDON_UPDATE_REQUIRED',
      );
      expect(finding).toEqual({
        code: 'ADDON_UPDATE_REQUIRED',
        severity: 'WARNING',
        message:
          'Add-on coredns v1.11.3-eksbuild.1 is not compatible with Kubernetes 1.32, the next minor version: update it to v1.11.4-eksbuild.2 with the upgrade to 1.32.',
      });
    });

    it('says the upgrade is blocked when no version supports the next minor', () => {
      const finding = only(
        lifecycleFindings(cluster({ addons: [addon('kube-proxy', 'v1.31.2-eksbuild.3')] }), facts(QUIET)),
        'ADDON_UPDATE_REQUIRED',
      );
      expect(finding.message).toBe(
        'Add-on kube-proxy v1.31.2-eksbuild.3 is not compatible with Kubernetes 1.32, the next minor version: the catalog lists no version of kube-proxy for 1.32 yet, which blocks the upgrade.',
      );
    });

    it('does not ask for an add-on update when there is no next version yet', () => {
      const findings = lifecycleFindings(
        cluster({ version: '1.36', nodegroups: [], addons: [addon('vpc-cni', 'v1.20.4-eksbuild.2')] }),
        facts('2026-07-01T00:00:00Z'),
      );
      expect(findings).toEqual([]);
    });
  });

  describe('insights', () => {
    it('reports ERROR and WARNING insights, naming them, their version and reason, and ignores the rest', () => {
      const findings = lifecycleFindings(
        cluster({
          insights: [
            insight('Deprecated APIs removed in Kubernetes v1.32', 'ERROR', '1.32', 'Deprecated API usage detected'),
            insight('Kubelet version skew', 'WARNING', '1.33', null),
            insight('Amazon Linux 2 compatibility', 'ERROR', null, null),
            insight('Cluster health issues', 'PASSING', '1.32', null),
            insight('kube-proxy version skew', 'UNKNOWN', '1.32', null),
          ],
        }),
        facts(QUIET),
      );
      expect(findings).toEqual([
        {
          code: 'INSIGHT_ERROR',
          severity: 'WARNING',
          message:
            'Upgrade insight "Deprecated APIs removed in Kubernetes v1.32" is ERROR for the upgrade to Kubernetes 1.32: Deprecated API usage detected. Resolve it before upgrading.',
        },
        {
          code: 'INSIGHT_WARNING',
          severity: 'NOTICE',
          message:
            'Upgrade insight "Kubelet version skew" is WARNING for the upgrade to Kubernetes 1.33: EKS gives no reason.',
        },
        {
          code: 'INSIGHT_ERROR',
          severity: 'WARNING',
          message:
            'Upgrade insight "Amazon Linux 2 compatibility" is ERROR for an upcoming upgrade: EKS gives no reason. Resolve it before upgrading.',
        },
      ]);
    });
  });

  describe('cluster status', () => {
    it.each([
      ['FAILED', 'CRITICAL'],
      ['UPDATING', 'NOTICE'],
      ['CREATING', 'NOTICE'],
      ['DELETING', 'NOTICE'],
      ['PENDING', 'NOTICE'],
      ['SOMETHING_NEW', 'WARNING'],
    ])('reports a %s cluster as %s', (status, severity) => {
      expect(lifecycleFindings(cluster({ status }), facts(QUIET))).toEqual([
        {
          code: 'CLUSTER_NOT_ACTIVE',
          severity,
          message: `Cluster status is ${status}, not ACTIVE: no upgrade starts until it is ACTIVE again.`,
        },
      ]);
    });
  });

  it('groups findings by subject: status, version, node groups, add-ons, insights', () => {
    const findings = lifecycleFindings(
      cluster({
        status: 'UPDATING',
        nodegroups: [nodegroup('a', '1.30', true)],
        addons: [addon('coredns', 'v1.11.3-eksbuild.1')],
        insights: [insight('Deprecated APIs', 'ERROR', '1.32', 'x')],
      }),
      facts('2026-11-22T12:00:00Z'),
    );
    expect(codes(findings)).toEqual([
      'CLUSTER_NOT_ACTIVE',
      'EXTENDED_SUPPORT_BILLING',
      'DEADLINE_APPROACHING',
      'NODEGROUP_BEHIND_CONTROL_PLANE',
      'CUSTOM_AMI_NODEGROUP',
      'ADDON_UPDATE_REQUIRED',
      'INSIGHT_ERROR',
    ]);
  });
});

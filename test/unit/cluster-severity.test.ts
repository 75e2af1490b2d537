import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { assessCluster } from '../../functions/core/cluster-assessment.ts';
import { clusterSeverity } from '../../functions/core/cluster-severity.ts';
import { ownerOf } from '../../functions/core/owner.ts';
import { reassessAt } from '../../functions/core/reassess.ts';
import type { AddonCatalog, ClusterState } from '../../functions/core/types.ts';

// 1.36 is in standard support until 2027-08-02 in the bundled calendar: its deadline alone is OK.
const NOW = new Date('2026-11-22T12:00:00.000Z');
const CATALOG: AddonCatalog = {
  'vpc-cni': [{ version: 'v1.20.0-eksbuild.1', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] }],
};

function cluster(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    accountId: '111122223333',
    region: 'eu-west-1',
    name: 'payments',
    arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
    version: '1.36',
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
    versionSince: null,
    ...overrides,
  };
}

const ctx = { calendar: BUNDLED_CALENDAR, catalog: CATALOG, now: NOW, fleet: [] };

describe('cluster severity', () => {
  it('is the worst of the deadline severity and the findings severities', () => {
    expect(clusterSeverity('OK', [{ severity: 'NOTICE' }, { severity: 'CRITICAL' }, { severity: 'WARNING' }])).toBe(
      'CRITICAL',
    );
    expect(clusterSeverity('EXPIRED', [{ severity: 'CRITICAL' }])).toBe('EXPIRED');
    expect(clusterSeverity('NOTICE', [])).toBe('NOTICE');
  });

  it('makes a cluster far from its deadline CRITICAL when an add-on is incompatible, keeping the deadline OK', () => {
    const row = assessCluster(cluster({ addons: [{ name: 'vpc-cni', version: 'v1.10.0', status: 'ACTIVE' }] }), ctx);
    expect(row.findings.map((f) => f.code)).toContain('ADDON_INCOMPATIBLE');
    expect(row.deadline?.severity).toBe('OK');
    expect(row.severity).toBe('CRITICAL');
  });

  it('makes a cluster with a node group four minors behind CRITICAL', () => {
    const nodegroup = {
      name: 'old',
      version: '1.32',
      releaseVersion: null,
      status: 'ACTIVE',
      amiType: null,
      customAmi: false,
    };
    const row = assessCluster(cluster({ nodegroups: [nodegroup] }), ctx);
    expect(row.nodegroups[0]?.skew).toBe(4);
    expect(row.deadline?.severity).toBe('OK');
    expect(row.severity).toBe('CRITICAL');
  });

  it('keeps a finding-driven severity when a stored report is judged again later', () => {
    const row = assessCluster(cluster({ addons: [{ name: 'vpc-cni', version: 'v1.10.0', status: 'ACTIVE' }] }), ctx);
    const later = reassessAt(row, new Date('2026-12-22T12:00:00.000Z'));
    expect(later.severity).toBe('CRITICAL');
    expect(later.deadline).toMatchObject({ daysRemaining: 223, severity: 'OK' });
  });
});

describe('owner', () => {
  it('is the first present owner tag, team before owner by default', () => {
    expect(ownerOf({ owner: 'alice', team: 'payments' })).toBe('payments');
    expect(ownerOf({ owner: 'alice', team: ' ' })).toBe('alice');
    expect(ownerOf({})).toBeNull();
    expect(ownerOf({ team: 'payments', 'cost-center': 'cc-7' }, ['cost-center', 'team'])).toBe('cc-7');
  });

  it('is in every report row, from the configured keys', () => {
    const tagged = cluster({ tags: { team: 'payments', squad: 'checkout' } });
    expect(assessCluster(tagged, ctx)).toMatchObject({ owner: 'payments', accountName: null });
    expect(assessCluster(tagged, { ...ctx, ownerTags: ['squad'] }).owner).toBe('checkout');
  });
});

import { describe, expect, it } from 'vitest';
import { verifyHop } from '../../functions/core/hop-verification.ts';
import type { AddonCatalog, ClusterState } from '../../functions/core/types.ts';

const CATALOG: AddonCatalog = {
  'vpc-cni': [{ version: 'v1.20.1-eksbuild.1', compatibleWith: ['1.33', '1.34'], defaultFor: ['1.34'] }],
};

const HEALTHY: ClusterState = {
  accountId: '222222222222',
  region: 'eu-west-1',
  name: 'dev-sandbox',
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/dev-sandbox',
  version: '1.34',
  platformVersion: 'eks.1',
  status: 'ACTIVE',
  supportType: 'STANDARD',
  tags: {},
  autoMode: false,
  nodegroups: [
    { name: 'default', version: '1.34', releaseVersion: null, status: 'ACTIVE', amiType: null, customAmi: false },
  ],
  addons: [
    { name: 'vpc-cni', version: 'v1.20.1-eksbuild.1', status: 'ACTIVE' },
    { name: 'self-managed', version: 'v0.1', status: 'ACTIVE' },
  ],
  fargateProfiles: [],
  insights: [
    { id: '1', name: 'Deprecated APIs', status: 'ERROR', kubernetesVersion: '1.35', reason: 'v1beta1 in use' },
    { id: '2', name: 'Old insight', status: 'ERROR', kubernetesVersion: '1.34', reason: null },
    { id: '3', name: 'Kubelet skew', status: 'WARNING', kubernetesVersion: '1.35', reason: null },
  ],
  updateInProgress: false,
  versionSince: null,
};

describe('verifyHop', () => {
  it('verifies a cluster ACTIVE at the new minor with healthy node groups and add-ons', () => {
    const result = verifyHop(HEALTHY, '1.34', CATALOG);

    expect(result.code).toBe('HOP_VERIFIED');
    expect(result.problems).toEqual([]);
    expect(result.reason).toContain('ACTIVE at 1.34');
  });

  it('does not verify a hop while a part of the cluster could not be read (unknown is not healthy)', () => {
    const partial: ClusterState = {
      ...HEALTHY,
      nodegroups: [],
      partial: [{ fact: 'nodegroups', operation: 'ListNodegroups', code: 'ACCESS_DENIED', message: 'denied' }],
    };
    const result = verifyHop(partial, '1.34', CATALOG);

    expect(result.code).not.toBe('HOP_VERIFIED');
    expect(result.problems).toEqual([{ code: 'FACTS_UNKNOWN', message: 'ListNodegroups could not be read: denied' }]);
  });

  it('reports the insights read again for the next hop, without failing this one', () => {
    const result = verifyHop(HEALTHY, '1.34', CATALOG);

    expect(result.insightErrors).toEqual(['Deprecated APIs (v1beta1 in use)']);
    expect(result.insightWarnings).toEqual(['Kubelet skew']);
  });

  it.each<[string, Partial<ClusterState>, string]>([
    ['the cluster is not ACTIVE', { status: 'UPDATING' }, 'CLUSTER_NOT_ACTIVE'],
    ['the control plane did not move', { version: '1.33' }, 'CONTROL_PLANE_VERSION'],
    ['an update still runs', { updateInProgress: true }, 'UPDATE_IN_PROGRESS'],
    [
      'a node group is degraded',
      { nodegroups: [{ ...HEALTHY.nodegroups[0]!, status: 'DEGRADED' }] },
      'NODEGROUP_NOT_ACTIVE',
    ],
    [
      'a node group stayed behind',
      { nodegroups: [{ ...HEALTHY.nodegroups[0]!, version: '1.33' }] },
      'NODEGROUP_VERSION',
    ],
    [
      'an add-on is not ACTIVE',
      { addons: [{ name: 'vpc-cni', version: 'v1.20.1-eksbuild.1', status: 'DEGRADED' }] },
      'ADDON_NOT_ACTIVE',
    ],
    [
      'an add-on is not listed for the new minor',
      { addons: [{ name: 'vpc-cni', version: 'v1.18.0-eksbuild.1', status: 'ACTIVE' }] },
      'ADDON_INCOMPATIBLE',
    ],
  ])('fails when %s', (_what, change, code) => {
    const result = verifyHop({ ...HEALTHY, ...change }, '1.34', CATALOG);

    expect(result.code).toBe('HOP_UNHEALTHY');
    expect(result.problems.map((p) => p.code)).toEqual([code]);
    expect(result.reason).toContain(result.problems[0]?.message);
  });

  it.each<[string, Partial<ClusterState>]>([
    ['a custom-AMI node group', { nodegroups: [{ ...HEALTHY.nodegroups[0]!, version: '1.33', customAmi: true }] }],
    ['an Auto Mode cluster', { autoMode: true, nodegroups: [{ ...HEALTHY.nodegroups[0]!, version: '1.33' }] }],
  ])('does not hold the version of %s against the hop', (_what, change) => {
    expect(verifyHop({ ...HEALTHY, ...change }, '1.34', CATALOG).code).toBe('HOP_VERIFIED');
  });
});

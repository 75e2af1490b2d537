import { describe, expect, it } from 'vitest';
import type { AddonCatalog, NodegroupState } from '../../functions/core/types.ts';
import {
  describeUpgradeAction,
  nextPhaseAction,
  planHop,
  planUpgradeHops,
  UpgradePlanError,
  type PlannedCluster,
  type UpgradeAction,
} from '../../functions/core/upgrade-plan-steps.ts';

const CATALOG: AddonCatalog = {
  'vpc-cni': [
    { version: 'v1.18.6-eksbuild.1', compatibleWith: ['1.32', '1.33'], defaultFor: ['1.32'] },
    { version: 'v1.19.5-eksbuild.3', compatibleWith: ['1.32', '1.33', '1.34'], defaultFor: ['1.33'] },
    { version: 'v1.20.1-eksbuild.1', compatibleWith: ['1.33', '1.34', '1.35'], defaultFor: ['1.34'] },
    { version: 'v1.20.4-eksbuild.2', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.35'] },
  ],
  coredns: [
    { version: 'v1.11.4-eksbuild.14', compatibleWith: ['1.32', '1.33', '1.34'], defaultFor: ['1.33'] },
    { version: 'v1.12.1-eksbuild.2', compatibleWith: ['1.33', '1.34', '1.35'], defaultFor: ['1.34', '1.35'] },
  ],
  'kube-proxy': [
    { version: 'v1.33.3-eksbuild.2', compatibleWith: ['1.33'], defaultFor: ['1.33'] },
    { version: 'v1.34.2-eksbuild.2', compatibleWith: ['1.34'], defaultFor: ['1.34'] },
    { version: 'v1.35.1-eksbuild.2', compatibleWith: ['1.35'], defaultFor: ['1.35'] },
  ],
  'legacy-addon': [{ version: 'v0.9.0', compatibleWith: ['1.33'], defaultFor: ['1.33'] }],
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

const CLUSTER: PlannedCluster = {
  name: 'dev-sandbox',
  version: '1.33',
  autoMode: false,
  nodegroups: [nodegroup('default', '1.33'), nodegroup('legacy', '1.32')],
  addons: [
    { name: 'coredns', version: 'v1.11.4-eksbuild.14', status: 'ACTIVE' },
    { name: 'kube-proxy', version: 'v1.33.3-eksbuild.2', status: 'ACTIVE' },
    { name: 'vpc-cni', version: 'v1.18.6-eksbuild.1', status: 'ACTIVE' },
  ],
};

const HOP = { fromVersion: '1.33', toVersion: '1.34' };

function calls(actions: readonly UpgradeAction[]): string[] {
  return actions.map((action) => `${action.phase} ${describeUpgradeAction('dev-sandbox', action)}`);
}

describe('planHop', () => {
  it('orders a hop: node groups aligned, control plane +1, add-ons (vpc-cni, kube-proxy, coredns), node groups', () => {
    // Act
    const plan = planHop(CLUSTER, HOP, CATALOG);

    // Assert
    expect(calls(plan.actions)).toEqual([
      'ALIGN_NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=legacy version=1.33',
      'CONTROL_PLANE UpdateClusterVersion name=dev-sandbox version=1.34',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.19.5-eksbuild.3 resolveConflicts=PRESERVE',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.20.1-eksbuild.1 resolveConflicts=PRESERVE',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=kube-proxy version=v1.34.2-eksbuild.2 resolveConflicts=PRESERVE',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=coredns version=v1.12.1-eksbuild.2 resolveConflicts=PRESERVE',
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.34',
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=legacy version=1.34',
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('moves vpc-cni one minor at a time, naming the stepping stone', () => {
    const vpc = planHop(CLUSTER, HOP, CATALOG).actions.filter((a) => a.kind === 'UpdateAddon' && a.addon === 'vpc-cni');

    expect(vpc.map((a) => [a.fromVersion, a.version])).toEqual([
      ['v1.18.6-eksbuild.1', 'v1.19.5-eksbuild.3'],
      ['v1.19.5-eksbuild.3', 'v1.20.1-eksbuild.1'],
    ]);
    expect(vpc[0]?.reason).toContain('stepping stone');
    expect(vpc[1]?.reason).toContain('recommended vpc-cni for 1.34');
  });

  it('plans only what is left once the control plane has moved', () => {
    const midHop: PlannedCluster = {
      ...CLUSTER,
      version: '1.34',
      nodegroups: [nodegroup('default', '1.33'), nodegroup('legacy', '1.33')],
      addons: [{ name: 'vpc-cni', version: 'v1.20.1-eksbuild.1', status: 'ACTIVE' }],
    };

    const plan = planHop(midHop, HOP, CATALOG);

    expect(calls(plan.actions)).toEqual([
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.34',
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=legacy version=1.34',
    ]);
    expect(plan.actions[0]).toMatchObject({ fromVersion: '1.33' });
  });

  it('plans nothing for a hop that is complete', () => {
    const done: PlannedCluster = {
      ...CLUSTER,
      version: '1.34',
      nodegroups: [nodegroup('default', '1.34')],
      addons: [{ name: 'coredns', version: 'v1.12.1-eksbuild.2', status: 'ACTIVE' }],
    };

    expect(planHop(done, HOP, CATALOG).actions).toEqual([]);
  });

  it('skips every node group of an Auto Mode cluster', () => {
    const auto: PlannedCluster = { ...CLUSTER, autoMode: true, addons: [] };

    const plan = planHop(auto, HOP, CATALOG);

    expect(calls(plan.actions)).toEqual(['CONTROL_PLANE UpdateClusterVersion name=dev-sandbox version=1.34']);
    expect(plan.skipped.map((s) => [s.name, s.code])).toEqual([
      ['default', 'AUTO_MODE'],
      ['legacy', 'AUTO_MODE'],
    ]);
  });

  it('never touches a custom-AMI node group, and reports it', () => {
    const custom: PlannedCluster = { ...CLUSTER, nodegroups: [nodegroup('gpu', '1.32', true)], addons: [] };

    const plan = planHop(custom, HOP, CATALOG);

    expect(plan.actions.some((a) => a.kind === 'UpdateNodegroupVersion')).toBe(false);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ kind: 'nodegroup', name: 'gpu', code: 'CUSTOM_AMI_NODEGROUP' }),
    ]);
  });

  it.each([
    ['an add-on the catalog does not list', 'self-managed-thing', 'v1.0.0', 'ADDON_NOT_IN_CATALOG'],
    ['an add-on with no version for the new minor', 'legacy-addon', 'v0.9.0', 'ADDON_NO_COMPATIBLE_VERSION'],
  ])('reports %s as skipped', (_what, name, version, code) => {
    const cluster: PlannedCluster = { ...CLUSTER, nodegroups: [], addons: [{ name, version, status: 'ACTIVE' }] };

    const plan = planHop(cluster, HOP, CATALOG);

    expect(plan.actions.filter((a) => a.kind === 'UpdateAddon')).toEqual([]);
    expect(plan.skipped).toEqual([expect.objectContaining({ kind: 'addon', name, code })]);
  });

  it('orders other add-ons by name after the three core ones', () => {
    const catalog: AddonCatalog = {
      ...CATALOG,
      'aws-ebs-csi-driver': [{ version: 'v2', compatibleWith: ['1.34'], defaultFor: ['1.34'] }],
      'eks-pod-identity-agent': [{ version: 'v2', compatibleWith: ['1.34'], defaultFor: ['1.34'] }],
    };
    const cluster: PlannedCluster = {
      ...CLUSTER,
      nodegroups: [],
      addons: [
        { name: 'eks-pod-identity-agent', version: 'v1', status: 'ACTIVE' },
        { name: 'coredns', version: 'v1.11.4-eksbuild.14', status: 'ACTIVE' },
        { name: 'aws-ebs-csi-driver', version: 'v1', status: 'ACTIVE' },
      ],
    };

    const order = planHop(cluster, HOP, catalog).actions.flatMap((a) => (a.kind === 'UpdateAddon' ? [a.addon] : []));

    expect(order).toEqual(['coredns', 'aws-ebs-csi-driver', 'eks-pod-identity-agent']);
  });

  it.each([
    ['skips a minor', { fromVersion: '1.33', toVersion: '1.35' }, CLUSTER],
    ['does not start from the cluster', { fromVersion: '1.31', toVersion: '1.32' }, CLUSTER],
  ])('refuses a hop that %s', (_what, hop, cluster) => {
    expect(() => planHop(cluster, hop, CATALOG)).toThrow(UpgradePlanError);
  });
});

describe('nextPhaseAction', () => {
  it.each([
    ['ALIGN_NODEGROUPS', 'UpdateNodegroupVersion cluster=dev-sandbox nodegroup=legacy version=1.33'],
    ['CONTROL_PLANE', 'UpdateClusterVersion name=dev-sandbox version=1.34'],
    ['ADDONS', 'UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.19.5-eksbuild.3 resolveConflicts=PRESERVE'],
    ['NODEGROUPS', 'UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.34'],
  ] as const)('gives the first %s call left', (phase, call) => {
    const action = nextPhaseAction(phase, CLUSTER, HOP, CATALOG);

    expect(action === null ? null : describeUpgradeAction('dev-sandbox', action)).toBe(call);
  });

  it('says a phase is done when it has nothing left', () => {
    const aligned: PlannedCluster = { ...CLUSTER, nodegroups: [nodegroup('default', '1.33')] };

    expect(nextPhaseAction('ALIGN_NODEGROUPS', aligned, HOP, CATALOG)).toBeNull();
  });
});

describe('planUpgradeHops', () => {
  it('plans each hop from the state the previous one leaves', () => {
    const hops = planUpgradeHops(CLUSTER, ['1.34', '1.35'], CATALOG);

    expect(hops.map((h) => `${h.fromVersion}→${h.toVersion}`)).toEqual(['1.33→1.34', '1.34→1.35']);
    expect(calls(hops[1]?.actions ?? [])).toEqual([
      'CONTROL_PLANE UpdateClusterVersion name=dev-sandbox version=1.35',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=vpc-cni version=v1.20.4-eksbuild.2 resolveConflicts=PRESERVE',
      'ADDONS UpdateAddon cluster=dev-sandbox addon=kube-proxy version=v1.35.1-eksbuild.2 resolveConflicts=PRESERVE',
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=default version=1.35',
      'NODEGROUPS UpdateNodegroupVersion cluster=dev-sandbox nodegroup=legacy version=1.35',
    ]);
  });

  it('leaves custom-AMI node groups where they were in every hop', () => {
    const custom: PlannedCluster = { ...CLUSTER, nodegroups: [nodegroup('gpu', '1.33', true)], addons: [] };

    const hops = planUpgradeHops(custom, ['1.34', '1.35'], CATALOG);

    expect(hops.map((h) => h.skipped.map((s) => s.code))).toEqual([['CUSTOM_AMI_NODEGROUP'], ['CUSTOM_AMI_NODEGROUP']]);
  });

  it('plans nothing for an empty path', () => {
    expect(planUpgradeHops(CLUSTER, [], CATALOG)).toEqual([]);
  });

  it('refuses a path that skips a minor', () => {
    expect(() => planUpgradeHops(CLUSTER, ['1.35'], CATALOG)).toThrow(UpgradePlanError);
  });
});

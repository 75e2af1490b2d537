import { describe, expect, it } from 'vitest';
import {
  subresourceBlockerMessage,
  subresourceFindings,
  tagCommand,
  untaggedSubresources,
} from '../../functions/core/subresource-opt-in.ts';
import type { ClusterState } from '../../functions/core/types.ts';

const NG_ARN = 'arn:aws:eks:eu-west-1:111122223333:nodegroup/payments/general/4ec1';
const ADDON_ARN = 'arn:aws:eks:eu-west-1:111122223333:addon/payments/vpc-cni/8d2a';

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
    tags: { 'fleet-auditor/auto-upgrade': 'true' },
    autoMode: false,
    nodegroups: [
      {
        name: 'general',
        arn: NG_ARN,
        version: '1.35',
        releaseVersion: null,
        status: 'ACTIVE',
        amiType: null,
        customAmi: false,
        tags: { team: 'payments' },
      },
    ],
    addons: [{ name: 'vpc-cni', arn: ADDON_ARN, version: 'v1.20.1-eksbuild.1', status: 'ACTIVE' }],
    fargateProfiles: [],
    insights: [],
    updateInProgress: false,
    versionSince: null,
    ...overrides,
  };
}

describe('untaggedSubresources', () => {
  it('lists every node group and add-on whose own auto-upgrade tag is not exactly "true"', () => {
    const state = cluster({
      addons: [
        {
          name: 'vpc-cni',
          arn: ADDON_ARN,
          version: 'v1',
          status: 'ACTIVE',
          tags: { 'fleet-auditor/auto-upgrade': 'TRUE' },
        },
        { name: 'coredns', version: 'v1', status: 'ACTIVE', tags: { 'fleet-auditor/auto-upgrade': 'true' } },
      ],
    });
    expect(untaggedSubresources(state, 'fleet-auditor/')).toEqual([
      { kind: 'node group', name: 'general', arn: NG_ARN, value: null },
      { kind: 'add-on', name: 'vpc-cni', arn: ADDON_ARN, value: 'TRUE' },
    ]);
  });

  it('lists nothing when every part carries the tag under the configured prefix', () => {
    const tags = { 'acme/auto-upgrade': 'true' };
    const state = cluster({
      nodegroups: cluster().nodegroups.map((ng) => ({ ...ng, tags })),
      addons: cluster().addons.map((addon) => ({ ...addon, tags })),
    });
    expect(untaggedSubresources(state, 'acme/')).toEqual([]);
    expect(subresourceBlockerMessage(state, 'acme/')).toBeNull();
  });
});

describe('subresourceFindings', () => {
  it('names each untagged resource with the exact command that tags it', () => {
    const findings = subresourceFindings(cluster(), true, 'fleet-auditor/');
    expect(findings).toEqual([
      {
        code: 'SUBRESOURCE_NOT_OPTED_IN',
        severity: 'WARNING',
        message: `node group general lacks the tag fleet-auditor/auto-upgrade; the upgrade role may not update it, so automatic upgrades are blocked. Fix: aws eks tag-resource --resource-arn ${NG_ARN} --tags fleet-auditor/auto-upgrade=true`,
      },
      {
        code: 'SUBRESOURCE_NOT_OPTED_IN',
        severity: 'WARNING',
        message: `add-on vpc-cni lacks the tag fleet-auditor/auto-upgrade; the upgrade role may not update it, so automatic upgrades are blocked. Fix: aws eks tag-resource --resource-arn ${ADDON_ARN} --tags fleet-auditor/auto-upgrade=true`,
      },
    ]);
  });

  it('reports nothing for a cluster that is not opted in', () => {
    expect(subresourceFindings(cluster({ tags: {} }), false, 'fleet-auditor/')).toEqual([]);
  });

  it('puts a named placeholder in the command when the read returned no ARN', () => {
    expect(tagCommand({ kind: 'add-on', name: 'coredns', arn: null, value: null }, 'fleet-auditor/')).toBe(
      'aws eks tag-resource --resource-arn <addon-arn-of-coredns> --tags fleet-auditor/auto-upgrade=true',
    );
  });
});

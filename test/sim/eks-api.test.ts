import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  ListAddonsCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListInsightsCommand,
  ListNodegroupsCommand,
  ListTagsForResourceCommand,
  ListUpdatesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { MEMBER, NOW, assumeInto, clients, rejection, sampleFleet } from './sim-fixtures.ts';

let sim: Simulator;
let eks: EKSClient;

beforeAll(async () => {
  sim = await startSimulator({ fleet: sampleFleet(), now: () => NOW });
  eks = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER)).eks;
});
afterAll(async () => sim.close());

describe('ListClusters', () => {
  it('lists the clusters of the caller account and the signed region, in fleet-file order', async () => {
    const { clusters } = await eks.send(new ListClustersCommand({}));
    expect(clusters).toEqual(['alpha', 'beta', 'gamma', 'delta', 'busy']);
  });
});

describe('DescribeCluster', () => {
  it('describes a cluster with the defaults of a freshly created one', async () => {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'alpha' }));
    expect(cluster).toMatchObject({
      name: 'alpha',
      arn: `arn:aws:eks:eu-west-1:${MEMBER}:cluster/alpha`,
      version: '1.31',
      status: 'ACTIVE',
      tags: { team: 'payments', 'fleet-auditor/auto-upgrade': 'true' },
      upgradePolicy: { supportType: 'EXTENDED' },
      computeConfig: { enabled: false },
    });
    expect(cluster?.platformVersion).toMatch(/^eks\.\d+$/);
    expect(cluster?.createdAt?.toISOString()).toBe('2024-09-26T00:00:00.000Z');
  });

  it('reports STANDARD support type and Auto Mode as the fleet file says', async () => {
    const beta = await eks.send(new DescribeClusterCommand({ name: 'beta' }));
    const gamma = await eks.send(new DescribeClusterCommand({ name: 'gamma' }));
    expect(beta.cluster?.upgradePolicy?.supportType).toBe('STANDARD');
    expect(gamma.cluster?.computeConfig?.enabled).toBe(true);
  });

  it('answers ResourceNotFoundException with the AWS message for an unknown cluster', async () => {
    const error = await rejection(eks.send(new DescribeClusterCommand({ name: 'nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('No cluster found for name: nope.');
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('reports a cluster with an update in progress as UPDATING', async () => {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'busy' }));
    expect(cluster?.status).toBe('UPDATING');
  });
});

describe('node groups', () => {
  it('lists and describes node groups with default AMI type and release version', async () => {
    const { nodegroups } = await eks.send(new ListNodegroupsCommand({ clusterName: 'alpha' }));
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'alpha', nodegroupName: 'ng-general' }),
    );
    expect(nodegroups).toEqual(['ng-general']);
    expect(nodegroup).toMatchObject({
      nodegroupName: 'ng-general',
      clusterName: 'alpha',
      version: '1.31',
      status: 'ACTIVE',
      amiType: 'AL2023_x86_64_STANDARD',
    });
    expect(nodegroup?.releaseVersion).toMatch(/^1\.31\.\d+-\d{8}$/);
    expect(nodegroup?.nodegroupArn).toMatch(
      new RegExp(`^arn:aws:eks:eu-west-1:${MEMBER}:nodegroup/alpha/ng-general/[0-9a-f-]{36}$`),
    );
  });

  it('describes a custom-AMI node group with amiType CUSTOM and its launch template', async () => {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'beta', nodegroupName: 'ng-custom' }),
    );
    expect(nodegroup?.amiType).toBe('CUSTOM');
    expect(nodegroup?.launchTemplate).toMatchObject({ name: 'ng-custom-custom-ami', version: '1' });
    expect(nodegroup?.releaseVersion).toMatch(/^ami-0[0-9a-f]{16}$/);
  });

  it('answers ResourceNotFoundException for an unknown node group', async () => {
    const error = await rejection(eks.send(new DescribeNodegroupCommand({ clusterName: 'alpha', nodegroupName: 'x' })));
    expect([error.name, error.message]).toEqual(['ResourceNotFoundException', 'No node group found for name: x.']);
  });
});

describe('add-ons and Fargate profiles', () => {
  it('lists and describes add-ons', async () => {
    const { addons } = await eks.send(new ListAddonsCommand({ clusterName: 'alpha' }));
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: 'alpha', addonName: 'vpc-cni' }));
    expect(addons).toEqual(['vpc-cni', 'kube-proxy']);
    expect(addon).toMatchObject({ addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1', status: 'ACTIVE' });
    expect(addon?.addonArn).toMatch(new RegExp(`^arn:aws:eks:eu-west-1:${MEMBER}:addon/alpha/vpc-cni/`));
  });

  it('answers ResourceNotFoundException for an add-on the cluster does not have', async () => {
    const error = await rejection(eks.send(new DescribeAddonCommand({ clusterName: 'alpha', addonName: 'coredns' })));
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      'No addon: coredns found in cluster: alpha',
    ]);
  });

  it('lists Fargate profiles', async () => {
    const { fargateProfileNames } = await eks.send(new ListFargateProfilesCommand({ clusterName: 'alpha' }));
    expect(fargateProfileNames).toEqual(['fp-default']);
  });
});

describe('insights', () => {
  it('reports a PASSING upgrade-readiness set for the next minor when the fleet file has none', async () => {
    const { insights } = await eks.send(new ListInsightsCommand({ clusterName: 'alpha' }));
    expect(insights?.length).toBeGreaterThanOrEqual(4);
    for (const insight of insights ?? []) {
      expect(insight).toMatchObject({ category: 'UPGRADE_READINESS', kubernetesVersion: '1.32' });
      expect(insight.insightStatus?.status).toBe('PASSING');
    }
  });

  it('serves the fleet file insights, filtered by status, and describes one by id', async () => {
    const { insights } = await eks.send(
      new ListInsightsCommand({ clusterName: 'gamma', filter: { statuses: ['ERROR'] } }),
    );
    expect(insights?.map((i) => [i.name, i.kubernetesVersion, i.insightStatus?.reason])).toEqual([
      ['Deprecated APIs removed in Kubernetes v1.33', '1.33', 'flowcontrol v1beta3 in use'],
    ]);
    const { insight } = await eks.send(
      new DescribeInsightCommand({ clusterName: 'gamma', id: insights?.[0]?.id ?? '' }),
    );
    expect(insight).toMatchObject({
      name: 'Deprecated APIs removed in Kubernetes v1.33',
      insightStatus: { status: 'ERROR' },
    });
  });

  it('filters insights by Kubernetes version', async () => {
    const { insights } = await eks.send(
      new ListInsightsCommand({ clusterName: 'gamma', filter: { kubernetesVersions: ['1.34'] } }),
    );
    expect(insights?.map((i) => i.insightStatus?.status)).toEqual(['WARNING']);
  });

  it('answers ResourceNotFoundException for an unknown insight id', async () => {
    const error = await rejection(eks.send(new DescribeInsightCommand({ clusterName: 'gamma', id: 'nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('DescribeAddonVersions', () => {
  it('lists versions compatible with a cluster version, newest first, with one default', async () => {
    const { addons } = await eks.send(
      new DescribeAddonVersionsCommand({ kubernetesVersion: '1.31', addonName: 'vpc-cni' }),
    );
    const versions = addons?.[0]?.addonVersions ?? [];
    expect(addons?.[0]).toMatchObject({ addonName: 'vpc-cni', type: 'networking' });
    expect(versions.length).toBeGreaterThan(3);
    const defaults = versions.filter((v) =>
      v.compatibilities?.some((c) => c.clusterVersion === '1.31' && c.defaultVersion),
    );
    expect(defaults.map((v) => v.addonVersion)).toEqual(['v1.19.2-eksbuild.1']);
    expect(versions[0]?.addonVersion).toBe('v1.20.4-eksbuild.2');
  });

  it('lists every catalog add-on when no name is given', async () => {
    const { addons } = await eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion: '1.33' }));
    expect(addons?.map((a) => a.addonName)).toEqual([
      'aws-ebs-csi-driver',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'vpc-cni',
    ]);
  });

  it('rejects a malformed Kubernetes version with InvalidParameterException', async () => {
    const error = await rejection(eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion: 'latest' })));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('DescribeClusterVersions', () => {
  it('reports versions released by the simulated now, newest first, with their support status', async () => {
    const { clusterVersions } = await eks.send(new DescribeClusterVersionsCommand({}));
    const byVersion = new Map(clusterVersions?.map((v) => [v.clusterVersion, v]));
    expect(clusterVersions?.[0]?.clusterVersion).toBe('1.34');
    expect(byVersion.has('1.35')).toBe(false); // released 2026-01-27, after the simulated now
    expect(byVersion.get('1.32')?.versionStatus).toBe('STANDARD_SUPPORT');
    expect(byVersion.get('1.31')?.versionStatus).toBe('EXTENDED_SUPPORT');
    expect(byVersion.has('1.28')).toBe(false);
    expect(byVersion.get('1.31')?.endOfStandardSupportDate?.toISOString()).toBe('2025-11-26T00:00:00.000Z');
    expect(byVersion.get('1.31')?.endOfExtendedSupportDate?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it.each([
    ['2025-11-25T23:59:59Z', 'STANDARD_SUPPORT'],
    ['2025-11-26T00:00:00Z', 'EXTENDED_SUPPORT'],
    ['2026-11-25T12:00:00Z', 'EXTENDED_SUPPORT'],
    ['2026-11-26T00:00:00Z', 'UNSUPPORTED'],
  ])('at %s reports 1.31 as %s', async (at, status) => {
    const dated = await startSimulator({ fleet: { accounts: [] }, now: () => new Date(at) });
    try {
      const { clusterVersions } = await clients(dated).eks.send(
        new DescribeClusterVersionsCommand({ clusterVersions: ['1.31'] }),
      );
      expect(clusterVersions?.map((v) => v.versionStatus)).toEqual([status]);
    } finally {
      await dated.close();
    }
  });

  it('includes unsupported versions with includeAll, and only the default with defaultOnly', async () => {
    const all = await eks.send(new DescribeClusterVersionsCommand({ includeAll: true }));
    const only = await eks.send(new DescribeClusterVersionsCommand({ defaultOnly: true }));
    expect(all.clusterVersions?.some((v) => v.clusterVersion === '1.23' && v.versionStatus === 'UNSUPPORTED')).toBe(
      true,
    );
    expect(only.clusterVersions).toHaveLength(1);
    expect(only.clusterVersions?.[0]?.defaultVersion).toBe(true);
  });

  it('filters by versionStatus', async () => {
    const { clusterVersions } = await eks.send(
      new DescribeClusterVersionsCommand({ versionStatus: 'EXTENDED_SUPPORT' }),
    );
    expect(clusterVersions?.map((v) => v.clusterVersion)).toEqual(['1.31', '1.30', '1.29']);
  });
});

describe('updates history', () => {
  it('reports versionSince as a Successful VersionUpdate created then', async () => {
    const { updateIds } = await eks.send(new ListUpdatesCommand({ name: 'alpha' }));
    expect(updateIds).toHaveLength(1);
    const { update } = await eks.send(new DescribeUpdateCommand({ name: 'alpha', updateId: updateIds?.[0] ?? '' }));
    expect(update).toMatchObject({ type: 'VersionUpdate', status: 'Successful' });
    expect(update?.createdAt?.toISOString()).toBe('2025-10-01T08:00:00.000Z');
  });

  it('reports updateInProgress as an InProgress update', async () => {
    const { updateIds } = await eks.send(new ListUpdatesCommand({ name: 'busy' }));
    const { update } = await eks.send(new DescribeUpdateCommand({ name: 'busy', updateId: updateIds?.[0] ?? '' }));
    expect(update?.status).toBe('InProgress');
  });

  it('answers ResourceNotFoundException for an unknown update id', async () => {
    const error = await rejection(eks.send(new DescribeUpdateCommand({ name: 'alpha', updateId: 'nope' })));
    expect([error.name, error.message]).toEqual(['ResourceNotFoundException', 'No update found for ID: nope']);
  });
});

describe('tags', () => {
  const arn = `arn:aws:eks:eu-west-1:${MEMBER}:cluster/beta`;

  it('tags, lists and untags a cluster', async () => {
    await eks.send(new TagResourceCommand({ resourceArn: arn, tags: { 'fleet-auditor/wave': '2', owner: 'sre' } }));
    await eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
    const { tags } = await eks.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'beta' }));
    expect(tags).toEqual({ 'fleet-auditor/wave': '2' });
    expect(cluster?.tags).toEqual({ 'fleet-auditor/wave': '2' });
  });

  it('tags a node group by its ARN', async () => {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'beta', nodegroupName: 'ng-old' }),
    );
    const ngArn = nodegroup?.nodegroupArn ?? '';
    await eks.send(new TagResourceCommand({ resourceArn: ngArn, tags: { pool: 'legacy' } }));
    const { tags } = await eks.send(new ListTagsForResourceCommand({ resourceArn: ngArn }));
    expect(tags).toEqual({ pool: 'legacy' });
  });

  it.each([
    ['a malformed ARN', 'not-an-arn', 'BadRequestException'],
    ['another account', 'arn:aws:eks:eu-west-1:999999999999:cluster/beta', 'NotFoundException'],
    ['an unknown cluster', `arn:aws:eks:eu-west-1:${MEMBER}:cluster/nope`, 'NotFoundException'],
  ])('rejects %s', async (_case, resourceArn, name) => {
    const error = await rejection(eks.send(new ListTagsForResourceCommand({ resourceArn })));
    expect(error.name).toBe(name);
  });
});

import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  ListUpdatesCommand,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { MEMBER, NOW, assumeInto, clients, rejection, sampleFleet } from './sim-fixtures.ts';

const MINUTE = 60_000;
let clock: number;
let sim: Simulator;
let eks: EKSClient;

beforeEach(async () => {
  clock = NOW.getTime();
  sim = await startSimulator({ fleet: sampleFleet(), now: () => new Date(clock), updateDurationMs: 10 * MINUTE });
  eks = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER)).eks;
});
afterEach(async () => sim.close());

describe('UpdateClusterVersion', () => {
  it('runs an update to Successful and changes the version DescribeCluster reports', async () => {
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'alpha', version: '1.32' }));
    expect(update).toMatchObject({
      status: 'InProgress',
      type: 'VersionUpdate',
      params: [
        { type: 'Version', value: '1.32' },
        { type: 'PlatformVersion', value: 'eks.1' },
      ],
      errors: [],
    });
    expect(update?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await eks.send(new DescribeClusterCommand({ name: 'alpha' }))).cluster?.status).toBe('UPDATING');

    clock += 10 * MINUTE;
    const done = await eks.send(new DescribeUpdateCommand({ name: 'alpha', updateId: update?.id ?? '' }));
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'alpha' }));
    expect(done.update?.status).toBe('Successful');
    expect(cluster).toMatchObject({ version: '1.32', platformVersion: 'eks.1', status: 'ACTIVE' });
  });

  it('rejects a second update while one is in progress with ResourceInUseException', async () => {
    await eks.send(new UpdateClusterVersionCommand({ name: 'alpha', version: '1.32' }));
    const error = await rejection(eks.send(new UpdateClusterVersionCommand({ name: 'alpha', version: '1.32' })));
    expect(error.name).toBe('ResourceInUseException');
    expect(error.$metadata?.httpStatusCode).toBe(409);
  });

  it('returns the same update for a repeated clientRequestToken', async () => {
    const request = { name: 'alpha', version: '1.32', clientRequestToken: 'token-1' };
    const first = await eks.send(new UpdateClusterVersionCommand(request));
    const second = await eks.send(new UpdateClusterVersionCommand(request));
    expect(second.update?.id).toBe(first.update?.id);
  });

  it.each([
    [
      'skips a minor',
      'alpha',
      '1.33',
      'InvalidParameterException',
      'Unsupported Kubernetes minor version update from 1.31 to 1.33',
    ],
    [
      'stays on its version',
      'alpha',
      '1.31',
      'InvalidParameterException',
      'Unsupported Kubernetes minor version update from 1.31 to 1.31',
    ],
    [
      'targets an unreleased version',
      'omega',
      '1.35',
      'InvalidParameterException',
      'Unsupported Kubernetes minor version update from 1.34 to 1.35',
    ],
  ])('rejects an update that %s', async (_case, name, version, errorName, message) => {
    const region = name === 'omega' ? 'us-west-2' : 'eu-west-1';
    const client = clients(sim, region, await assumeInto(sim, MEMBER)).eks;
    const error = await rejection(client.send(new UpdateClusterVersionCommand({ name, version })));
    expect([error.name, error.message]).toEqual([errorName, message]);
  });

  it('rejects an update while a managed node group is behind, naming the node group', async () => {
    const error = await rejection(eks.send(new UpdateClusterVersionCommand({ name: 'beta', version: '1.31' })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain('ng-old');
  });

  it('refuses an upgrade with an ERROR insight for the target unless forced', async () => {
    const refused = await rejection(eks.send(new UpdateClusterVersionCommand({ name: 'gamma', version: '1.33' })));
    const forced = await eks.send(new UpdateClusterVersionCommand({ name: 'gamma', version: '1.33', force: true }));
    expect(refused.name).toBe('InvalidStateException');
    expect(forced.update?.status).toBe('InProgress');
  });

  it('ends Failed for a cluster with fault UPDATE_FAILS and leaves the version unchanged', async () => {
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'gamma', version: '1.33', force: true }));
    clock += 10 * MINUTE;
    const failed = await eks.send(new DescribeUpdateCommand({ name: 'gamma', updateId: update?.id ?? '' }));
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'gamma' }));
    expect(failed.update?.status).toBe('Failed');
    expect(failed.update?.errors?.[0]).toMatchObject({ errorCode: 'Other', resourceIds: ['gamma'] });
    expect(cluster).toMatchObject({ version: '1.32', status: 'ACTIVE' });
  });

  it('writes the new version and versionSince into the snapshot', async () => {
    await eks.send(new UpdateClusterVersionCommand({ name: 'alpha', version: '1.32' }));
    clock += 10 * MINUTE;
    const snapshot = parseFleetFile(sim.snapshot());
    const alpha = snapshot.accounts[1]?.regions['eu-west-1']?.clusters.find((c) => c.name === 'alpha');
    expect(alpha).toMatchObject({ version: '1.32', platformVersion: 'eks.1', versionSince: NOW.toISOString() });
    expect(alpha?.updateInProgress).toBeUndefined();
  });
});

describe('update duration 0', () => {
  it('answers InProgress, then applies the update on the next read', async () => {
    const instant = await startSimulator({ fleet: sampleFleet(), now: () => NOW });
    try {
      const client = clients(instant, 'eu-west-1', await assumeInto(instant, MEMBER)).eks;
      const { update } = await client.send(new UpdateClusterVersionCommand({ name: 'alpha', version: '1.32' }));
      const { cluster } = await client.send(new DescribeClusterCommand({ name: 'alpha' }));
      expect(update?.status).toBe('InProgress');
      expect(cluster?.version).toBe('1.32');
    } finally {
      await instant.close();
    }
  });
});

describe('UpdateNodegroupVersion', () => {
  it('moves a node group to the control plane version by default, UPDATING then ACTIVE', async () => {
    const { update } = await eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: 'beta', nodegroupName: 'ng-old' }),
    );
    const during = await eks.send(new DescribeNodegroupCommand({ clusterName: 'beta', nodegroupName: 'ng-old' }));
    clock += 10 * MINUTE;
    const after = await eks.send(new DescribeNodegroupCommand({ clusterName: 'beta', nodegroupName: 'ng-old' }));
    expect(update).toMatchObject({
      type: 'VersionUpdate',
      params: [{ type: 'Version', value: '1.30' }, { type: 'ReleaseVersion' }],
    });
    expect(during.nodegroup?.status).toBe('UPDATING');
    expect(after.nodegroup).toMatchObject({ version: '1.30', status: 'ACTIVE' });
    expect(after.nodegroup?.releaseVersion).toMatch(/^1\.30\.\d+-20260115$/);
  });

  it('finds a node group update only with its nodegroupName, like EKS', async () => {
    const { update } = await eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: 'beta', nodegroupName: 'ng-old' }),
    );
    const id = update?.id ?? '';
    const listed = await eks.send(new ListUpdatesCommand({ name: 'beta', nodegroupName: 'ng-old' }));
    const found = await eks.send(new DescribeUpdateCommand({ name: 'beta', updateId: id, nodegroupName: 'ng-old' }));
    const missing = await rejection(eks.send(new DescribeUpdateCommand({ name: 'beta', updateId: id })));
    expect(listed.updateIds).toEqual([id]);
    expect(found.update?.id).toBe(id);
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it.each([
    ['a version ahead of the control plane', { nodegroupName: 'ng-old', version: '1.31' }],
    ['a version on a custom-AMI node group', { nodegroupName: 'ng-custom', version: '1.30' }],
    ['no launch template on a custom-AMI node group', { nodegroupName: 'ng-custom' }],
  ])('rejects %s with InvalidParameterException', async (_case, request) => {
    const error = await rejection(eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'beta', ...request })));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('moves a custom-AMI node group by launch template version instead', async () => {
    const { update } = await eks.send(
      new UpdateNodegroupVersionCommand({
        clusterName: 'beta',
        nodegroupName: 'ng-custom',
        launchTemplate: { version: '2' },
      }),
    );
    clock += 10 * MINUTE;
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'beta', nodegroupName: 'ng-custom' }),
    );
    expect(update?.params).toEqual([{ type: 'LaunchTemplateVersion', value: '2' }]);
    expect(nodegroup).toMatchObject({ version: '1.30', launchTemplate: { version: '2' } });
  });

  it('ends Failed for a node group with fault UPDATE_FAILS', async () => {
    const { update } = await eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: 'delta', nodegroupName: 'ng-flaky' }),
    );
    clock += 10 * MINUTE;
    const { update: failed } = await eks.send(
      new DescribeUpdateCommand({ name: 'delta', updateId: update?.id ?? '', nodegroupName: 'ng-flaky' }),
    );
    expect(failed?.status).toBe('Failed');
    expect(failed?.errors?.[0]?.resourceIds).toEqual(['ng-flaky']);
  });
});

describe('UpdateAddon', () => {
  it('moves an add-on to a compatible catalog version', async () => {
    const { update } = await eks.send(
      new UpdateAddonCommand({
        clusterName: 'alpha',
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.5-eksbuild.3',
        resolveConflicts: 'OVERWRITE',
      }),
    );
    clock += 10 * MINUTE;
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: 'alpha', addonName: 'vpc-cni' }));
    expect(update).toMatchObject({
      type: 'AddonUpdate',
      params: [
        { type: 'AddonVersion', value: 'v1.19.5-eksbuild.3' },
        { type: 'ResolveConflicts', value: 'OVERWRITE' },
      ],
    });
    expect(addon).toMatchObject({ addonVersion: 'v1.19.5-eksbuild.3', status: 'ACTIVE' });
  });

  it.each([
    ['a version the catalog does not have', 'v9.9.9-eksbuild.1'],
    ['a version incompatible with the cluster', 'v1.12.6-eksbuild.2'],
  ])('rejects %s with InvalidParameterException', async (_case, addonVersion) => {
    const error = await rejection(
      eks.send(new UpdateAddonCommand({ clusterName: 'alpha', addonName: 'vpc-cni', addonVersion })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('ends Failed for an add-on with fault UPDATE_FAILS and keeps its version', async () => {
    const { update } = await eks.send(
      new UpdateAddonCommand({
        clusterName: 'delta',
        addonName: 'aws-ebs-csi-driver',
        addonVersion: 'v1.48.0-eksbuild.1',
      }),
    );
    clock += 10 * MINUTE;
    const { update: failed } = await eks.send(
      new DescribeUpdateCommand({ name: 'delta', updateId: update?.id ?? '', addonName: 'aws-ebs-csi-driver' }),
    );
    const { addon } = await eks.send(
      new DescribeAddonCommand({ clusterName: 'delta', addonName: 'aws-ebs-csi-driver' }),
    );
    expect(failed?.status).toBe('Failed');
    expect(addon?.addonVersion).toBe('v1.45.0-eksbuild.2');
  });
});

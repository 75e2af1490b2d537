/**
 * The simulator's create operations on the real EKS wire protocol: what they build, and AWS's error shapes for
 * duplicates (ResourceInUseException, 409) and bad input (InvalidParameterException, 400).
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  DescribePodIdentityAssociationCommand,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFleetFile, startSimulator } from '../../functions/sim/index.ts';
import type { Simulator } from '../../functions/sim/index.ts';
import { MEMBER, NOW, assumeInto, clients, rejection, sampleFleet } from './sim-fixtures.ts';

const SUBNETS = ['subnet-0aaa', 'subnet-0bbb'];
const ROLE = `arn:aws:iam::${MEMBER}:role/eks-cluster-role`;
const NODE_ROLE = `arn:aws:iam::${MEMBER}:role/eks-node-role`;

let sim: Simulator;
let eks: EKSClient;

beforeAll(async () => {
  sim = await startSimulator({ fleet: sampleFleet(), now: () => NOW });
  eks = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER)).eks;
  await eks.send(
    new CreateClusterCommand({
      name: 'fresh',
      version: '1.33',
      roleArn: ROLE,
      resourcesVpcConfig: { subnetIds: SUBNETS, endpointPublicAccess: false, endpointPrivateAccess: true },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
      tags: { team: 'payments' },
    }),
  );
});

afterAll(async () => {
  await sim.close();
});

describe('CreateCluster', () => {
  it('creates a cluster that ListClusters and DescribeCluster then show, with what was asked for', async () => {
    const { clusters } = await eks.send(new ListClustersCommand({}));
    expect(clusters).toContain('fresh');
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'fresh' }));
    expect(cluster).toMatchObject({
      version: '1.33',
      status: 'ACTIVE',
      roleArn: ROLE,
      resourcesVpcConfig: { subnetIds: SUBNETS, endpointPublicAccess: false, endpointPrivateAccess: true },
      accessConfig: { authenticationMode: 'API' },
      upgradePolicy: { supportType: 'STANDARD' },
      tags: { team: 'payments' },
    });
    expect(cluster?.logging?.clusterLogging?.[0]).toEqual({ types: ['api', 'audit'], enabled: true });
  });

  it('answers CREATING, and gives the creator an admin access entry unless told not to', async () => {
    const { cluster } = await eks.send(
      new CreateClusterCommand({
        name: 'boot',
        version: '1.33',
        roleArn: ROLE,
        resourcesVpcConfig: { subnetIds: SUBNETS },
      }),
    );
    expect(cluster?.status).toBe('CREATING');
    const { accessEntries } = await eks.send(new ListAccessEntriesCommand({ clusterName: 'boot' }));
    expect(accessEntries).toHaveLength(1);
    expect((await eks.send(new ListAccessEntriesCommand({ clusterName: 'fresh' }))).accessEntries).toEqual([]);
  });

  it.each([
    ['a duplicate name', { name: 'alpha' }, 'ResourceInUseException', 409],
    ['one subnet', { resourcesVpcConfig: { subnetIds: ['subnet-0aaa'] } }, 'InvalidParameterException', 400],
    ['an unknown version', { version: '1.99' }, 'InvalidParameterException', 400],
    ['a bad name', { name: '-bad' }, 'InvalidParameterException', 400],
    ['half of Auto Mode', { computeConfig: { enabled: true } }, 'InvalidParameterException', 400],
    ['no role', { roleArn: undefined }, 'InvalidParameterException', 400],
  ])('refuses %s like EKS', async (_, change, name, status) => {
    const error = await rejection(
      eks.send(
        new CreateClusterCommand({
          name: 'other',
          version: '1.33',
          roleArn: ROLE,
          resourcesVpcConfig: { subnetIds: SUBNETS },
          ...change,
        } as never),
      ),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual([name, status]);
  });
});

describe('CreateNodegroup', () => {
  it('creates a node group at the cluster version with its scaling, labels and taints', async () => {
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: 'fresh',
        nodegroupName: 'web',
        subnets: SUBNETS,
        nodeRole: NODE_ROLE,
        scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 3 },
        instanceTypes: ['m7i.large'],
        capacityType: 'SPOT',
        labels: { tier: 'web' },
        taints: [{ key: 'dedicated', value: 'web', effect: 'NO_SCHEDULE' }],
        version: '1.33',
      }),
    );
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'fresh', nodegroupName: 'web' }));
    expect(nodegroup).toMatchObject({
      version: '1.33',
      status: 'ACTIVE',
      scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 3 },
      instanceTypes: ['m7i.large'],
      capacityType: 'SPOT',
      labels: { tier: 'web' },
      taints: [{ key: 'dedicated', value: 'web', effect: 'NO_SCHEDULE' }],
      amiType: 'AL2023_x86_64_STANDARD',
    });
    const { accessEntry } = await eks.send(
      new DescribeAccessEntryCommand({ clusterName: 'fresh', principalArn: NODE_ROLE }),
    );
    expect(accessEntry?.type).toBe('EC2_LINUX');
  });

  it('takes a launch template without an AMI type as a custom AMI', async () => {
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: 'fresh',
        nodegroupName: 'gpu',
        subnets: SUBNETS,
        nodeRole: NODE_ROLE,
        launchTemplate: { id: 'lt-0123', version: '4' },
      }),
    );
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'fresh', nodegroupName: 'gpu' }));
    expect(nodegroup).toMatchObject({ amiType: 'CUSTOM', launchTemplate: { id: 'lt-0123', version: '4' } });
  });

  it.each([
    ['a duplicate', { nodegroupName: 'web' }, 'ResourceInUseException'],
    ['another version', { version: '1.32' }, 'InvalidParameterException'],
    ['min above max', { scalingConfig: { minSize: 5, maxSize: 2, desiredSize: 3 } }, 'InvalidParameterException'],
    ['a bad taint effect', { taints: [{ key: 'a', effect: 'NEVER' }] }, 'InvalidParameterException'],
    [
      'a disk size with a launch template',
      { launchTemplate: { id: 'lt-1' }, diskSize: 40 },
      'InvalidParameterException',
    ],
    ['an unknown cluster', { clusterName: 'nope' }, 'ResourceNotFoundException'],
  ])('refuses %s', async (_, change, name) => {
    const error = await rejection(
      eks.send(
        new CreateNodegroupCommand({
          clusterName: 'fresh',
          nodegroupName: 'new',
          subnets: SUBNETS,
          nodeRole: NODE_ROLE,
          ...change,
        } as never),
      ),
    );
    expect(error.name).toBe(name);
  });
});

describe('CreateAddon', () => {
  it('installs a compatible version with its configuration, IRSA role and pod identity association', async () => {
    await eks.send(
      new CreateAddonCommand({
        clusterName: 'fresh',
        addonName: 'aws-ebs-csi-driver',
        addonVersion: 'v1.45.0-eksbuild.2',
        configurationValues: '{"controller":{"replicaCount":3}}',
        podIdentityAssociations: [
          { serviceAccount: 'ebs-csi-controller-sa', roleArn: `arn:aws:iam::${MEMBER}:role/ebs` },
        ],
      }),
    );
    await eks.send(
      new CreateAddonCommand({
        clusterName: 'fresh',
        addonName: 'vpc-cni',
        serviceAccountRoleArn: `arn:aws:iam::${MEMBER}:role/cni`,
      }),
    );
    const { addon } = await eks.send(
      new DescribeAddonCommand({ clusterName: 'fresh', addonName: 'aws-ebs-csi-driver' }),
    );
    expect(addon).toMatchObject({
      addonVersion: 'v1.45.0-eksbuild.2',
      configurationValues: '{"controller":{"replicaCount":3}}',
    });
    const associationId = addon?.podIdentityAssociations?.[0]?.split('/').at(-1) ?? '';
    const { association } = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'fresh', associationId }),
    );
    expect(association).toMatchObject({ serviceAccount: 'ebs-csi-controller-sa', namespace: 'kube-system' });
    const cni = await eks.send(new DescribeAddonCommand({ clusterName: 'fresh', addonName: 'vpc-cni' }));
    expect(cni.addon).toMatchObject({
      addonVersion: 'v1.20.1-eksbuild.1',
      serviceAccountRoleArn: `arn:aws:iam::${MEMBER}:role/cni`,
    });
  });

  it.each([
    ['a duplicate', { addonName: 'vpc-cni' }, 'ResourceInUseException'],
    ['an unknown add-on', { addonName: 'made-up' }, 'InvalidParameterException'],
    [
      'an incompatible version',
      { addonName: 'coredns', addonVersion: 'v1.8.7-eksbuild.10' },
      'InvalidParameterException',
    ],
    [
      'broken JSON values',
      { addonName: 'coredns', configurationValues: '{"replicaCount":' },
      'InvalidParameterException',
    ],
  ])('refuses %s', async (_, change, name) => {
    const error = await rejection(eks.send(new CreateAddonCommand({ clusterName: 'fresh', ...change } as never)));
    expect(error.name).toBe(name);
  });
});

describe('access entries', () => {
  const admin = `arn:aws:iam::${MEMBER}:role/team-admin`;

  it('creates an entry, associates a namespaced policy and lists both', async () => {
    await eks.send(
      new CreateAccessEntryCommand({ clusterName: 'fresh', principalArn: admin, kubernetesGroups: ['admins'] }),
    );
    await eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: 'fresh',
        principalArn: admin,
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
        accessScope: { type: 'namespace', namespaces: ['web'] },
      }),
    );
    const { accessEntries } = await eks.send(new ListAccessEntriesCommand({ clusterName: 'fresh' }));
    expect(accessEntries).toContain(admin);
    const { associatedAccessPolicies } = await eks.send(
      new ListAssociatedAccessPoliciesCommand({ clusterName: 'fresh', principalArn: admin }),
    );
    expect(associatedAccessPolicies?.map((p) => [p.policyArn, p.accessScope])).toEqual([
      ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', { type: 'namespace', namespaces: ['web'] }],
    ]);
  });

  it.each([
    [
      'a duplicate entry',
      () => new CreateAccessEntryCommand({ clusterName: 'fresh', principalArn: admin }),
      'ResourceInUseException',
    ],
    [
      'a node entry with groups',
      () =>
        new CreateAccessEntryCommand({
          clusterName: 'fresh',
          principalArn: `arn:aws:iam::${MEMBER}:role/n2`,
          type: 'EC2_LINUX',
          kubernetesGroups: ['x'],
        }),
      'InvalidParameterException',
    ],
    [
      'a principal that is no ARN',
      () => new CreateAccessEntryCommand({ clusterName: 'fresh', principalArn: 'bob' }),
      'InvalidParameterException',
    ],
    [
      'a policy on a node entry',
      () =>
        new AssociateAccessPolicyCommand({
          clusterName: 'fresh',
          principalArn: NODE_ROLE,
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
          accessScope: { type: 'cluster' },
        }),
      'InvalidParameterException',
    ],
    [
      'a namespace scope without namespaces',
      () =>
        new AssociateAccessPolicyCommand({
          clusterName: 'fresh',
          principalArn: admin,
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
          accessScope: { type: 'namespace' },
        }),
      'InvalidParameterException',
    ],
    [
      'an unknown principal',
      () => new DescribeAccessEntryCommand({ clusterName: 'fresh', principalArn: `arn:aws:iam::${MEMBER}:role/ghost` }),
      'ResourceNotFoundException',
    ],
  ])('refuses %s', async (_, command, name) => {
    const error = await rejection(eks.send(command() as never));
    expect(error.name).toBe(name);
  });
});

describe('CreateFargateProfile', () => {
  it('creates a profile with its selectors, listed and described', async () => {
    await eks.send(
      new CreateFargateProfileCommand({
        clusterName: 'fresh',
        fargateProfileName: 'jobs',
        podExecutionRoleArn: `arn:aws:iam::${MEMBER}:role/fargate`,
        selectors: [{ namespace: 'jobs', labels: { runner: 'fargate' } }],
      }),
    );
    expect((await eks.send(new ListFargateProfilesCommand({ clusterName: 'fresh' }))).fargateProfileNames).toEqual([
      'jobs',
    ]);
    const { fargateProfile } = await eks.send(
      new DescribeFargateProfileCommand({ clusterName: 'fresh', fargateProfileName: 'jobs' }),
    );
    expect(fargateProfile).toMatchObject({
      status: 'ACTIVE',
      subnets: SUBNETS,
      selectors: [{ namespace: 'jobs', labels: { runner: 'fargate' } }],
    });
  });

  it.each([
    ['a duplicate', { fargateProfileName: 'jobs' }, 'ResourceInUseException'],
    ['no selectors', { selectors: [] }, 'InvalidParameterException'],
  ])('refuses %s', async (_, change, name) => {
    const error = await rejection(
      eks.send(
        new CreateFargateProfileCommand({
          clusterName: 'fresh',
          fargateProfileName: 'more',
          podExecutionRoleArn: `arn:aws:iam::${MEMBER}:role/fargate`,
          selectors: [{ namespace: 'more' }],
          ...change,
        } as never),
      ),
    );
    expect(error.name).toBe(name);
  });

  it('keeps what was created in the snapshot, which parses as a fleet file', () => {
    const fresh = sim
      .snapshot()
      .accounts.find((a) => a.id === MEMBER)
      ?.regions['eu-west-1']?.clusters.find((c) => c.name === 'fresh');
    expect(fresh).toMatchObject({
      version: '1.33',
      networking: { subnetIds: SUBNETS, endpointPublicAccess: false },
      fargateProfiles: [{ name: 'jobs', selectors: [{ namespace: 'jobs', labels: { runner: 'fargate' } }] }],
    });
    expect(fresh?.nodegroups?.find((n) => n.name === 'web')).toMatchObject({
      labels: { tier: 'web' },
      capacityType: 'SPOT',
    });
  });
});

describe('fleet-file blue/green facts', () => {
  it('rejects a Fargate profile or an access entry listed twice, and unknown fields', () => {
    const fleet = (extra: Record<string, unknown>): unknown => ({
      accounts: [{ id: MEMBER, regions: { 'eu-west-1': { clusters: [{ name: 'c', version: '1.33', ...extra }] } } }],
    });
    expect(() => parseFleetFile(fleet({ fargateProfiles: ['jobs', { name: 'jobs' }] }))).toThrow(
      'fargateProfiles[1]: "jobs" is listed twice',
    );
    const entry = { principalArn: `arn:aws:iam::${MEMBER}:role/a` };
    expect(() => parseFleetFile(fleet({ accessEntries: [entry, entry] }))).toThrow(
      'accessEntries[1].principalArn: "arn:aws:iam::222222222222:role/a" is listed twice',
    );
    expect(() => parseFleetFile(fleet({ networking: { subnets: ['x'] } }))).toThrow('unknown field "subnets"');
  });
});

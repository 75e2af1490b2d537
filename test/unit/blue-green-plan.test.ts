import { describe, expect, it } from 'vitest';
import {
  planBlueGreen,
  replacementName,
  type BlueGreenInput,
  type PlanRequest,
} from '../../functions/core/blue-green-plan.ts';
import type { ClusterDefinition, NodegroupDefinition } from '../../functions/core/cluster-definition.ts';
import { amiFamilyOf, eksctlClusterConfig, eksctlYaml } from '../../functions/core/eksctl-config.ts';
import type { AddonCatalog } from '../../functions/core/types.ts';
import { toYaml } from '../../functions/core/yaml-writer.ts';

const ACCOUNT = '111122223333';

const CATALOG: AddonCatalog = {
  'vpc-cni': [{ version: 'v1.20.4-eksbuild.2', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] }],
  legacy: [{ version: 'v0.1', compatibleWith: ['1.33'], defaultFor: ['1.33'] }],
};

const nodegroup = (name: string, overrides: Partial<NodegroupDefinition> = {}): NodegroupDefinition => ({
  name,
  version: '1.33',
  amiType: 'AL2023_x86_64_STANDARD',
  capacityType: 'ON_DEMAND',
  scaling: { minSize: 1, maxSize: 5, desiredSize: 2 },
  instanceTypes: ['m7i.large'],
  labels: { tier: name },
  taints: [],
  diskSize: 20,
  subnets: ['subnet-a', 'subnet-b'],
  nodeRole: `arn:aws:iam::${ACCOUNT}:role/nodes`,
  launchTemplate: null,
  maxUnavailable: null,
  maxUnavailablePercentage: null,
  remoteAccessKey: null,
  tags: {},
  ...overrides,
});

const DEFINITION: ClusterDefinition = {
  accountId: ACCOUNT,
  region: 'eu-west-1',
  name: 'payments',
  arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/payments`,
  version: '1.33',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/cluster`,
  tags: { team: 'payments' },
  networking: {
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-1'],
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
    publicAccessCidrs: ['203.0.113.0/24'],
    serviceIpv4Cidr: '172.20.0.0/16',
    ipFamily: 'ipv4',
  },
  enabledLogTypes: ['api', 'audit'],
  encryptionKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`,
  authenticationMode: 'API',
  supportType: 'STANDARD',
  autoMode: null,
  nodegroups: [
    nodegroup('web', {
      taints: [
        { key: 'dedicated', value: 'web', effect: 'NO_SCHEDULE' },
        { key: 'spot', value: null, effect: 'PREFER_NO_SCHEDULE' },
      ],
      capacityType: 'SPOT',
      maxUnavailable: 2,
      tags: { cost: 'web' },
    }),
    nodegroup('gpu', {
      amiType: 'CUSTOM',
      diskSize: null,
      instanceTypes: [],
      launchTemplate: { id: 'lt-1', name: 'gpu-lt', version: '3' },
      maxUnavailablePercentage: 25,
      remoteAccessKey: 'ops-key',
    }),
    nodegroup('odd', {
      scaling: null,
      launchTemplate: { id: null, name: 'odd-lt', version: null },
      amiType: null,
      capacityType: null,
    }),
  ],
  addons: [
    {
      name: 'vpc-cni',
      version: 'v1.19.5-eksbuild.3',
      configurationValues: '{"env":{}}',
      serviceAccountRoleArn: `arn:aws:iam::${ACCOUNT}:role/cni`,
      podIdentityAssociations: [
        { serviceAccount: 'aws-node', namespace: 'kube-system', roleArn: `arn:aws:iam::${ACCOUNT}:role/pi` },
      ],
      tags: { owner: 'net' },
    },
    {
      name: 'legacy',
      version: 'v0.1',
      configurationValues: null,
      serviceAccountRoleArn: null,
      podIdentityAssociations: [],
      tags: {},
    },
  ],
  accessEntries: [
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
      type: 'STANDARD',
      username: 'deployer',
      kubernetesGroups: ['deployers'],
      policies: [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
          scopeType: 'namespace',
          namespaces: ['web'],
        },
      ],
      tags: { why: 'ci' },
    },
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
      type: 'EC2_LINUX',
      username: 'system:node:{{EC2PrivateDNSName}}',
      kubernetesGroups: ['system:nodes'],
      policies: [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
          scopeType: 'cluster',
          namespaces: [],
        },
      ],
      tags: {},
    },
  ],
  fargateProfiles: [
    {
      name: 'jobs',
      podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargate`,
      subnets: ['subnet-a'],
      selectors: [
        { namespace: 'jobs', labels: { runner: 'fargate' } },
        { namespace: 'batch', labels: {} },
      ],
      tags: {},
    },
  ],
  unread: [{ operation: 'ListAddons/DescribeAddon', message: 'AccessDeniedException' }],
};

const INPUT: BlueGreenInput = {
  definition: DEFINITION,
  target: '1.36',
  catalog: CATALOG,
  deadline: { date: '2026-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: 10 },
  suspectedSelfManaged: true,
};

const ops = (requests: readonly PlanRequest[]): string[] => requests.map((r) => r.operation);
const inputOf = (requests: readonly PlanRequest[], op: string, index = 0): Record<string, unknown> =>
  (requests.filter((r) => r.operation === op)[index]?.input ?? {}) as Record<string, unknown>;

describe('replacementName', () => {
  it.each([
    ['payments', '1.36', 'payments-136'],
    ['payments-135', '1.36', 'payments-136'],
    ['api-v2', '1.36', 'api-v2-136'],
    ['x'.repeat(100), '1.36', `${'x'.repeat(96)}-136`],
  ])('names the replacement of %s at %s %s', (name, target, expected) => {
    expect(replacementName(name, target)).toBe(expected);
  });
});

describe('planBlueGreen', () => {
  const plan = planBlueGreen(INPUT);

  it('orders the requests: cluster, access entries with their policies, add-ons, node groups, Fargate profiles', () => {
    expect(ops(plan.requests)).toEqual([
      'CreateCluster',
      'CreateAccessEntry',
      'AssociateAccessPolicy',
      'CreateAccessEntry',
      'AssociateAccessPolicy',
      'CreateAddon',
      'CreateNodegroup',
      'CreateNodegroup',
      'CreateNodegroup',
      'CreateFargateProfile',
    ]);
    expect(plan.requests.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan.requests.map((r) => r.waitFor).filter((w) => w !== null)).toEqual([
      'ClusterActive',
      'NodegroupActive',
      'NodegroupActive',
      'NodegroupActive',
      'FargateProfileActive',
    ]);
  });

  it('clones the control plane at the target, without bootstrapping the caller as admin', () => {
    expect(inputOf(plan.requests, 'CreateCluster')).toEqual({
      name: 'payments-136',
      version: '1.36',
      roleArn: DEFINITION.roleArn,
      resourcesVpcConfig: {
        subnetIds: ['subnet-a', 'subnet-b'],
        securityGroupIds: ['sg-1'],
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: DEFINITION.encryptionKeyArn } }],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
      tags: { team: 'payments' },
    });
  });

  it('keeps usernames and groups only for STANDARD entries, and scopes policies as they were', () => {
    expect(inputOf(plan.requests, 'CreateAccessEntry', 0)).toMatchObject({
      username: 'deployer',
      kubernetesGroups: ['deployers'],
      tags: { why: 'ci' },
    });
    expect(inputOf(plan.requests, 'CreateAccessEntry', 1)).toEqual({
      clusterName: 'payments-136',
      principalArn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
      type: 'EC2_LINUX',
    });
    expect(inputOf(plan.requests, 'AssociateAccessPolicy', 0).accessScope).toEqual({
      type: 'namespace',
      namespaces: ['web'],
    });
    expect(inputOf(plan.requests, 'AssociateAccessPolicy', 1).accessScope).toEqual({ type: 'cluster' });
  });

  it('creates add-ons at the recommended version for the target with their configuration, and lists the rest', () => {
    expect(inputOf(plan.requests, 'CreateAddon')).toEqual({
      clusterName: 'payments-136',
      addonName: 'vpc-cni',
      addonVersion: 'v1.20.4-eksbuild.2',
      resolveConflicts: 'OVERWRITE',
      configurationValues: '{"env":{}}',
      serviceAccountRoleArn: `arn:aws:iam::${ACCOUNT}:role/cni`,
      podIdentityAssociations: [{ serviceAccount: 'aws-node', roleArn: `arn:aws:iam::${ACCOUNT}:role/pi` }],
      tags: { owner: 'net' },
    });
    expect(plan.notCloned.find((n) => n.what === 'add-on legacy (v0.1)')?.reason).toContain(
      'no version of legacy for 1.36',
    );
  });

  it('creates node groups at the target; a custom AMI keeps its launch template and gets no version', () => {
    const web = inputOf(plan.requests, 'CreateNodegroup', 0);
    expect(web).toMatchObject({
      version: '1.36',
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'SPOT',
      diskSize: 20,
      labels: { tier: 'web' },
      taints: [
        { key: 'dedicated', value: 'web', effect: 'NO_SCHEDULE' },
        { key: 'spot', effect: 'PREFER_NO_SCHEDULE' },
      ],
      updateConfig: { maxUnavailable: 2 },
      tags: { cost: 'web' },
    });
    const gpu = inputOf(plan.requests, 'CreateNodegroup', 1);
    expect(gpu).toMatchObject({
      launchTemplate: { id: 'lt-1', version: '3' },
      updateConfig: { maxUnavailablePercentage: 25 },
    });
    expect(Object.keys(gpu)).not.toContain('version');
    expect(Object.keys(gpu)).not.toContain('amiType');
    expect(Object.keys(gpu)).not.toContain('diskSize');
    const odd = inputOf(plan.requests, 'CreateNodegroup', 2);
    expect(odd.launchTemplate).toEqual({ name: 'odd-lt' });
    expect(Object.keys(odd)).not.toContain('scalingConfig');
  });

  it('copies Fargate selectors, labels only where there are some', () => {
    expect(inputOf(plan.requests, 'CreateFargateProfile').selectors).toEqual([
      { namespace: 'jobs', labels: { runner: 'fargate' } },
      { namespace: 'batch' },
    ]);
  });

  it('lists what is not cloned, prerequisites first, never guessing', () => {
    expect(plan.notCloned.map((n) => [n.prerequisite, n.what])).toEqual([
      [true, 'the custom AMI of node group gpu'],
      [true, `trust of the IRSA role(s) arn:aws:iam::${ACCOUNT}:role/cni`],
      [true, 'security group rules'],
      [false, 'IAM roles themselves'],
      [true, 'what ListAddons/DescribeAddon would have told'],
      [false, 'self-managed nodes (suspected from insights)'],
      [false, 'remote access of node group gpu (key ops-key)'],
      [false, 'workloads and in-cluster state'],
      [false, 'add-on legacy (v0.1)'],
    ]);
  });

  it('gives the cut-over with the old cluster figures and the deadline the way back cannot outlive', () => {
    expect(plan.checklist.map((s) => s.code)).toEqual([
      'BUILD',
      'DEPLOY',
      'WARM_LOAD_BALANCERS',
      'RAISE_HPA_MINIMUMS',
      'SINGLETONS_LAST',
      'SHIFT_TRAFFIC',
      'KEEP_WAY_BACK',
      'RETIRE',
    ]);
    const hpa = plan.checklist[3]?.action ?? '';
    expect(hpa).toContain('web: 2 nodes now (min 1, max 5), m7i.large');
    expect(hpa).toContain('gpu: 2 nodes now (min 1, max 5), launch-template instance type');
    expect(hpa).toContain('odd: scaling unknown');
    expect(hpa).toContain('keep at least 4 nodes on each side');
    expect(hpa).toContain('Fargate profiles jobs');
    expect(plan.checklist[6]?.action).toContain('cannot be kept past 2026-12-02 (AWS upgrades it then)');
  });

  it('clones an Auto Mode, CONFIG_MAP cluster with private endpoint, and says when billing is the limit', () => {
    const auto = planBlueGreen({
      definition: {
        ...DEFINITION,
        networking: { ...DEFINITION.networking, endpointPublicAccess: false, ipFamily: null, serviceIpv4Cidr: null },
        enabledLogTypes: [],
        encryptionKeyArn: null,
        authenticationMode: 'CONFIG_MAP',
        supportType: null,
        autoMode: { nodePools: ['general-purpose'], nodeRoleArn: null },
        nodegroups: [],
        addons: [],
        accessEntries: [],
        fargateProfiles: [],
        unread: [],
        tags: {},
      },
      target: '1.36',
      catalog: CATALOG,
      strategy: { recommended: 'BLUE_GREEN', reasons: [] },
      deadline: { date: '2027-01-01', consequence: 'EXTENDED_BILLING', daysRemaining: 40 },
    });
    expect(auto.strategy?.recommended).toBe('BLUE_GREEN');
    expect(ops(auto.requests)).toEqual(['CreateCluster']);
    expect(inputOf(auto.requests, 'CreateCluster')).toEqual({
      name: 'payments-136',
      version: '1.36',
      roleArn: DEFINITION.roleArn,
      resourcesVpcConfig: {
        subnetIds: ['subnet-a', 'subnet-b'],
        securityGroupIds: ['sg-1'],
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
      },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      computeConfig: { enabled: true, nodePools: ['general-purpose'] },
      storageConfig: { blockStorage: { enabled: true } },
    });
    expect(auto.notCloned.map((n) => n.what)).toContain('the aws-auth ConfigMap');
    expect(auto.checklist[3]?.action).toContain('Auto Mode node pools general-purpose');
    expect(auto.checklist[6]?.action).toContain('extended-support billing starts then');
  });

  it('works without optional inputs', () => {
    const bare = planBlueGreen({
      definition: { ...DEFINITION, nodegroups: [], fargateProfiles: [] },
      target: '1.36',
      catalog: {},
    });
    expect(bare.strategy).toBeNull();
    expect(bare.checklist[3]?.action).toContain('none readable');
    expect(bare.checklist[6]?.action).not.toContain('cannot be kept past');
  });
});

describe('eksctl ClusterConfig', () => {
  const plan = planBlueGreen(INPUT);

  it.each([
    ['AL2023_ARM_64_STANDARD', 'AmazonLinux2023'],
    ['AL2_x86_64_GPU', 'AmazonLinux2'],
    ['BOTTLEROCKET_x86_64', 'Bottlerocket'],
    ['WINDOWS_CORE_2022_x86_64', 'WindowsServer2022CoreContainer'],
    ['WINDOWS_FULL_2019_x86_64', 'WindowsServer2019FullContainer'],
    ['CUSTOM', null],
    [undefined, null],
  ])('maps AMI type %s to amiFamily %s', (amiType, family) => {
    expect(amiFamilyOf(amiType)).toBe(family);
  });

  it('carries the same facts as the requests, in eksctl spelling', () => {
    const config = eksctlClusterConfig(plan, 'vpc-1') as Record<string, Record<string, unknown>>;
    expect(config.metadata).toEqual({
      name: 'payments-136',
      region: 'eu-west-1',
      version: '1.36',
      tags: { team: 'payments' },
    });
    expect(config.iam).toEqual({ serviceRoleARN: DEFINITION.roleArn, withOIDC: true });
    expect(config.vpc).toMatchObject({ id: 'vpc-1', securityGroup: 'sg-1', publicAccessCIDRs: ['203.0.113.0/24'] });
    expect(config.kubernetesNetworkConfig).toEqual({ ipFamily: 'IPv4', serviceIPv4CIDR: '172.20.0.0/16' });
    expect(config.cloudWatch).toEqual({ clusterLogging: { enableTypes: ['api', 'audit'] } });
    expect(config.secretsEncryption).toEqual({ keyARN: DEFINITION.encryptionKeyArn });
    const [web, gpu] = config.managedNodeGroups as unknown as Record<string, unknown>[];
    expect(web).toMatchObject({
      amiFamily: 'AmazonLinux2023',
      spot: true,
      desiredCapacity: 2,
      taints: [
        { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
        { key: 'spot', effect: 'PreferNoSchedule' },
      ],
    });
    expect(gpu).toMatchObject({ launchTemplate: { id: 'lt-1', version: '3' } });
    expect(Object.keys(gpu ?? {})).not.toContain('amiFamily');
    expect(config.addons).toEqual([
      {
        name: 'vpc-cni',
        version: 'v1.20.4-eksbuild.2',
        resolveConflicts: 'overwrite',
        configurationValues: '{"env":{}}',
        serviceAccountRoleARN: `arn:aws:iam::${ACCOUNT}:role/cni`,
        podIdentityAssociations: [
          { namespace: 'kube-system', serviceAccountName: 'aws-node', roleARN: `arn:aws:iam::${ACCOUNT}:role/pi` },
        ],
        tags: { owner: 'net' },
      },
    ]);
  });

  it('comments what eksctl cannot hold: public subnets, extra security groups, what is not cloned', () => {
    const twoGroups = planBlueGreen({
      ...INPUT,
      definition: {
        ...DEFINITION,
        networking: { ...DEFINITION.networking, securityGroupIds: ['sg-1', 'sg-2'], ipFamily: 'ipv6' },
      },
    });
    const yaml = eksctlYaml(twoGroups, null);
    expect(yaml).toContain('# eksctl takes one control-plane security group; the old cluster also had sg-2.');
    expect(yaml).toContain('# Subnets are listed under private by id');
    expect(yaml).toContain('ipFamily: "IPv6"');
    expect(yaml).not.toContain('securityGroup:');
    expect(yaml.startsWith('# Replacement of arn:aws:eks:eu-west-1:111122223333:cluster/payments (1.33) at 1.36')).toBe(
      true,
    );
  });
});

describe('toYaml', () => {
  it('writes block mappings and sequences, quoting every string and awkward keys', () => {
    expect(
      toYaml(
        {
          kind: 'ClusterConfig',
          'needs quote': 1.5,
          yes: true,
          empty: [],
          none: {},
          nothing: null,
          list: ['a', { k: 'v', l: ['x'] }, [], [1, 2]],
        },
        ['header'],
      ),
    ).toBe(
      [
        '# header',
        'kind: "ClusterConfig"',
        '"needs quote": 1.5',
        '"yes": true',
        'empty: []',
        'none: {}',
        'nothing: null',
        'list:',
        '  - "a"',
        '  - k: "v"',
        '    l:',
        '      - "x"',
        '  - []',
        '  - - 1',
        '    - 2',
        '',
      ].join('\n'),
    );
  });
});

/**
 * The EKS operations that build a cluster (DESIGN §7.2, blue/green): CreateCluster, CreateNodegroup, CreateAddon,
 * CreateFargateProfile, CreateAccessEntry, AssociateAccessPolicy, and the reads of what they create
 * (ListAccessEntries, DescribeAccessEntry, ListAssociatedAccessPolicies, DescribeFargateProfile,
 * DescribePodIdentityAssociation), validated as EKS does: a duplicate is ResourceInUseException (409), a bad or
 * missing parameter InvalidParameterException (400), an unknown cluster or entry ResourceNotFoundException (404).
 *
 * Decisions where EKS's behaviour cannot be simulated exactly:
 * - Creation completes at once: the Create* response says CREATING, the next Describe ACTIVE.
 * - A launch template given without an `amiType` is taken to carry its own image (EKS then reports amiType
 *   CUSTOM); its node group runs the control plane's version, as an image built for it would.
 * - `clientRequestToken` is accepted and not replayed.
 */
import { defaultPlatformVersion, amiReleaseVersion, DEFAULT_AMI_TYPE } from './defaults.ts';
import {
  accessEntryArn,
  fargateProfileArn,
  LOG_TYPES,
  defaultUsername,
  podIdentityAssociationArn,
  type SimAccessEntry,
  type SimClusterConfig,
  type SimTaint,
} from './cluster-config.ts';
import { SimApiError, invalidParameter, resourceInUse, resourceNotFound } from './errors.ts';
import { clusterOf, type EksHandler, type EksInput } from './eks-api.ts';
import { renderAddon, renderCluster, renderNodegroup } from './eks-resources.ts';
import { stableHex, stableUuid } from './ids.ts';
import { paginate } from './pagination.ts';
import type { SimAddon, SimCluster, SimNodegroup } from './state.ts';
import type { ServiceContext } from './wire.ts';
import { compareVersions, isVersion } from './version-math.ts';

type Body = Readonly<Record<string, unknown>>;

const NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const TAINT_EFFECTS = new Set(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']);
const ACCESS_ENTRY_TYPES = new Set(['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX']);
const NODE_ENTRY_TYPES = new Set(['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX']);

function object(body: Body, key: string): Body | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`${key} must be an object`);
  return value as Body;
}

function string(body: Body, key: string, required = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw invalidParameter(`${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

function strings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidParameter(`${key} must be a list of strings`);
  }
  return value as string[];
}

function stringMap(body: Body, key: string): Record<string, string> | undefined {
  const value = object(body, key);
  if (value === undefined) return undefined;
  if (Object.values(value).some((v) => typeof v !== 'string')) throw invalidParameter(`${key} must map strings`);
  return { ...(value as Record<string, string>) };
}

function bool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(`${key} must be a boolean`);
  return value;
}

function integer(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParameter(`${key} must be an integer`);
  return value;
}

function list(ctx: ServiceContext, input: EksInput, items: readonly string[]): { items: string[]; nextToken?: string } {
  return paginate(
    items,
    { maxResults: input.query.get('maxResults') ?? undefined, nextToken: input.query.get('nextToken') ?? undefined },
    { pageSize: ctx.pageSize, limit: 100, invalid: (message) => invalidParameter(message) },
  );
}

function tagsOf(body: Body): Record<string, string> {
  const tags = stringMap(body, 'tags') ?? {};
  const reserved = Object.keys(tags).find((key) => key.toLowerCase().startsWith('aws:'));
  if (reserved !== undefined) throw invalidParameter(`Tag keys starting with aws: are reserved: ${reserved}`);
  return tags;
}

/** The caller's account-region cluster map; AccessDeniedException for an account the fleet does not hold. */
function clustersOfCaller(ctx: ServiceContext): Map<string, SimCluster> {
  const account = ctx.state.accounts.get(ctx.principal.accountId);
  if (account === undefined) {
    throw new SimApiError('AccessDeniedException', 403, `${ctx.principal.arn} may not create clusters here`);
  }
  let clusters = account.regions.get(ctx.region);
  if (clusters === undefined) {
    clusters = new Map();
    account.regions.set(ctx.region, clusters);
  }
  return clusters;
}

function vpcConfigOf(
  body: Body,
): Pick<
  SimClusterConfig,
  'subnetIds' | 'securityGroupIds' | 'endpointPublicAccess' | 'endpointPrivateAccess' | 'publicAccessCidrs'
> {
  const vpc = object(body, 'resourcesVpcConfig');
  if (vpc === undefined) throw invalidParameter('resourcesVpcConfig is required');
  const subnetIds = strings(vpc, 'subnetIds') ?? [];
  if (new Set(subnetIds).size < 2) {
    throw invalidParameter('Subnets specified must be in at least two different AZs');
  }
  const endpointPublicAccess = bool(vpc, 'endpointPublicAccess') ?? true;
  const endpointPrivateAccess = bool(vpc, 'endpointPrivateAccess') ?? false;
  if (!endpointPublicAccess && !endpointPrivateAccess) {
    throw invalidParameter('The cluster endpoint must have public access, private access, or both');
  }
  return {
    subnetIds,
    securityGroupIds: strings(vpc, 'securityGroupIds') ?? [],
    endpointPublicAccess,
    endpointPrivateAccess,
    publicAccessCidrs: strings(vpc, 'publicAccessCidrs') ?? ['0.0.0.0/0'],
  };
}

function enabledLogTypesOf(body: Body): string[] {
  const logging = object(body, 'logging');
  const groups = logging?.clusterLogging;
  if (groups === undefined) return [];
  if (!Array.isArray(groups)) throw invalidParameter('logging.clusterLogging must be a list');
  const enabled: string[] = [];
  for (const group of groups as unknown[]) {
    if (typeof group !== 'object' || group === null) throw invalidParameter('logging.clusterLogging: bad entry');
    const types = strings(group as Body, 'types') ?? [];
    const unknown = types.find((type) => !(LOG_TYPES as readonly string[]).includes(type));
    if (unknown !== undefined) throw invalidParameter(`Unknown log type ${unknown}`);
    if (bool(group as Body, 'enabled') === true) enabled.push(...types);
  }
  return LOG_TYPES.filter((type) => enabled.includes(type));
}

function encryptionKeyOf(body: Body): string | null {
  const config = body.encryptionConfig;
  if (config === undefined || config === null) return null;
  if (!Array.isArray(config) || config.length !== 1) throw invalidParameter('encryptionConfig takes exactly one entry');
  const provider = object(config[0] as Body, 'provider');
  const keyArn = provider === undefined ? undefined : string(provider, 'keyArn');
  if (keyArn === undefined || !/^arn:aws[a-z-]*:kms:/.test(keyArn)) {
    throw invalidParameter('encryptionConfig.provider.keyArn must be a KMS key ARN');
  }
  return keyArn;
}

/** Auto Mode is all three of compute, block storage and load balancing, or none (as EKS requires). */
function autoModeOf(body: Body): boolean {
  const compute = bool(object(body, 'computeConfig') ?? {}, 'enabled') ?? false;
  const storage = bool(object(object(body, 'storageConfig') ?? {}, 'blockStorage') ?? {}, 'enabled') ?? false;
  const network = object(body, 'kubernetesNetworkConfig') ?? {};
  const balancing = bool(object(network, 'elasticLoadBalancing') ?? {}, 'enabled') ?? false;
  if (compute !== storage || compute !== balancing) {
    throw invalidParameter(
      'For EKS Auto Mode, computeConfig.enabled, storageConfig.blockStorage.enabled and ' +
        'kubernetesNetworkConfig.elasticLoadBalancing.enabled must all be true, or all false',
    );
  }
  return compute;
}

const createCluster: EksHandler = (ctx, { body }) => {
  const name = string(body, 'name', true) ?? '';
  if (!NAME.test(name)) throw invalidParameter(`Cluster name ${name} is not valid`);
  const roleArn = string(body, 'roleArn', true) ?? '';
  const version =
    string(body, 'version') ??
    [...ctx.state.calendar].sort((a, b) => compareVersions(b.version, a.version))[0]?.version ??
    '';
  const entry = ctx.state.calendar.find((row) => row.version === version);
  if (
    !isVersion(version) ||
    entry === undefined ||
    `${entry.endOfExtendedSupport}T00:00:00Z` <= ctx.now.toISOString()
  ) {
    throw invalidParameter(`unsupported Kubernetes version ${version}`);
  }
  const clusters = clustersOfCaller(ctx);
  if (clusters.has(name)) throw resourceInUse(`Cluster already exists with name: ${name}`, { clusterName: name });
  const vpc = vpcConfigOf(body);
  const network = object(body, 'kubernetesNetworkConfig') ?? {};
  const ipFamily = string(network, 'ipFamily') ?? 'ipv4';
  if (ipFamily !== 'ipv4' && ipFamily !== 'ipv6') throw invalidParameter(`ipFamily ${ipFamily} is not valid`);
  const access = object(body, 'accessConfig') ?? {};
  const authenticationMode = string(access, 'authenticationMode') ?? 'API_AND_CONFIG_MAP';
  if (!['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'].includes(authenticationMode)) {
    throw invalidParameter(`authenticationMode ${authenticationMode} is not valid`);
  }
  const supportType = string(object(body, 'upgradePolicy') ?? {}, 'supportType') ?? 'EXTENDED';
  if (supportType !== 'STANDARD' && supportType !== 'EXTENDED') {
    throw invalidParameter(`supportType ${supportType} is not valid`);
  }
  const autoMode = autoModeOf(body);
  const tags = tagsOf(body);
  const logTypes = enabledLogTypesOf(body);
  const encryptionKeyArn = encryptionKeyOf(body);
  const nowMs = ctx.now.getTime();
  const arn = `arn:aws:eks:${ctx.region}:${ctx.principal.accountId}:cluster/${name}`;
  const config: SimClusterConfig = {
    roleArn,
    ...vpc,
    serviceIpv4Cidr: string(network, 'serviceIpv4Cidr') ?? '10.100.0.0/16',
    ipFamily,
    enabledLogTypes: logTypes,
    encryptionKeyArn,
    authenticationMode,
    accessEntries: new Map(),
    fargateProfiles: new Map(),
    podIdentityAssociations: new Map(),
  };
  const cluster: SimCluster = {
    accountId: ctx.principal.accountId,
    region: ctx.region,
    name,
    arn,
    id: stableUuid(arn),
    version,
    platformVersion: defaultPlatformVersion(ctx.state.calendar, version, ctx.now),
    status: 'ACTIVE',
    supportType,
    tags,
    autoMode,
    createdAtMs: nowMs,
    nodegroups: new Map(),
    addons: new Map(),
    fargateProfiles: [],
    config,
    insights: null,
    fault: undefined,
    updates: [],
    tokens: new Map(),
    upgradedFrom: null,
  };
  if (authenticationMode !== 'CONFIG_MAP' && (bool(access, 'bootstrapClusterCreatorAdminPermissions') ?? true)) {
    addAccessEntry(cluster, {
      principalArn: ctx.principal.arn,
      type: 'STANDARD',
      username: defaultUsername(ctx.principal.arn, 'STANDARD'),
      kubernetesGroups: [],
      policies: [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster', namespaces: [] },
          associatedAtMs: nowMs,
        },
      ],
      tags: {},
      createdAtMs: nowMs,
    });
  }
  clusters.set(name, cluster);
  return { cluster: { ...renderCluster(cluster), status: 'CREATING' } };
};

function addAccessEntry(cluster: SimCluster, entry: SimAccessEntry): void {
  cluster.config.accessEntries.set(entry.principalArn, entry);
}

function scalingOf(body: Body): SimNodegroup['config']['scaling'] {
  const scaling = object(body, 'scalingConfig') ?? {};
  const minSize = integer(scaling, 'minSize') ?? 1;
  const maxSize = integer(scaling, 'maxSize') ?? 2;
  const desiredSize = integer(scaling, 'desiredSize') ?? minSize;
  if (minSize < 0 || maxSize < 1 || minSize > maxSize || desiredSize < minSize || desiredSize > maxSize) {
    throw invalidParameter(
      `scalingConfig must satisfy 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1 (got ${minSize}/${desiredSize}/${maxSize})`,
    );
  }
  return { minSize, maxSize, desiredSize };
}

function taintsOf(body: Body): SimTaint[] {
  const taints = body.taints;
  if (taints === undefined || taints === null) return [];
  if (!Array.isArray(taints)) throw invalidParameter('taints must be a list');
  return (taints as unknown[]).map((raw) => {
    const taint = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
    const key = string(taint, 'key', true) ?? '';
    const effect = string(taint, 'effect', true) ?? '';
    if (!TAINT_EFFECTS.has(effect)) throw invalidParameter(`taint effect ${effect} is not valid`);
    return { key, value: string(taint, 'value') ?? null, effect };
  });
}

const createNodegroup: EksHandler = (ctx, { path, body }) => {
  const cluster = clusterOf(ctx, path.clusterName);
  const name = string(body, 'nodegroupName', true) ?? '';
  if (!NAME.test(name)) throw invalidParameter(`Nodegroup name ${name} is not valid`);
  if (cluster.nodegroups.has(name)) {
    throw resourceInUse(`NodeGroup already exists with name ${name} and cluster name ${cluster.name}`, {
      clusterName: cluster.name,
      nodegroupName: name,
    });
  }
  const subnets = strings(body, 'subnets') ?? [];
  if (subnets.length === 0) throw invalidParameter('subnets is required');
  const nodeRole = string(body, 'nodeRole', true) ?? '';
  const template = object(body, 'launchTemplate');
  const amiType = string(body, 'amiType');
  const customAmi = template !== undefined && amiType === undefined;
  const version = string(body, 'version');
  if (version !== undefined && version !== cluster.version) {
    throw invalidParameter(
      `Requested Nodegroup version ${version} is invalid. Allowed values are ${cluster.version} for cluster ${cluster.name}`,
      { clusterName: cluster.name, nodegroupName: name },
    );
  }
  if (customAmi && (version !== undefined || string(body, 'releaseVersion') !== undefined)) {
    throw invalidParameter(
      'You cannot specify a version or releaseVersion with a launch template that has its own AMI',
    );
  }
  const diskSize = integer(body, 'diskSize');
  if (template !== undefined && diskSize !== undefined) {
    throw invalidParameter('Disk size must be specified within the launch template');
  }
  const capacityType = string(body, 'capacityType') ?? 'ON_DEMAND';
  if (!['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK'].includes(capacityType)) {
    throw invalidParameter(`capacityType ${capacityType} is not valid`);
  }
  const templateRef =
    template === undefined
      ? null
      : {
          name: string(template, 'name') ?? `lt-${stableHex(string(template, 'id') ?? name, 8)}`,
          id: string(template, 'id') ?? `lt-0${stableHex(`${cluster.arn}/lt/${name}`, 16)}`,
        };
  const templateVersion = template === undefined ? undefined : string(template, 'version');
  const nowMs = ctx.now.getTime();
  const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:nodegroup/${cluster.name}/${name}/${stableUuid(`${cluster.arn}/ng/${name}/${nowMs}`)}`;
  const ng: SimNodegroup = {
    name,
    arn,
    version: cluster.version,
    releaseVersion: customAmi
      ? `ami-0${stableHex(arn, 16)}`
      : (string(body, 'releaseVersion') ?? amiReleaseVersion(ctx.state.calendar, cluster.version)),
    status: 'ACTIVE',
    amiType: customAmi ? 'CUSTOM' : (amiType ?? DEFAULT_AMI_TYPE),
    customAmi,
    fault: undefined,
    launchTemplateVersion: templateVersion !== undefined && /^\d+$/.test(templateVersion) ? Number(templateVersion) : 1,
    tags: tagsOf(body),
    createdAtMs: nowMs,
    modifiedAtMs: nowMs,
    config: {
      scaling: scalingOf(body),
      instanceTypes: strings(body, 'instanceTypes') ?? (template === undefined ? ['t3.medium'] : []),
      labels: stringMap(body, 'labels') ?? {},
      taints: taintsOf(body),
      capacityType,
      diskSize: template === undefined ? (diskSize ?? 20) : null,
      subnets,
      nodeRole,
      launchTemplate: templateRef,
    },
  };
  cluster.nodegroups.set(name, ng);
  // EKS gives the node role an EC2_LINUX access entry when the cluster uses access entries.
  if (cluster.config.authenticationMode !== 'CONFIG_MAP' && !cluster.config.accessEntries.has(nodeRole)) {
    addAccessEntry(cluster, {
      principalArn: nodeRole,
      type: 'EC2_LINUX',
      username: defaultUsername(nodeRole, 'EC2_LINUX'),
      kubernetesGroups: [],
      policies: [],
      tags: {},
      createdAtMs: nowMs,
    });
  }
  return { nodegroup: { ...renderNodegroup(cluster, ng), status: 'CREATING' } };
};

const createAddon: EksHandler = (ctx, { path, body }) => {
  const cluster = clusterOf(ctx, path.clusterName);
  const name = string(body, 'addonName', true) ?? '';
  const versions = ctx.state.catalog[name];
  if (versions === undefined) throw invalidParameter(`Addon ${name} specified is not supported`);
  if (cluster.addons.has(name)) {
    throw resourceInUse('Addon already exists.', { clusterName: cluster.name, addonName: name });
  }
  const wanted = string(body, 'addonVersion');
  const chosen =
    wanted === undefined
      ? versions.find((info) => info.defaultFor.includes(cluster.version))
      : versions.find((info) => info.version === wanted);
  if (chosen === undefined || !chosen.compatibleWith.includes(cluster.version)) {
    throw invalidParameter(
      `Addon version ${wanted ?? '(default)'} of ${name} is not supported for Kubernetes ${cluster.version}`,
      { clusterName: cluster.name, addonName: name },
    );
  }
  const configurationValues = string(body, 'configurationValues');
  if (configurationValues !== undefined && configurationValues.trim().startsWith('{')) {
    try {
      JSON.parse(configurationValues);
    } catch {
      throw invalidParameter('configurationValues is not valid JSON or YAML', {
        clusterName: cluster.name,
        addonName: name,
      });
    }
  }
  const serviceAccountRoleArn = string(body, 'serviceAccountRoleArn');
  const associations = body.podIdentityAssociations;
  if (associations !== undefined && associations !== null && !Array.isArray(associations)) {
    throw invalidParameter('podIdentityAssociations must be a list');
  }
  const nowMs = ctx.now.getTime();
  const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:addon/${cluster.name}/${name}/${stableUuid(`${cluster.arn}/addon/${name}/${nowMs}`)}`;
  const ids: string[] = [];
  for (const raw of (associations ?? []) as unknown[]) {
    const association = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
    const serviceAccount = string(association, 'serviceAccount', true) ?? '';
    const roleArn = string(association, 'roleArn', true) ?? '';
    const id = `a-${stableHex(`${arn}/${serviceAccount}`, 17)}`;
    cluster.config.podIdentityAssociations.set(id, {
      id,
      namespace: 'kube-system',
      serviceAccount,
      roleArn,
      ownerArn: arn,
      createdAtMs: nowMs,
    });
    ids.push(id);
  }
  const addon: SimAddon = {
    name,
    arn,
    version: chosen.version,
    status: 'ACTIVE',
    fault: undefined,
    tags: tagsOf(body),
    createdAtMs: nowMs,
    modifiedAtMs: nowMs,
    config: {
      configurationValues: configurationValues ?? null,
      serviceAccountRoleArn: serviceAccountRoleArn ?? null,
      podIdentityAssociationIds: ids,
    },
  };
  cluster.addons.set(name, addon);
  return { addon: { ...renderAddon(cluster, addon), status: 'CREATING' } };
};

function renderFargateProfile(cluster: SimCluster, name: string): Record<string, unknown> {
  const profile = cluster.config.fargateProfiles.get(name);
  if (profile === undefined) {
    throw resourceNotFound(`No Fargate Profile found with name: ${name}.`, {
      clusterName: cluster.name,
      fargateProfileName: name,
    });
  }
  return {
    fargateProfileName: profile.name,
    fargateProfileArn: fargateProfileArn(cluster, profile.name),
    clusterName: cluster.name,
    createdAt: profile.createdAtMs / 1000,
    podExecutionRoleArn: profile.podExecutionRoleArn,
    subnets: [...profile.subnets],
    selectors: profile.selectors.map((selector) => ({ namespace: selector.namespace, labels: { ...selector.labels } })),
    status: 'ACTIVE',
    tags: { ...profile.tags },
  };
}

const createFargateProfile: EksHandler = (ctx, { path, body }) => {
  const cluster = clusterOf(ctx, path.clusterName);
  const name = string(body, 'fargateProfileName', true) ?? '';
  if (!NAME.test(name)) throw invalidParameter(`Fargate profile name ${name} is not valid`);
  if (cluster.config.fargateProfiles.has(name)) {
    throw resourceInUse(`A Fargate Profile already exists with this name: ${name}`, {
      clusterName: cluster.name,
      fargateProfileName: name,
    });
  }
  const podExecutionRoleArn = string(body, 'podExecutionRoleArn', true) ?? '';
  const rawSelectors = body.selectors;
  if (!Array.isArray(rawSelectors) || rawSelectors.length === 0 || rawSelectors.length > 5) {
    throw invalidParameter('selectors must list 1 to 5 selectors');
  }
  const selectors = (rawSelectors as unknown[]).map((raw) => {
    const selector = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
    return { namespace: string(selector, 'namespace', true) ?? '', labels: stringMap(selector, 'labels') ?? {} };
  });
  cluster.config.fargateProfiles.set(name, {
    name,
    podExecutionRoleArn,
    subnets: strings(body, 'subnets') ?? [...cluster.config.subnetIds],
    selectors,
    tags: tagsOf(body),
    createdAtMs: ctx.now.getTime(),
  });
  cluster.fargateProfiles.push(name);
  return { fargateProfile: { ...renderFargateProfile(cluster, name), status: 'CREATING' } };
};

function entryOf(cluster: SimCluster, principalArn: string | undefined): SimAccessEntry {
  const entry = cluster.config.accessEntries.get(principalArn ?? '');
  if (entry === undefined) {
    throw resourceNotFound(`The specified principalArn could not be found: ${principalArn ?? ''}`, {
      clusterName: cluster.name,
    });
  }
  return entry;
}

function renderAccessEntry(cluster: SimCluster, entry: SimAccessEntry): Record<string, unknown> {
  return {
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    kubernetesGroups: [...entry.kubernetesGroups],
    accessEntryArn: accessEntryArn(cluster, entry.principalArn),
    createdAt: entry.createdAtMs / 1000,
    modifiedAt: entry.createdAtMs / 1000,
    tags: { ...entry.tags },
    username: entry.username,
    type: entry.type,
  };
}

function requireAccessEntries(cluster: SimCluster): void {
  if (cluster.config.authenticationMode === 'CONFIG_MAP') {
    throw new SimApiError(
      'InvalidRequestException',
      400,
      `The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.`,
      { clusterName: cluster.name },
    );
  }
}

const createAccessEntry: EksHandler = (ctx, { path, body }) => {
  const cluster = clusterOf(ctx, path.clusterName);
  requireAccessEntries(cluster);
  const principalArn = string(body, 'principalArn', true) ?? '';
  if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\//.test(principalArn)) {
    throw invalidParameter(`The specified principalArn is invalid: ${principalArn}`);
  }
  const type = string(body, 'type') ?? 'STANDARD';
  if (!ACCESS_ENTRY_TYPES.has(type)) throw invalidParameter(`type ${type} is not valid`);
  const groups = strings(body, 'kubernetesGroups') ?? [];
  const username = string(body, 'username');
  if (NODE_ENTRY_TYPES.has(type) && (groups.length > 0 || username !== undefined)) {
    throw invalidParameter(`username and kubernetesGroups cannot be specified for access entries of type ${type}`);
  }
  if (cluster.config.accessEntries.has(principalArn)) {
    throw resourceInUse(`The specified access entry resource is already in use on this cluster.`, {
      clusterName: cluster.name,
    });
  }
  const entry: SimAccessEntry = {
    principalArn,
    type,
    username: username ?? defaultUsername(principalArn, type),
    kubernetesGroups: groups,
    policies: [],
    tags: tagsOf(body),
    createdAtMs: ctx.now.getTime(),
  };
  addAccessEntry(cluster, entry);
  return { accessEntry: renderAccessEntry(cluster, entry) };
};

function renderPolicy(policy: SimAccessEntry['policies'][number]): Record<string, unknown> {
  return {
    policyArn: policy.policyArn,
    accessScope: { type: policy.accessScope.type, namespaces: [...policy.accessScope.namespaces] },
    associatedAt: policy.associatedAtMs / 1000,
    modifiedAt: policy.associatedAtMs / 1000,
  };
}

const associateAccessPolicy: EksHandler = (ctx, { path, body }) => {
  const cluster = clusterOf(ctx, path.clusterName);
  const entry = entryOf(cluster, path.principalArn);
  if (entry.type !== 'STANDARD') {
    throw invalidParameter(`Access policies can only be associated with access entries of type STANDARD`);
  }
  const policyArn = string(body, 'policyArn', true) ?? '';
  if (!/^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z]+$/.test(policyArn)) {
    throw invalidParameter(`The specified policyArn is invalid: ${policyArn}`);
  }
  const scope = object(body, 'accessScope');
  if (scope === undefined) throw invalidParameter('accessScope is required');
  const type = string(scope, 'type', true) ?? '';
  const namespaces = strings(scope, 'namespaces') ?? [];
  if (type !== 'cluster' && type !== 'namespace') throw invalidParameter(`accessScope.type ${type} is not valid`);
  if ((type === 'namespace') !== namespaces.length > 0) {
    throw invalidParameter('accessScope.namespaces is required for, and only for, type namespace');
  }
  const policy = {
    policyArn,
    accessScope: { type: type as 'cluster' | 'namespace', namespaces },
    associatedAtMs: ctx.now.getTime(),
  };
  const at = entry.policies.findIndex((p) => p.policyArn === policyArn);
  if (at >= 0) entry.policies.splice(at, 1, policy);
  else entry.policies.push(policy);
  return { clusterName: cluster.name, principalArn: entry.principalArn, associatedAccessPolicy: renderPolicy(policy) };
};

/** The operations of this module with their method and path, as the SDK's restJson1 schemas write them. */
export const EKS_CREATE_ROUTES: readonly (readonly [string, string, string])[] = [
  ['POST', 'clusters', 'CreateCluster'],
  ['POST', 'clusters/{clusterName}/node-groups', 'CreateNodegroup'],
  ['POST', 'clusters/{clusterName}/addons', 'CreateAddon'],
  ['POST', 'clusters/{clusterName}/fargate-profiles', 'CreateFargateProfile'],
  ['GET', 'clusters/{clusterName}/fargate-profiles/{fargateProfileName}', 'DescribeFargateProfile'],
  ['POST', 'clusters/{clusterName}/access-entries', 'CreateAccessEntry'],
  ['GET', 'clusters/{clusterName}/access-entries', 'ListAccessEntries'],
  ['GET', 'clusters/{clusterName}/access-entries/{principalArn}', 'DescribeAccessEntry'],
  ['POST', 'clusters/{clusterName}/access-entries/{principalArn}/access-policies', 'AssociateAccessPolicy'],
  ['GET', 'clusters/{clusterName}/access-entries/{principalArn}/access-policies', 'ListAssociatedAccessPolicies'],
  ['GET', 'clusters/{clusterName}/pod-identity-associations/{associationId}', 'DescribePodIdentityAssociation'],
];

/** The handlers of {@link EKS_CREATE_ROUTES}, by operation name. */
export const EKS_CREATE_HANDLERS: Readonly<Record<string, EksHandler>> = {
  CreateCluster: createCluster,
  CreateNodegroup: createNodegroup,
  CreateAddon: createAddon,
  CreateFargateProfile: createFargateProfile,
  DescribeFargateProfile: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    return { fargateProfile: renderFargateProfile(cluster, path.fargateProfileName ?? '') };
  },
  CreateAccessEntry: createAccessEntry,
  ListAccessEntries: (ctx, input) => {
    const cluster = clusterOf(ctx, input.path.clusterName);
    requireAccessEntries(cluster);
    const page = list(ctx, input, [...cluster.config.accessEntries.keys()]);
    return { accessEntries: page.items, nextToken: page.nextToken };
  },
  DescribeAccessEntry: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    return { accessEntry: renderAccessEntry(cluster, entryOf(cluster, path.principalArn)) };
  },
  AssociateAccessPolicy: associateAccessPolicy,
  ListAssociatedAccessPolicies: (ctx, input) => {
    const cluster = clusterOf(ctx, input.path.clusterName);
    const entry = entryOf(cluster, input.path.principalArn);
    const page = paginate(
      entry.policies,
      {
        maxResults: input.query.get('maxResults') ?? undefined,
        nextToken: input.query.get('nextToken') ?? undefined,
      },
      { pageSize: ctx.pageSize, limit: 100, invalid: (message) => invalidParameter(message) },
    );
    return {
      clusterName: cluster.name,
      principalArn: entry.principalArn,
      associatedAccessPolicies: page.items.map(renderPolicy),
      nextToken: page.nextToken,
    };
  },
  DescribePodIdentityAssociation: (ctx, { path }) => {
    const cluster = clusterOf(ctx, path.clusterName);
    const association = cluster.config.podIdentityAssociations.get(path.associationId ?? '');
    if (association === undefined) {
      throw resourceNotFound(`No pod identity association found for id: ${path.associationId ?? ''}`, {
        clusterName: cluster.name,
      });
    }
    return {
      association: {
        clusterName: cluster.name,
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        roleArn: association.roleArn,
        associationArn: podIdentityAssociationArn(cluster, association.id),
        associationId: association.id,
        tags: {},
        createdAt: association.createdAtMs / 1000,
        modifiedAt: association.createdAtMs / 1000,
        ...(association.ownerArn === null ? {} : { ownerArn: association.ownerArn }),
      },
    };
  },
};

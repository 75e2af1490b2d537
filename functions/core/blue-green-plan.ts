/**
 * The replacement cluster of a blue/green upgrade (DESIGN §7.2): from what the EKS API tells of the running
 * cluster, the ordered EKS Create* requests that build the same cluster at the target version, what could not be
 * read or cloned (listed, never guessed), and the cut-over checklist with this cluster's figures.
 *
 * Decisions where the design is silent:
 * - The replacement is named `<name>-<target without the dot>` (`payments-api` → `payments-api-136`); a name that
 *   already ends in such a suffix has it replaced (`payments-api-135` → `payments-api-136`), so clusters do not
 *   grow a suffix per upgrade. Names are cut to EKS's 100 characters.
 * - Access entries are cloned one for one, so `bootstrapClusterCreatorAdminPermissions` is false: whoever runs the
 *   requests gets no access the old cluster did not grant (CONFIG_MAP clusters keep the bootstrap: they have no
 *   access entries to clone).
 * - Add-ons are created at the target's recommended version with `resolveConflicts: OVERWRITE` (a new cluster has
 *   nothing to preserve); one without a version for the target is not created and is listed as not cloned.
 * - Node groups get the target version and the newest AMI release for it; a custom-AMI node group keeps its launch
 *   template, whose image must first be rebuilt for the target (a prerequisite, listed).
 * - Waits: the cluster must be ACTIVE before anything is added to it; node groups and Fargate profiles are awaited
 *   one by one (EKS creates one Fargate profile at a time). Add-ons are not awaited: coredns and others become
 *   healthy only once nodes exist.
 */
import { recommendedAddonVersion } from './addons.ts';
import { cutoverChecklist, notClonedOf } from './blue-green-notes.ts';
import type { ClusterDefinition, NodegroupDefinition } from './cluster-definition.ts';
import type { StrategyRecommendation } from './strategy.ts';
import type { AddonCatalog, Deadline, Version } from './types.ts';

/** What a plan step waits for before the next one (an SDK waiter or a Describe poll). */
type PlanWait = 'ClusterActive' | 'NodegroupActive' | 'FargateProfileActive';

/** One EKS request of the plan, exactly as the SDK command takes it. */
export interface PlanRequest {
  readonly step: number;
  readonly operation:
    | 'CreateCluster'
    | 'CreateAccessEntry'
    | 'AssociateAccessPolicy'
    | 'CreateAddon'
    | 'CreateNodegroup'
    | 'CreateFargateProfile';
  readonly input: Readonly<Record<string, unknown>>;
  readonly waitFor: PlanWait | null;
}

/** Something the replacement does not get from the plan, and why; `prerequisite` ones must be done before it runs. */
export interface NotCloned {
  readonly what: string;
  readonly reason: string;
  readonly prerequisite: boolean;
}

/** One step of the cut-over. */
export interface CutoverStep {
  readonly code: string;
  readonly action: string;
}

/** The blue/green plan of one cluster (the JSON form of `fleet-auditor blue-green`, version 1). */
export interface BlueGreenPlan {
  readonly schemaVersion: 1;
  readonly source: {
    readonly accountId: string;
    readonly region: string;
    readonly name: string;
    readonly arn: string;
    readonly version: Version;
  };
  readonly replacement: { readonly name: string; readonly version: Version; readonly nameRule: string };
  readonly strategy: StrategyRecommendation | null;
  readonly requests: readonly PlanRequest[];
  readonly notCloned: readonly NotCloned[];
  readonly checklist: readonly CutoverStep[];
}

/** What the plan is made from. */
export interface BlueGreenInput {
  readonly definition: ClusterDefinition;
  readonly target: Version;
  /** The target region's add-on catalog. */
  readonly catalog: AddonCatalog;
  readonly strategy?: StrategyRecommendation | null;
  /** The old cluster's effective deadline, if known: the way back cannot be kept past it. */
  readonly deadline?: Deadline | null;
  /** Nodes the EKS API cannot see, suspected from insights (self-managed): named in "not cloned". */
  readonly suspectedSelfManaged?: boolean;
}

const MAX_NAME = 100;

/** The replacement cluster's name: `<name>-<target without dot>`, an earlier such suffix replaced. */
export function replacementName(name: string, target: Version): string {
  const suffix = `-${target.replace('.', '')}`;
  const base = name.replace(/-\d{3,4}$/, '');
  return `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

function withTags(tags: Readonly<Record<string, string>>): { tags?: Record<string, string> } {
  return Object.keys(tags).length === 0 ? {} : { tags: { ...tags } };
}

function createCluster(def: ClusterDefinition, name: string, target: Version): Record<string, unknown> {
  const net = def.networking;
  const auto = def.autoMode;
  const configMapOnly = def.authenticationMode === 'CONFIG_MAP';
  return {
    name,
    version: target,
    roleArn: def.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...net.subnetIds],
      securityGroupIds: [...net.securityGroupIds],
      endpointPublicAccess: net.endpointPublicAccess,
      endpointPrivateAccess: net.endpointPrivateAccess,
      ...(net.endpointPublicAccess ? { publicAccessCidrs: [...net.publicAccessCidrs] } : {}),
    },
    kubernetesNetworkConfig: {
      ...(net.serviceIpv4Cidr === null ? {} : { serviceIpv4Cidr: net.serviceIpv4Cidr }),
      ...(net.ipFamily === null ? {} : { ipFamily: net.ipFamily }),
      ...(auto === null ? {} : { elasticLoadBalancing: { enabled: true } }),
    },
    ...(def.enabledLogTypes.length === 0
      ? {}
      : { logging: { clusterLogging: [{ types: [...def.enabledLogTypes], enabled: true }] } }),
    ...(def.encryptionKeyArn === null
      ? {}
      : { encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: def.encryptionKeyArn } }] }),
    accessConfig: {
      ...(def.authenticationMode === null ? {} : { authenticationMode: def.authenticationMode }),
      bootstrapClusterCreatorAdminPermissions: configMapOnly,
    },
    ...(def.supportType === null ? {} : { upgradePolicy: { supportType: def.supportType } }),
    ...(auto === null
      ? {}
      : {
          computeConfig: {
            enabled: true,
            nodePools: [...auto.nodePools],
            ...(auto.nodeRoleArn === null ? {} : { nodeRoleArn: auto.nodeRoleArn }),
          },
          storageConfig: { blockStorage: { enabled: true } },
        }),
    ...withTags(def.tags),
  };
}

function isCustomAmi(ng: NodegroupDefinition): boolean {
  return ng.amiType === 'CUSTOM';
}

function createNodegroup(cluster: string, ng: NodegroupDefinition, target: Version): Record<string, unknown> {
  const custom = isCustomAmi(ng);
  const template = ng.launchTemplate;
  return {
    clusterName: cluster,
    nodegroupName: ng.name,
    ...(ng.scaling === null ? {} : { scalingConfig: { ...ng.scaling } }),
    ...(ng.instanceTypes.length === 0 ? {} : { instanceTypes: [...ng.instanceTypes] }),
    ...(custom || ng.amiType === null ? {} : { amiType: ng.amiType }),
    ...(ng.capacityType === null ? {} : { capacityType: ng.capacityType }),
    ...(template === null && ng.diskSize !== null ? { diskSize: ng.diskSize } : {}),
    subnets: [...ng.subnets],
    nodeRole: ng.nodeRole,
    labels: { ...ng.labels },
    ...(ng.taints.length === 0
      ? {}
      : {
          taints: ng.taints.map((taint) => ({
            key: taint.key,
            ...(taint.value === null ? {} : { value: taint.value }),
            effect: taint.effect,
          })),
        }),
    ...(template === null
      ? {}
      : {
          launchTemplate: {
            ...(template.id === null ? { name: template.name } : { id: template.id }),
            ...(template.version === null ? {} : { version: template.version }),
          },
        }),
    ...(ng.maxUnavailable !== null
      ? { updateConfig: { maxUnavailable: ng.maxUnavailable } }
      : ng.maxUnavailablePercentage !== null
        ? { updateConfig: { maxUnavailablePercentage: ng.maxUnavailablePercentage } }
        : {}),
    ...(custom ? {} : { version: target }),
    ...withTags(ng.tags),
  };
}

/** The ordered requests, and what they leave out. */
function requestsOf(input: BlueGreenInput, name: string): { requests: PlanRequest[]; notCloned: NotCloned[] } {
  const { definition: def, target, catalog } = input;
  const steps: Omit<PlanRequest, 'step'>[] = [];
  const notCloned: NotCloned[] = [];
  steps.push({ operation: 'CreateCluster', input: createCluster(def, name, target), waitFor: 'ClusterActive' });
  for (const entry of def.accessEntries) {
    const standard = entry.type === 'STANDARD';
    steps.push({
      operation: 'CreateAccessEntry',
      input: {
        clusterName: name,
        principalArn: entry.principalArn,
        type: entry.type,
        ...(standard && entry.kubernetesGroups.length > 0 ? { kubernetesGroups: [...entry.kubernetesGroups] } : {}),
        ...(standard && entry.username !== null ? { username: entry.username } : {}),
        ...withTags(entry.tags),
      },
      waitFor: null,
    });
    for (const policy of entry.policies) {
      steps.push({
        operation: 'AssociateAccessPolicy',
        input: {
          clusterName: name,
          principalArn: entry.principalArn,
          policyArn: policy.policyArn,
          accessScope: {
            type: policy.scopeType,
            ...(policy.namespaces.length === 0 ? {} : { namespaces: [...policy.namespaces] }),
          },
        },
        waitFor: null,
      });
    }
  }
  for (const addon of def.addons) {
    const version = recommendedAddonVersion(addon.name, target, catalog);
    if (version === null) {
      notCloned.push({
        what: `add-on ${addon.name} (${addon.version})`,
        reason: `the add-on catalog has no version of ${addon.name} for ${target}: install its successor yourself`,
        prerequisite: false,
      });
      continue;
    }
    steps.push({
      operation: 'CreateAddon',
      input: {
        clusterName: name,
        addonName: addon.name,
        addonVersion: version,
        resolveConflicts: 'OVERWRITE',
        ...(addon.configurationValues === null ? {} : { configurationValues: addon.configurationValues }),
        ...(addon.serviceAccountRoleArn === null ? {} : { serviceAccountRoleArn: addon.serviceAccountRoleArn }),
        ...(addon.podIdentityAssociations.length === 0
          ? {}
          : {
              podIdentityAssociations: addon.podIdentityAssociations.map((a) => ({
                serviceAccount: a.serviceAccount,
                roleArn: a.roleArn,
              })),
            }),
        ...withTags(addon.tags),
      },
      waitFor: null,
    });
  }
  for (const ng of def.nodegroups) {
    steps.push({ operation: 'CreateNodegroup', input: createNodegroup(name, ng, target), waitFor: 'NodegroupActive' });
  }
  for (const profile of def.fargateProfiles) {
    steps.push({
      operation: 'CreateFargateProfile',
      input: {
        clusterName: name,
        fargateProfileName: profile.name,
        podExecutionRoleArn: profile.podExecutionRoleArn,
        subnets: [...profile.subnets],
        selectors: profile.selectors.map((s) => ({
          namespace: s.namespace,
          ...(Object.keys(s.labels).length === 0 ? {} : { labels: { ...s.labels } }),
        })),
        ...withTags(profile.tags),
      },
      waitFor: 'FargateProfileActive',
    });
  }
  return { requests: steps.map((step, index) => ({ step: index + 1, ...step })), notCloned };
}

/**
 * Plans the replacement of `input.definition` at `input.target`: the ordered Create* requests, what is not cloned,
 * and the cut-over checklist.
 *
 * @example planBlueGreen({ definition, target: '1.36', catalog }).replacement.name // 'payments-api-136'
 */
export function planBlueGreen(input: BlueGreenInput): BlueGreenPlan {
  const def = input.definition;
  const name = replacementName(def.name, input.target);
  const { requests, notCloned } = requestsOf(input, name);
  return {
    schemaVersion: 1,
    source: { accountId: def.accountId, region: def.region, name: def.name, arn: def.arn, version: def.version },
    replacement: {
      name,
      version: input.target,
      nameRule: '<name>-<target without the dot>; an earlier -NNN suffix is replaced',
    },
    strategy: input.strategy ?? null,
    requests,
    notCloned: [...notClonedOf(input), ...notCloned],
    checklist: cutoverChecklist(input, name),
  };
}

/**
 * The fleet file (DESIGN §5.3): the JSON description of a simulated fleet that `--simulate FLEET.json` serves.
 *
 * Extensions to §5.3, all optional:
 * - top level `hubAccountId`: the account the simulator's base credentials belong to (default `111111111111`;
 *   `SimulatorOptions.hubAccountId` wins over it).
 * - cluster `createdAt` (ISO instant): DescribeCluster's createdAt; default 00:00 UTC of the version's release date
 *   in the calendar (the simulator's start time for versions the calendar does not know).
 * - cluster `versionSince` (ISO instant): ListUpdates/DescribeUpdate report a Successful VersionUpdate created then.
 * - node group and add-on `fault: "UPDATE_FAILS"`: an update of that node group or add-on ends Failed.
 * - cluster `upgradedFrom` (default: from the previous minor at `versionSince`, when that is given and no later
 *   `rolledBackFrom` is): the in-place upgrade that opened the 7-day rollback window; `rolledBackFrom`: the
 *   rollback that closed it (ListUpdates reports a Successful VersionRollback then).
 * - insight `category` (default UPGRADE_READINESS): ROLLBACK_READINESS insights gate a version rollback; a cluster
 *   upgraded in place without any listed gets a PASSING set for the version it would roll back to.
 * - node group `fault` aside, `amiType: "CUSTOM"` implies `customAmi: true` and vice versa.
 * - top level `organizationalUnits: [{ id: "ou-a1b2-aaaa1111", name?: "Prod", parentId: "r-a1b2" | "ou-…" }]` and
 *   account `parentId` (default the root): the organization's tree, served by Organizations ListAccountsForParent,
 *   ListOrganizationalUnitsForParent and ListChildren. The organization's only root is `r-a1b2`
 *   (`ORGANIZATION_ROOT_ID`); every parentId must name it or a listed OU, and OUs must not form a cycle.
 *
 * - Blue/green facts (DESIGN §7.2), all optional, each defaulting to what a freshly created EKS cluster has:
 *   cluster `roleArn`, `networking` (`subnetIds`, `securityGroupIds`, `endpointPublicAccess`,
 *   `endpointPrivateAccess`, `publicAccessCidrs`, `serviceIpv4Cidr`, `ipFamily`), `enabledLogTypes`,
 *   `encryptionKeyArn`, `authenticationMode`, `accessEntries` (`principalArn`, `type`, `username`,
 *   `kubernetesGroups`, `accessPolicies: [{ policyArn, accessScope: { type, namespaces } }]`; default: the creator
 *   `role/eks-admin` as cluster admin and the node role as EC2_LINUX), `fargateProfiles` entries as a name or
 *   `{ name, selectors: [{ namespace, labels }], subnets, podExecutionRoleArn }`; node group `scaling`
 *   (`minSize`, `maxSize`, `desiredSize`; default 1/4/2), `instanceTypes` (`m6i.large`), `labels`, `taints`
 *   (`key`, `value`, `effect`), `capacityType` (ON_DEMAND), `diskSize` (20), `subnets`, `nodeRole`; add-on
 *   `configurationValues`, `serviceAccountRoleArn`, `podIdentityAssociations: [{ serviceAccount, roleArn,
 *   namespace }]`.
 *
 * Missing optional fields take the values a freshly created EKS cluster would have: status ACTIVE, supportType
 * EXTENDED, node groups at the cluster's version on AL2023_x86_64_STANDARD, add-ons ACTIVE, a PASSING insight set.
 * Unknown fields are rejected, so a typo (`nodeGroups`) is reported instead of silently ignored.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AddonCatalog, CalendarEntry, InsightStatus, SupportType } from '../core/types.ts';
import { FleetFileError } from './errors.ts';
import { compareVersions, isVersion } from './version-math.ts';
import {
  ACCOUNT_ID_PATTERN,
  CLUSTER_NAME_PATTERN,
  OU_ID_PATTERN,
  PARENT_ID_PATTERN,
  REGION_PATTERN,
} from '../core/identifiers.ts';
import { validationProblems } from '../core/validation-problems.ts';

export { FleetFileError } from './errors.ts';

export type ClusterStatusValue = 'ACTIVE' | 'CREATING' | 'DELETING' | 'FAILED' | 'PENDING' | 'UPDATING';
export type NodegroupStatusValue =
  'ACTIVE' | 'CREATE_FAILED' | 'CREATING' | 'DEGRADED' | 'DELETE_FAILED' | 'DELETING' | 'UPDATING';
export type AddonStatusValue = NodegroupStatusValue | 'UPDATE_FAILED';

/** A node-group taint (blue/green fact). */
export interface FleetTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

export interface FleetNodegroup {
  readonly name: string;
  readonly version: string;
  readonly releaseVersion?: string;
  readonly status?: NodegroupStatusValue;
  readonly amiType?: string;
  readonly customAmi?: boolean;
  /** The node group's own tags (EKS tags each resource separately). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly fault?: 'UPDATE_FAILS';
  readonly scaling?: { readonly minSize?: number; readonly maxSize?: number; readonly desiredSize?: number };
  readonly instanceTypes?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly FleetTaint[];
  readonly capacityType?: 'ON_DEMAND' | 'SPOT' | 'CAPACITY_BLOCK';
  readonly diskSize?: number;
  readonly subnets?: readonly string[];
  readonly nodeRole?: string;
}

export interface FleetAddon {
  readonly name: string;
  readonly version: string;
  readonly status?: AddonStatusValue;
  /** The add-on's own tags (EKS tags each resource separately). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly fault?: 'UPDATE_FAILS';
  readonly configurationValues?: string;
  readonly serviceAccountRoleArn?: string;
  readonly podIdentityAssociations?: readonly {
    readonly serviceAccount: string;
    readonly roleArn: string;
    readonly namespace?: string;
  }[];
}

/** An access entry of a cluster (blue/green fact). */
export interface FleetAccessEntry {
  readonly principalArn: string;
  readonly type?: string;
  readonly username?: string;
  readonly kubernetesGroups?: readonly string[];
  readonly accessPolicies?: readonly {
    readonly policyArn: string;
    readonly accessScope?: { readonly type: 'cluster' | 'namespace'; readonly namespaces?: readonly string[] };
  }[];
}

/** A Fargate profile with its selectors (blue/green fact); a plain name takes the defaults. */
export interface FleetFargateProfile {
  readonly name: string;
  readonly selectors?: readonly { readonly namespace: string; readonly labels?: Readonly<Record<string, string>> }[];
  readonly subnets?: readonly string[];
  readonly podExecutionRoleArn?: string;
}

/** Networking and endpoint access of a cluster (blue/green fact). */
interface FleetNetworking {
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
  readonly serviceIpv4Cidr?: string;
  readonly ipFamily?: 'ipv4' | 'ipv6';
}

export interface FleetInsight {
  readonly name: string;
  readonly status: InsightStatus;
  readonly kubernetesVersion?: string;
  readonly reason?: string;
  /** Default UPGRADE_READINESS; ROLLBACK_READINESS insights gate a version rollback. */
  readonly category?: InsightCategoryValue;
}

export type InsightCategoryValue = 'UPGRADE_READINESS' | 'ROLLBACK_READINESS' | 'MISCONFIGURATION';

/** A cluster-level fault: its updates fail, it turns unhealthy after an upgrade, or its rollback fails. */
export type ClusterFaultValue = 'UPDATE_FAILS' | 'UNHEALTHY_AFTER_UPGRADE' | 'ROLLBACK_FAILS';

/** A CloudWatch metric alarm of an account-region (served by DescribeAlarms). */
export interface FleetAlarm {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

export interface FleetCluster {
  readonly name: string;
  readonly version: string;
  readonly status?: ClusterStatusValue;
  readonly platformVersion?: string;
  readonly supportType?: SupportType;
  readonly tags?: Readonly<Record<string, string>>;
  readonly autoMode?: boolean;
  readonly nodegroups?: readonly FleetNodegroup[];
  readonly addons?: readonly FleetAddon[];
  readonly fargateProfiles?: readonly (string | FleetFargateProfile)[];
  readonly insights?: readonly FleetInsight[];
  readonly updateInProgress?: boolean;
  readonly fault?: ClusterFaultValue;
  readonly createdAt?: string;
  readonly versionSince?: string;
  /** An in-place upgrade from `version` that finished at `at` (opens the 7-day version-rollback window). */
  readonly upgradedFrom?: { readonly version: string; readonly at: string };
  /** The last version change was a rollback from `version` at `at` (no rollback window is open). */
  readonly rolledBackFrom?: { readonly version: string; readonly at: string };
  readonly roleArn?: string;
  readonly networking?: FleetNetworking;
  readonly enabledLogTypes?: readonly string[];
  readonly encryptionKeyArn?: string;
  readonly authenticationMode?: 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';
  readonly accessEntries?: readonly FleetAccessEntry[];
}

export interface FleetRegion {
  readonly clusters: readonly FleetCluster[];
  readonly alarms?: readonly FleetAlarm[];
}

export interface FleetAccount {
  readonly id: string;
  readonly name?: string;
  /** The root or OU the account sits in; default the root. */
  readonly parentId?: string;
  readonly fault?: 'ACCESS_DENIED';
  /** EKS operations (e.g. `ListAddons`) denied in this account after AssumeRole, as an SCP would deny them. */
  readonly deniedOperations?: readonly string[];
  readonly regions: Readonly<Record<string, FleetRegion>>;
}

/** An organizational unit of the simulated organization (fleet-file extension). */
export interface FleetOrganizationalUnit {
  readonly id: string;
  readonly name?: string;
  /** The root (`r-a1b2`) or another OU. */
  readonly parentId: string;
}

/** The id of the simulated organization's root: the default parent of every account and OU. */
export const ORGANIZATION_ROOT_ID = 'r-a1b2';

/** A whole simulated fleet (DESIGN §5.3 plus the extensions above). */
export interface FleetFile {
  readonly hubAccountId?: string;
  readonly organizationalUnits?: readonly FleetOrganizationalUnit[];
  readonly calendar?: readonly CalendarEntry[];
  /** Add-ons to add to the default catalog, or whose default versions to replace (by add-on name). */
  readonly addonCatalog?: AddonCatalog;
  readonly accounts: readonly FleetAccount[];
}

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

const version = z.string().refine(isVersion, { error: (issue) => `${quote(issue.input)} is not a version like 1.31` });
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
  error: (issue) => `${quote(issue.input)} is not a date like 2025-01-31`,
});
const isoInstant = z
  .string()
  .refine(
    (text) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(text) && !Number.isNaN(Date.parse(text)),
    {
      error: (issue) => `${quote(issue.input)} is not an ISO-8601 instant like 2025-01-31T12:00:00Z`,
    },
  );
const accountId = z
  .string()
  .regex(ACCOUNT_ID_PATTERN, { error: (issue) => `${quote(issue.input)} is not a 12-digit account id` });
const region = z
  .string()
  .regex(REGION_PATTERN, { error: (issue) => `${quote(issue.input)} is not a region like eu-west-1` });
const name = z.string().regex(CLUSTER_NAME_PATTERN, {
  error: (issue) => `${quote(issue.input)} is not an EKS resource name (letters, digits, - and _, at most 100)`,
});

const organizationalUnitId = z.string().regex(OU_ID_PATTERN, {
  error: (issue) => `${quote(issue.input)} is not an OU id like ou-a1b2-aaaa1111`,
});
const parentId = z.string().regex(PARENT_ID_PATTERN, {
  error: (issue) =>
    `${quote(issue.input)} is not a root id like ${ORGANIZATION_ROOT_ID} or an OU id like ou-a1b2-aaaa1111`,
});

const nodegroupStatuses: [NodegroupStatusValue, ...NodegroupStatusValue[]] = [
  'ACTIVE',
  'CREATE_FAILED',
  'CREATING',
  'DEGRADED',
  'DELETE_FAILED',
  'DELETING',
  'UPDATING',
];
const addonStatuses: [AddonStatusValue, ...AddonStatusValue[]] = [...nodegroupStatuses, 'UPDATE_FAILED'];

const calendarEntrySchema = z.strictObject({
  version,
  releaseDate: isoDate.optional(),
  endOfStandardSupport: isoDate,
  endOfExtendedSupport: isoDate,
});

const addonVersionSchema = z.strictObject({
  version: z.string().min(1),
  compatibleWith: z.array(version),
  defaultFor: z.array(version),
});

const nodegroupSchema = z.strictObject({
  name,
  version,
  releaseVersion: z.string().min(1).optional(),
  status: z.enum(nodegroupStatuses).optional(),
  amiType: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, {
      error: (issue) => `${quote(issue.input)} is not an AMI type like AL2023_x86_64_STANDARD`,
    })
    .optional(),
  customAmi: z.boolean().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  fault: z.literal('UPDATE_FAILS').optional(),
  scaling: z
    .strictObject({
      minSize: z.number().int().min(0).optional(),
      maxSize: z.number().int().min(1).optional(),
      desiredSize: z.number().int().min(0).optional(),
    })
    .optional(),
  instanceTypes: z.array(z.string().min(1)).min(1).optional(),
  labels: z.record(z.string().min(1), z.string()).optional(),
  taints: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        value: z.string().optional(),
        effect: z.enum(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']),
      }),
    )
    .optional(),
  capacityType: z.enum(['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK']).optional(),
  diskSize: z.number().int().min(1).optional(),
  subnets: z.array(z.string().min(1)).min(1).optional(),
  nodeRole: z.string().min(1).optional(),
});

const addonSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  status: z.enum(addonStatuses).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  fault: z.literal('UPDATE_FAILS').optional(),
  configurationValues: z.string().optional(),
  serviceAccountRoleArn: z.string().min(1).optional(),
  podIdentityAssociations: z
    .array(
      z.strictObject({
        serviceAccount: z.string().min(1),
        roleArn: z.string().min(1),
        namespace: z.string().min(1).optional(),
      }),
    )
    .optional(),
});

const accessEntrySchema = z.strictObject({
  principalArn: z.string().min(1),
  type: z.enum(['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX']).optional(),
  username: z.string().min(1).optional(),
  kubernetesGroups: z.array(z.string().min(1)).optional(),
  accessPolicies: z
    .array(
      z.strictObject({
        policyArn: z.string().min(1),
        accessScope: z
          .strictObject({
            type: z.enum(['cluster', 'namespace']),
            namespaces: z.array(z.string().min(1)).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

const fargateProfileSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    selectors: z
      .array(
        z.strictObject({ namespace: z.string().min(1), labels: z.record(z.string().min(1), z.string()).optional() }),
      )
      .min(1)
      .optional(),
    subnets: z.array(z.string().min(1)).min(1).optional(),
    podExecutionRoleArn: z.string().min(1).optional(),
  }),
]);

const insightSchema = z.strictObject({
  name: z.string().min(1),
  status: z.enum(['PASSING', 'WARNING', 'ERROR', 'UNKNOWN']),
  kubernetesVersion: version.optional(),
  reason: z.string().optional(),
  category: z.enum(['UPGRADE_READINESS', 'ROLLBACK_READINESS', 'MISCONFIGURATION']).optional(),
});

const clusterSchema = z.strictObject({
  name,
  version,
  status: z.enum(['ACTIVE', 'CREATING', 'DELETING', 'FAILED', 'PENDING', 'UPDATING']).optional(),
  platformVersion: z
    .string()
    .regex(/^eks\.\d+$/, { error: (issue) => `${quote(issue.input)} is not a platform version like eks.12` })
    .optional(),
  supportType: z.enum(['STANDARD', 'EXTENDED']).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  autoMode: z.boolean().optional(),
  nodegroups: z.array(nodegroupSchema).optional(),
  addons: z.array(addonSchema).optional(),
  fargateProfiles: z.array(fargateProfileSchema).optional(),
  insights: z.array(insightSchema).optional(),
  updateInProgress: z.boolean().optional(),
  fault: z.enum(['UPDATE_FAILS', 'UNHEALTHY_AFTER_UPGRADE', 'ROLLBACK_FAILS']).optional(),
  createdAt: isoInstant.optional(),
  versionSince: isoInstant.optional(),
  roleArn: z.string().min(1).optional(),
  networking: z
    .strictObject({
      subnetIds: z.array(z.string().min(1)).min(1).optional(),
      securityGroupIds: z.array(z.string().min(1)).optional(),
      endpointPublicAccess: z.boolean().optional(),
      endpointPrivateAccess: z.boolean().optional(),
      publicAccessCidrs: z.array(z.string().min(1)).optional(),
      serviceIpv4Cidr: z.string().min(1).optional(),
      ipFamily: z.enum(['ipv4', 'ipv6']).optional(),
    })
    .optional(),
  enabledLogTypes: z.array(z.enum(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'])).optional(),
  encryptionKeyArn: z.string().min(1).optional(),
  authenticationMode: z.enum(['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP']).optional(),
  accessEntries: z.array(accessEntrySchema).optional(),
  upgradedFrom: z.strictObject({ version, at: isoInstant }).optional(),
  rolledBackFrom: z.strictObject({ version, at: isoInstant }).optional(),
});

const alarmSchema = z.strictObject({
  name: z.string().min(1).max(255),
  state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
});

const accountSchema = z.strictObject({
  id: accountId,
  name: z.string().optional(),
  parentId: parentId.optional(),
  fault: z.literal('ACCESS_DENIED').optional(),
  deniedOperations: z.array(z.string().regex(/^[A-Z][A-Za-z]+$/, 'an EKS operation name, e.g. ListAddons')).optional(),
  regions: z.record(
    region,
    z.strictObject({ clusters: z.array(clusterSchema), alarms: z.array(alarmSchema).optional() }),
  ),
});

const fleetFileSchema = z.strictObject({
  hubAccountId: accountId.optional(),
  organizationalUnits: z
    .array(z.strictObject({ id: organizationalUnitId, name: z.string().min(1).optional(), parentId }))
    .optional(),
  calendar: z.array(calendarEntrySchema).optional(),
  addonCatalog: z.record(z.string().min(1), z.array(addonVersionSchema)).optional(),
  accounts: z.array(accountSchema),
});

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  return `${typeof input} ${quote(input)}`;
}

/** Wording for the issues zod reports without a schema-level message. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}, got ${describeInput(issue.input)}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? `${quote(issue.input)} is not a valid key`;
    case 'invalid_value':
      return `${quote(issue.input)} is not one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quote(k)).join(', ')}`;
    case 'too_small':
      return 'must not be empty';
    default:
      return undefined;
  }
}

/** The organization's tree: unique OU ids, parents that exist, no cycle. */
function organizationChecks(fleet: FleetFile): string[] {
  const problems: string[] = [];
  const units = fleet.organizationalUnits ?? [];
  const parents = new Map<string, string>();
  units.forEach((unit, u) => {
    if (parents.has(unit.id)) problems.push(`organizationalUnits[${u}].id: OU ${unit.id} is listed twice`);
    else parents.set(unit.id, unit.parentId);
  });
  const missing = (id: string): string | null =>
    id === ORGANIZATION_ROOT_ID || parents.has(id)
      ? null
      : id.startsWith('r-')
        ? `root ${id} does not exist (the simulated organization's root is ${ORGANIZATION_ROOT_ID})`
        : `OU ${id} is not listed in organizationalUnits`;
  units.forEach((unit, u) => {
    const problem = missing(unit.parentId);
    if (problem !== null) problems.push(`organizationalUnits[${u}].parentId: ${problem}`);
    const seen = new Set<string>([unit.id]);
    for (let at = parents.get(unit.id); at !== undefined && parents.has(at); at = parents.get(at)) {
      if (seen.has(at)) {
        problems.push(`organizationalUnits[${u}].parentId: OU ${unit.id} is its own ancestor (a cycle)`);
        break;
      }
      seen.add(at);
    }
  });
  fleet.accounts.forEach((account, a) => {
    const problem = account.parentId === undefined ? null : missing(account.parentId);
    if (problem !== null) problems.push(`accounts[${a}].parentId: ${problem}`);
  });
  return problems;
}

/** Problems a schema cannot see: duplicates, dangling parents, and node groups ahead of their control plane. */
function crossChecks(fleet: FleetFile): string[] {
  const problems: string[] = organizationChecks(fleet);
  const seenAccounts = new Set<string>();
  fleet.accounts.forEach((account, a) => {
    if (seenAccounts.has(account.id)) problems.push(`accounts[${a}].id: account ${account.id} is listed twice`);
    seenAccounts.add(account.id);
    for (const [regionName, regionEntry] of Object.entries(account.regions)) {
      const seenClusters = new Set<string>();
      regionEntry.clusters.forEach((cluster, c) => {
        const at = `accounts[${a}].regions.${regionName}.clusters[${c}]`;
        if (seenClusters.has(cluster.name)) problems.push(`${at}.name: cluster ${quote(cluster.name)} is listed twice`);
        seenClusters.add(cluster.name);
        const seenNodegroups = new Set<string>();
        (cluster.nodegroups ?? []).forEach((ng, n) => {
          if (seenNodegroups.has(ng.name))
            problems.push(`${at}.nodegroups[${n}].name: ${quote(ng.name)} is listed twice`);
          seenNodegroups.add(ng.name);
          if (compareVersions(ng.version, cluster.version) > 0) {
            problems.push(
              `${at}.nodegroups[${n}].version: ${ng.version} is ahead of the control plane's ${cluster.version} (EKS never allows that)`,
            );
          }
        });
        const seenProfiles = new Set<string>();
        (cluster.fargateProfiles ?? []).forEach((profile, n) => {
          const profileName = typeof profile === 'string' ? profile : profile.name;
          if (seenProfiles.has(profileName))
            problems.push(`${at}.fargateProfiles[${n}]: ${quote(profileName)} is listed twice`);
          seenProfiles.add(profileName);
        });
        const seenPrincipals = new Set<string>();
        (cluster.accessEntries ?? []).forEach((entry, n) => {
          if (seenPrincipals.has(entry.principalArn))
            problems.push(`${at}.accessEntries[${n}].principalArn: ${quote(entry.principalArn)} is listed twice`);
          seenPrincipals.add(entry.principalArn);
        });
        const seenAddons = new Set<string>();
        (cluster.addons ?? []).forEach((addon, n) => {
          if (seenAddons.has(addon.name))
            problems.push(`${at}.addons[${n}].name: ${quote(addon.name)} is listed twice`);
          seenAddons.add(addon.name);
        });
      });
    }
  });
  const seenVersions = new Set<string>();
  (fleet.calendar ?? []).forEach((entry, i) => {
    if (seenVersions.has(entry.version)) problems.push(`calendar[${i}].version: ${entry.version} is listed twice`);
    seenVersions.add(entry.version);
  });
  return problems;
}

/**
 * Validates a parsed JSON value as a fleet file.
 *
 * @throws FleetFileError naming every bad JSON path, e.g.
 *   `accounts[1].regions.eu-west-1.clusters[0].version: "1.3x" is not a version like 1.31`.
 */
export function parseFleetFile(json: unknown): FleetFile {
  const result = fleetFileSchema.safeParse(json, { error: issueMessage });
  if (!result.success) {
    throw new FleetFileError(validationProblems(result.error, '(root)'));
  }
  const fleet: FleetFile = result.data;
  const problems = crossChecks(fleet);
  if (problems.length > 0) throw new FleetFileError(problems);
  return fleet;
}

/**
 * Reads and validates a fleet file from disk.
 *
 * @throws FleetFileError when the file cannot be read, is not JSON, or is not a valid fleet file.
 */
export async function loadFleetFile(path: string): Promise<FleetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FleetFileError([`cannot read the file (${reason})`], { cause: error, source: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FleetFileError([`not valid JSON (${reason})`], { cause: error, source: path });
  }
  try {
    return parseFleetFile(json);
  } catch (error) {
    if (error instanceof FleetFileError) throw new FleetFileError(error.issues, { cause: error, source: path });
    throw error;
  }
}

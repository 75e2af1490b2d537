/**
 * The simulated fleet's live, mutable state: built from a fleet file with EKS's defaults filled in, changed by
 * updates and tag calls, and written back in fleet-file format (`snapshot`) so a later run can start from it.
 */
import { BUNDLED_CALENDAR } from '../core/calendar.ts';
import type { AddonCatalog, Calendar } from '../core/types.ts';
import {
  DEFAULT_ADDON_CATALOG,
  DEFAULT_AMI_TYPE,
  DEFAULT_HUB_ACCOUNT_ID,
  amiReleaseVersion,
  customAmiId,
  defaultPlatformVersion,
  releaseInstant,
} from './defaults.ts';
import type {
  FleetAddon,
  FleetAlarm,
  FleetCluster,
  FleetFile,
  FleetOrganizationalUnit,
  FleetNodegroup,
} from './fleet-file.ts';
import { stableHex, stableUuid } from './ids.ts';
import { snapshotCluster } from './snapshot.ts';
import { addonConfigOf, clusterConfigOf, nodegroupConfigOf } from './cluster-config.ts';
import { nextMinor, previousMinor } from './version-math.ts';

export type {
  SimAccount,
  SimAddon,
  SimCluster,
  SimInsightSpec,
  SimNodegroup,
  SimUpdate,
  UpdateScope,
} from './sim-types.ts';
import type { SimAccount, SimAddon, SimCluster, SimNodegroup, SimUpdate } from './sim-types.ts';

/** The whole simulated fleet. All reads and writes of the simulator go through it. */
export class FleetState {
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  readonly hubAccountId: string;
  /** The organization's OUs in fleet-file order. */
  readonly organizationalUnits: readonly FleetOrganizationalUnit[];
  readonly accounts = new Map<string, SimAccount>();
  /** CloudWatch metric alarms by `accountId/region`, in fleet-file order. */
  readonly alarms = new Map<string, FleetAlarm[]>();
  private readonly source: FleetFile;

  constructor(fleet: FleetFile, options: { hubAccountId?: string; now: Date }) {
    this.source = fleet;
    this.calendar = fleet.calendar ?? BUNDLED_CALENDAR;
    // A fleet's catalog entries add add-ons to the default catalog, or replace a default add-on's versions.
    this.catalog = { ...DEFAULT_ADDON_CATALOG, ...fleet.addonCatalog };
    this.hubAccountId = options.hubAccountId ?? fleet.hubAccountId ?? DEFAULT_HUB_ACCOUNT_ID;
    this.organizationalUnits = fleet.organizationalUnits ?? [];
    for (const account of fleet.accounts) {
      const regions = new Map<string, Map<string, SimCluster>>();
      for (const [region, entry] of Object.entries(account.regions)) {
        const clusters = new Map<string, SimCluster>();
        for (const cluster of entry.clusters) {
          clusters.set(cluster.name, this.buildCluster(account.id, region, cluster, options.now));
        }
        regions.set(region, clusters);
        if (entry.alarms !== undefined)
          this.alarms.set(
            `${account.id}/${region}`,
            entry.alarms.map((a) => ({ ...a })),
          );
      }
      this.accounts.set(account.id, {
        id: account.id,
        name: account.name ?? `account-${account.id}`,
        parentId: account.parentId,
        fault: account.fault,
        deniedOperations: account.deniedOperations,
        regions,
      });
    }
  }

  /** The cluster, or undefined when the account, region or cluster does not exist. */
  cluster(accountId: string, region: string, name: string): SimCluster | undefined {
    return this.accounts.get(accountId)?.regions.get(region)?.get(name);
  }

  /** Clusters of one account-region in fleet-file order (empty for unknown ones). */
  clustersIn(accountId: string, region: string): SimCluster[] {
    return [...(this.accounts.get(accountId)?.regions.get(region)?.values() ?? [])];
  }

  /** Deletes a cluster; false when it did not exist. */
  removeCluster(accountId: string, region: string, name: string): boolean {
    return this.accounts.get(accountId)?.regions.get(region)?.delete(name) ?? false;
  }

  /** Every cluster, for snapshotting and lazy update processing. */
  *allClusters(): Generator<SimCluster> {
    for (const account of this.accounts.values()) {
      for (const clusters of account.regions.values()) yield* clusters.values();
    }
  }

  /** The current state in fleet-file format (call after advancing updates). */
  snapshot(): FleetFile {
    return {
      ...(this.source.hubAccountId === undefined ? {} : { hubAccountId: this.source.hubAccountId }),
      ...(this.source.organizationalUnits === undefined
        ? {}
        : { organizationalUnits: this.source.organizationalUnits }),
      ...(this.source.calendar === undefined ? {} : { calendar: this.source.calendar }),
      ...(this.source.addonCatalog === undefined ? {} : { addonCatalog: this.source.addonCatalog }),
      accounts: [...this.accounts.values()].map((account) => ({
        id: account.id,
        name: account.name,
        ...(account.parentId === undefined ? {} : { parentId: account.parentId }),
        ...(account.fault === undefined ? {} : { fault: account.fault }),
        ...(account.deniedOperations === undefined ? {} : { deniedOperations: account.deniedOperations }),
        regions: Object.fromEntries(
          [...account.regions].map(([region, clusters]) => [
            region,
            {
              clusters: [...clusters.values()].map((cluster) => snapshotCluster(cluster)),
              ...(this.alarms.has(`${account.id}/${region}`)
                ? { alarms: this.alarms.get(`${account.id}/${region}`) }
                : {}),
            },
          ]),
        ),
      })),
    };
  }

  private buildCluster(accountId: string, region: string, spec: FleetCluster, now: Date): SimCluster {
    const arn = `arn:aws:eks:${region}:${accountId}:cluster/${spec.name}`;
    const createdAtMs =
      spec.createdAt === undefined
        ? (releaseInstant(this.calendar, spec.version)?.getTime() ?? now.getTime())
        : Date.parse(spec.createdAt);
    const config = clusterConfigOf({ accountId, region, name: spec.name, arn, createdAtMs }, spec);
    const cluster: SimCluster = {
      accountId,
      region,
      name: spec.name,
      arn,
      id: stableUuid(arn),
      version: spec.version,
      platformVersion: spec.platformVersion ?? defaultPlatformVersion(this.calendar, spec.version, now),
      status: spec.status ?? 'ACTIVE',
      supportType: spec.supportType ?? 'EXTENDED',
      tags: { ...spec.tags },
      autoMode: spec.autoMode ?? false,
      createdAtMs,
      nodegroups: new Map(),
      addons: new Map(),
      fargateProfiles: [...config.fargateProfiles.keys()],
      config,
      insights:
        spec.insights?.map((insight) => ({
          name: insight.name,
          status: insight.status,
          kubernetesVersion: insight.kubernetesVersion ?? nextMinor(spec.version),
          reason: insight.reason ?? null,
          category: insight.category ?? 'UPGRADE_READINESS',
        })) ?? null,
      fault: spec.fault,
      upgradedFrom: initialUpgradedFrom(spec),
      updates: [],
      tokens: new Map(),
    };
    for (const ng of spec.nodegroups ?? []) cluster.nodegroups.set(ng.name, this.buildNodegroup(cluster, ng));
    for (const addon of spec.addons ?? []) cluster.addons.set(addon.name, buildAddon(cluster, addon));
    if (spec.versionSince !== undefined) {
      cluster.updates.push(historicVersionUpdate(cluster, Date.parse(spec.versionSince)));
    } else if (spec.upgradedFrom !== undefined) {
      cluster.updates.push(historicVersionUpdate(cluster, Date.parse(spec.upgradedFrom.at)));
    }
    if (spec.rolledBackFrom !== undefined) cluster.updates.push(historicRollback(cluster, spec.rolledBackFrom));
    if (spec.updateInProgress === true) cluster.updates.push(runningConfigUpdate(cluster, now.getTime()));
    return cluster;
  }

  private buildNodegroup(cluster: SimCluster, spec: FleetNodegroup): SimNodegroup {
    const customAmi = spec.customAmi ?? spec.amiType === 'CUSTOM';
    const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:nodegroup/${cluster.name}/${spec.name}/${stableUuid(`${cluster.arn}/ng/${spec.name}`)}`;
    return {
      name: spec.name,
      arn,
      version: spec.version,
      releaseVersion:
        spec.releaseVersion ?? (customAmi ? customAmiId(arn) : amiReleaseVersion(this.calendar, spec.version)),
      status: spec.status ?? 'ACTIVE',
      amiType: customAmi ? 'CUSTOM' : (spec.amiType ?? DEFAULT_AMI_TYPE),
      customAmi,
      fault: spec.fault,
      launchTemplateVersion: 1,
      tags: { ...spec.tags },
      createdAtMs: cluster.createdAtMs,
      modifiedAtMs: cluster.createdAtMs,
      config: nodegroupConfigOf(cluster, spec, customAmi),
    };
  }
}

function buildAddon(cluster: SimCluster, spec: FleetAddon): SimAddon {
  const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:addon/${cluster.name}/${spec.name}/${stableUuid(`${cluster.arn}/addon/${spec.name}`)}`;
  return {
    name: spec.name,
    arn,
    config: addonConfigOf(cluster, arn, spec),
    version: spec.version,
    status: spec.status ?? 'ACTIVE',
    fault: spec.fault,
    tags: { ...spec.tags },
    createdAtMs: cluster.createdAtMs,
    modifiedAtMs: cluster.createdAtMs,
  };
}

/** The Successful VersionUpdate that a fleet file's `versionSince` stands for. */
function historicVersionUpdate(cluster: SimCluster, createdAtMs: number): SimUpdate {
  return {
    id: stableUuid(`${cluster.arn}/version-since/${createdAtMs}`),
    type: 'VersionUpdate',
    status: 'Successful',
    params: [
      { type: 'Version', value: cluster.version },
      { type: 'PlatformVersion', value: 'eks.1' },
    ],
    createdAtMs,
    completesAtMs: createdAtMs,
    scope: { kind: 'cluster' },
    clientRequestToken: null,
    failure: null,
    errors: [],
    apply: () => undefined,
  };
}

/** The in-place upgrade a fleet-file cluster starts with: explicit, else implied by `versionSince`. */
function initialUpgradedFrom(spec: FleetCluster): SimCluster['upgradedFrom'] {
  if (spec.upgradedFrom !== undefined) {
    return { version: spec.upgradedFrom.version, atMs: Date.parse(spec.upgradedFrom.at) };
  }
  if (spec.versionSince === undefined) return null;
  const sinceMs = Date.parse(spec.versionSince);
  if (spec.rolledBackFrom !== undefined && Date.parse(spec.rolledBackFrom.at) >= sinceMs) return null;
  const previous = previousMinor(spec.version);
  return previous === null ? null : { version: previous, atMs: sinceMs };
}

/** The Successful VersionRollback that a fleet file's `rolledBackFrom` stands for. */
function historicRollback(cluster: SimCluster, from: { version: string; at: string }): SimUpdate {
  const createdAtMs = Date.parse(from.at);
  return {
    id: stableUuid(`${cluster.arn}/rolled-back/${createdAtMs}`),
    type: 'VersionRollback',
    status: 'Successful',
    params: [{ type: 'Version', value: cluster.version }],
    createdAtMs,
    completesAtMs: createdAtMs,
    scope: { kind: 'cluster' },
    clientRequestToken: null,
    failure: null,
    errors: [],
    apply: () => undefined,
  };
}

/** An update the simulator did not start (fleet-file `updateInProgress`): it stays InProgress. */
function runningConfigUpdate(cluster: SimCluster, nowMs: number): SimUpdate {
  return {
    id: stableUuid(`${cluster.arn}/update-in-progress`),
    type: 'LoggingUpdate',
    status: 'InProgress',
    params: [{ type: 'ClusterLogging', value: '{"clusterLogging":[{"types":["api","audit"],"enabled":true}]}' }],
    createdAtMs: nowMs,
    completesAtMs: null,
    scope: { kind: 'cluster' },
    clientRequestToken: null,
    failure: null,
    errors: [],
    apply: () => undefined,
  };
}

/** A cluster endpoint in EKS's format (`https://<HEX>.gr7.<region>.eks.amazonaws.com`). */
export function clusterEndpoint(cluster: SimCluster): string {
  return `https://${stableHex(cluster.arn, 32).toUpperCase()}.gr7.${cluster.region}.eks.amazonaws.com`;
}

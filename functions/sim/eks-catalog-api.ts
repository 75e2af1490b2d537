/**
 * EKS's version catalogs: DescribeAddonVersions from the fleet's add-on catalog (default DEFAULT_ADDON_CATALOG) and
 * DescribeClusterVersions from the fleet's calendar (default BUNDLED_CALENDAR), with support status computed at
 * the simulated now.
 */
import type { AddonVersionInfo, CalendarEntry } from '../core/types.ts';
import { ADDON_TYPES, defaultPlatformVersion, kubernetesPatchVersion } from './defaults.ts';
import { invalidParameter } from './errors.ts';
import { paginate } from './pagination.ts';
import { compareSemver, compareVersions, isVersion } from './version-math.ts';
import type { ServiceContext } from './wire.ts';

type VersionStatus = 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';

const LEGACY_STATUS: Readonly<Record<VersionStatus, string>> = {
  STANDARD_SUPPORT: 'standard-support',
  EXTENDED_SUPPORT: 'extended-support',
  UNSUPPORTED: 'unsupported',
};

function renderAddonVersion(
  addon: string,
  info: AddonVersionInfo,
  kubernetesVersion: string | null,
): Record<string, unknown> {
  const versions = kubernetesVersion === null ? info.compatibleWith : [kubernetesVersion];
  return {
    addonVersion: info.version,
    architecture: ['amd64', 'arm64'],
    computeTypes: ['ec2'],
    compatibilities: versions.map((clusterVersion) => ({
      clusterVersion,
      platformVersions: ['*'],
      defaultVersion: info.defaultFor.includes(clusterVersion),
    })),
    requiresConfiguration: false,
    requiresIamPermissions: addon === 'aws-ebs-csi-driver',
  };
}

/** DescribeAddonVersions: add-ons (filtered by name, type, publisher, owner) with versions for a cluster version. */
export function describeAddonVersions(ctx: ServiceContext, query: URLSearchParams): Record<string, unknown> {
  const kubernetesVersion = query.get('kubernetesVersion') || null;
  if (kubernetesVersion !== null && !isVersion(kubernetesVersion)) {
    throw invalidParameter(`kubernetesVersion ${kubernetesVersion} is not a valid Kubernetes version`);
  }
  const addonName = query.get('addonName') || null;
  const types = query.getAll('types');
  const publishers = query.getAll('publishers');
  const owners = query.getAll('owners');
  const addons = Object.keys(ctx.state.catalog)
    .sort()
    .filter((name) => addonName === null || name === addonName)
    .filter((name) => types.length === 0 || types.includes(ADDON_TYPES[name] ?? 'other'))
    .filter(
      () => (publishers.length === 0 || publishers.includes('eks')) && (owners.length === 0 || owners.includes('aws')),
    )
    .map((name) => {
      const versions = (ctx.state.catalog[name] ?? [])
        .filter((info) => kubernetesVersion === null || info.compatibleWith.includes(kubernetesVersion))
        .sort((a, b) => compareSemver(b.version, a.version));
      return { name, versions };
    })
    .filter(({ versions }) => versions.length > 0);
  const page = paginate(
    addons,
    { maxResults: query.get('maxResults') ?? undefined, nextToken: query.get('nextToken') ?? undefined },
    { pageSize: ctx.pageSize, limit: 100, invalid: (message) => invalidParameter(message) },
  );
  return {
    addons: page.items.map(({ name, versions }) => ({
      addonName: name,
      type: ADDON_TYPES[name] ?? 'other',
      addonVersions: versions.map((info) => renderAddonVersion(name, info, kubernetesVersion)),
      publisher: 'eks',
      owner: 'aws',
      defaultNamespace: 'kube-system',
    })),
    nextToken: page.nextToken,
  };
}

/** A version's support status on the UTC day `today` (on its end-of-standard date it is already EXTENDED). */
function versionStatusOn(entry: CalendarEntry, today: string): VersionStatus {
  if (today < entry.endOfStandardSupport) return 'STANDARD_SUPPORT';
  if (today < entry.endOfExtendedSupport) return 'EXTENDED_SUPPORT';
  return 'UNSUPPORTED';
}

const epochSeconds = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 1000;

/**
 * DescribeClusterVersions: released versions, newest first. Unsupported versions only with `includeAll`, or when
 * asked for by name or status; `defaultOnly`, `clusterVersions`, `versionStatus` and `status` filter.
 */
export function describeClusterVersions(ctx: ServiceContext, query: URLSearchParams): Record<string, unknown> {
  const today = ctx.now.toISOString().slice(0, 10);
  const clusterType = query.get('clusterType');
  const wanted = query.getAll('clusterVersions');
  const includeAll = query.get('includeAll') === 'true';
  const defaultOnly = query.get('defaultOnly') === 'true';
  const versionStatus = query.get('versionStatus') || null;
  const legacyStatus = query.get('status') || null;
  const released = ctx.state.calendar
    .filter((entry) => entry.releaseDate === undefined || entry.releaseDate <= today)
    .map((entry) => ({ entry, status: versionStatusOn(entry, today) }))
    .sort((a, b) => compareVersions(b.entry.version, a.entry.version));
  const defaultVersion = released.find((v) => v.status === 'STANDARD_SUPPORT')?.entry.version ?? null;
  const unsupportedAsked =
    includeAll || wanted.length > 0 || versionStatus === 'UNSUPPORTED' || legacyStatus === 'unsupported';
  const matching = released.filter(
    ({ entry, status }) =>
      (clusterType === null || clusterType === '' || clusterType === 'eks') &&
      (wanted.length === 0 || wanted.includes(entry.version)) &&
      (versionStatus === null || versionStatus === status) &&
      (legacyStatus === null || legacyStatus === LEGACY_STATUS[status]) &&
      (!defaultOnly || entry.version === defaultVersion) &&
      (status !== 'UNSUPPORTED' || unsupportedAsked),
  );
  const page = paginate(
    matching,
    { maxResults: query.get('maxResults') ?? undefined, nextToken: query.get('nextToken') ?? undefined },
    { pageSize: ctx.pageSize, limit: 100, invalid: (message) => invalidParameter(message) },
  );
  return {
    clusterVersions: page.items.map(({ entry, status }) => ({
      clusterVersion: entry.version,
      clusterType: 'eks',
      defaultPlatformVersion: defaultPlatformVersion(ctx.state.calendar, entry.version, ctx.now),
      defaultVersion: entry.version === defaultVersion,
      ...(entry.releaseDate === undefined ? {} : { releaseDate: epochSeconds(entry.releaseDate) }),
      endOfStandardSupportDate: epochSeconds(entry.endOfStandardSupport),
      endOfExtendedSupportDate: epochSeconds(entry.endOfExtendedSupport),
      status: LEGACY_STATUS[status],
      versionStatus: status,
      kubernetesPatchVersion: kubernetesPatchVersion(entry.version),
    })),
    nextToken: page.nextToken,
  };
}

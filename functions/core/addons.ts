/**
 * EKS managed add-ons against the add-on catalog (`DescribeAddonVersions`). EKS never upgrades add-ons itself: every
 * control-plane hop must be followed by moving each add-on to a version compatible with the new minor (the
 * default for it, by preference). vpc-cni moves one minor version at a time.
 *
 * Decision: an add-on the catalog does not list at all (self-managed, or unknown to the catalog) is not ours to
 * judge: it counts as compatible now and with the next minor, has no recommendation, and needs no update steps, so it
 * never raises a finding or blocks an upgrade. An add-on the catalog lists (even with no versions) is judged by it.
 */
import { nextMinor } from './versions.ts';
import type { AddonCatalog, AddonState, AddonVersionInfo, Version } from './types.ts';

/** How one installed add-on stands against its cluster's version and the next minor (the JSON report's `addons[]`). */
interface AddonAssessment {
  name: string;
  version: string;
  /** The catalog lists this exact version as compatible with the cluster's version. */
  compatible: boolean;
  /** The catalog lists this exact version as compatible with the next minor. */
  compatibleWithNext: boolean;
  /** The version to move to for the next minor: its default, else the newest compatible; null when none. */
  recommendedForNext: string | null;
}

/** Add-ons that must move one minor version at a time (AWS: vpc-cni). */
const ONE_MINOR_AT_A_TIME_ADDONS: ReadonlySet<string> = new Set(['vpc-cni']);

interface ParsedAddonVersion {
  /** The numeric parts of the semver core, at least one. */
  readonly core: readonly number[];
  readonly major: number;
  /** 0 when the version has no minor part (`v2`). */
  readonly minor: number;
  readonly build: number;
}

const ADDON_CORE_PATTERN = /^v?\d+(?:\.\d+)*/;
const EKSBUILD_PATTERN = /eksbuild\.(\d+)/;

function parseAddonVersion(text: string): ParsedAddonVersion | null {
  const match = ADDON_CORE_PATTERN.exec(text);
  if (match === null) return null;
  const suffix = text.slice(match[0].length);
  if (suffix !== '' && !suffix.startsWith('-') && !suffix.startsWith('+')) return null;
  const core = match[0].replace(/^v/, '').split('.').map(Number);
  const build = EKSBUILD_PATTERN.exec(suffix);
  return {
    core,
    major: Number(core[0]),
    minor: core.length > 1 ? Number(core[1]) : 0,
    build: build === null ? 0 : Number(build[1]),
  };
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Orders add-on versions such as `v1.19.2-eksbuild.1`: numerically by the parts of the semver core (a missing part
 * counts as 0), then by the `eksbuild` number (0 when absent). A version that does not start with numbers sorts before
 * every one that does, and such versions order among themselves as plain strings. Negative/0/positive like a sort
 * comparator.
 *
 * @example compareAddonVersions('v1.9.0-eksbuild.1', 'v1.10.0-eksbuild.1') // < 0
 */
export function compareAddonVersions(a: string, b: string): number {
  const left = parseAddonVersion(a);
  const right = parseAddonVersion(b);
  if (left === null || right === null) {
    if (left !== null) return 1;
    if (right !== null) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const length = Math.max(left.core.length, right.core.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return sign(diff);
  }
  return sign(left.build - right.build);
}

function newest(versions: readonly AddonVersionInfo[]): AddonVersionInfo | null {
  let best: AddonVersionInfo | null = null;
  for (const info of versions) {
    if (best === null || compareAddonVersions(info.version, best.version) > 0) best = info;
  }
  return best;
}

function recommendedAmong(versions: readonly AddonVersionInfo[], clusterVersion: Version): string | null {
  const defaults = versions.filter((info) => info.defaultFor.includes(clusterVersion));
  const pick = newest(defaults) ?? newest(versions.filter((info) => info.compatibleWith.includes(clusterVersion)));
  return pick === null ? null : pick.version;
}

/**
 * The version of an add-on to run on `clusterVersion`: the catalog's default for it (the newest, should several
 * claim it), else the newest version compatible with it; null when the catalog has none or does not list the add-on.
 */
export function recommendedAddonVersion(
  addonName: string,
  clusterVersion: Version,
  catalog: AddonCatalog,
): string | null {
  const versions = catalog[addonName];
  return versions === undefined ? null : recommendedAmong(versions, clusterVersion);
}

function isListedCompatible(versions: readonly AddonVersionInfo[], version: string, clusterVersion: Version): boolean {
  return versions.some((info) => info.version === version && info.compatibleWith.includes(clusterVersion));
}

/**
 * Judges an installed add-on for its cluster: is this exact version compatible with the cluster's version, and with
 * the next minor (so the next control-plane hop will not break it), and what to move to for that next minor.
 * An add-on missing from the catalog counts as compatible with no recommendation (see the module comment).
 *
 * @throws InvalidVersionError when `clusterVersion` is not `MAJOR.MINOR`.
 */
export function assessAddon(addon: AddonState, clusterVersion: Version, catalog: AddonCatalog): AddonAssessment {
  const next = nextMinor(clusterVersion);
  const versions = catalog[addon.name];
  if (versions === undefined) {
    return {
      name: addon.name,
      version: addon.version,
      compatible: true,
      compatibleWithNext: true,
      recommendedForNext: null,
    };
  }
  return {
    name: addon.name,
    version: addon.version,
    compatible: isListedCompatible(versions, addon.version, clusterVersion),
    compatibleWithNext: isListedCompatible(versions, addon.version, next),
    recommendedForNext: recommendedAmong(versions, next),
  };
}

function minorOf(version: string): readonly [number, number] | null {
  const parsed = parseAddonVersion(version);
  return parsed === null ? null : [parsed.major, parsed.minor];
}

function compareMinor(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] !== b[0] ? sign(a[0] - b[0]) : sign(a[1] - b[1]);
}

/**
 * The add-on versions to apply, in order, to bring an add-on to the recommended (default) version for
 * `targetClusterVersion`, after the control plane reached it.
 *
 * - `[]` when the add-on is already at that version or newer (EKS cannot downgrade an add-on), or when the catalog
 *   does not list the add-on (self-managed: not ours to move).
 * - `null` when the catalog lists the add-on but no version of it is compatible with `targetClusterVersion`: the
 *   upgrade blocker `ADDON_NO_COMPATIBLE_VERSION`.
 * - `vpc-cni` moves one minor at a time: for each minor between the current and the target, the newest catalog
 *   version of that minor that is compatible with `targetClusterVersion`, then the target. An intermediate minor with
 *   no such version is skipped: EKS would refuse to install it, and the one-minor rule is advice EKS does not enforce.
 * - Every other add-on goes straight to the target.
 *
 * @example addonUpdateSteps('vpc-cni', 'v1.18.3-eksbuild.1', '1.31', catalog) // ['v1.19.2-eksbuild.1', 'v1.20.4-eksbuild.2']
 */
export function addonUpdateSteps(
  addonName: string,
  currentVersion: string,
  targetClusterVersion: Version,
  catalog: AddonCatalog,
): string[] | null {
  const versions = catalog[addonName];
  if (versions === undefined) return [];
  const target = recommendedAmong(versions, targetClusterVersion);
  if (target === null) return null;
  if (compareAddonVersions(currentVersion, target) >= 0) return [];
  const from = minorOf(currentVersion);
  const to = minorOf(target);
  if (!ONE_MINOR_AT_A_TIME_ADDONS.has(addonName) || from === null || to === null) return [target];

  const newestPerMinor = new Map<string, AddonVersionInfo>();
  for (const info of versions) {
    const minor = minorOf(info.version);
    if (minor === null || compareMinor(minor, from) <= 0 || compareMinor(minor, to) >= 0) continue;
    if (!info.compatibleWith.includes(targetClusterVersion)) continue;
    const key = minor.join('.');
    const best = newestPerMinor.get(key);
    if (best === undefined || compareAddonVersions(info.version, best.version) > 0) newestPerMinor.set(key, info);
  }
  const steps = [...newestPerMinor.values()].map((info) => info.version).sort(compareAddonVersions);
  return [...steps, target];
}

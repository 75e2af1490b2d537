/**
 * What a freshly created EKS cluster looks like when the fleet file does not say: the add-on catalog, AMI type,
 * platform and AMI release versions, and the PASSING insight set EKS reports for a healthy cluster.
 */
import type { AddonCatalog, AddonVersionInfo, Calendar } from '../core/types.ts';
import { stableHex } from './ids.ts';
import { minorOf, nextMinor } from './version-math.ts';

/** The account the base credentials belong to when neither the options nor the fleet file name one. */
export const DEFAULT_HUB_ACCOUNT_ID = '111111111111';

/** The AMI type EKS picks for a new managed node group. */
export const DEFAULT_AMI_TYPE = 'AL2023_x86_64_STANDARD';

const MS_PER_DAY = 86_400_000;

/** Cluster versions `1.from`..`1.to` inclusive. */
function minors(from: number, to: number): string[] {
  const list: string[] = [];
  for (let minor = from; minor <= to; minor += 1) list.push(`1.${minor}`);
  return list;
}

function entry(version: string, compatible: [number, number], defaults: [number, number] | null): AddonVersionInfo {
  return Object.freeze({
    version,
    compatibleWith: Object.freeze(minors(compatible[0], compatible[1])),
    defaultFor: Object.freeze(defaults === null ? [] : minors(defaults[0], defaults[1])),
  });
}

/** kube-proxy's newest patch per cluster minor (it ships one build line per Kubernetes minor). */
const KUBE_PATCH: Readonly<Record<number, number>> = {
  23: 17,
  24: 17,
  25: 16,
  26: 15,
  27: 16,
  28: 15,
  29: 15,
  30: 14,
  31: 10,
  32: 6,
  33: 3,
  34: 2,
  35: 1,
  36: 0,
};

/** The newest Kubernetes patch release EKS runs for a minor version (`1.31` → `1.31.10`). */
export function kubernetesPatchVersion(version: string): string {
  return `${version}.${KUBE_PATCH[minorOf(version)] ?? 0}`;
}

function kubeProxyVersions(): AddonVersionInfo[] {
  const list: AddonVersionInfo[] = [];
  for (let minor = 36; minor >= 23; minor -= 1) {
    const patch = KUBE_PATCH[minor] ?? 0;
    list.push(entry(`v1.${minor}.${patch}-eksbuild.2`, [minor, minor], [minor, minor]));
    if (patch >= 2) list.push(entry(`v1.${minor}.${patch - 2}-eksbuild.1`, [minor, minor], null));
  }
  return list;
}

/**
 * The simulator's add-on catalog when the fleet file has none: vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver
 * and eks-pod-identity-agent, each with at least one compatible version and exactly one default for every
 * cluster version 1.23–1.36. vpc-cni spans several minors (v1.12…v1.20, none skipped) so the "one vpc-cni minor
 * at a time" rule has stepping stones to walk.
 */
export const DEFAULT_ADDON_CATALOG: AddonCatalog = Object.freeze({
  'vpc-cni': Object.freeze([
    entry('v1.20.4-eksbuild.2', [28, 36], [35, 36]),
    entry('v1.20.1-eksbuild.1', [27, 36], [33, 34]),
    entry('v1.19.5-eksbuild.3', [25, 34], [32, 32]),
    entry('v1.19.2-eksbuild.1', [25, 33], [30, 31]),
    entry('v1.18.6-eksbuild.1', [25, 31], [29, 29]),
    entry('v1.17.1-eksbuild.1', [25, 30], null),
    entry('v1.16.4-eksbuild.2', [25, 30], [28, 28]),
    entry('v1.15.5-eksbuild.1', [23, 29], [27, 27]),
    entry('v1.14.1-eksbuild.1', [23, 28], [26, 26]),
    entry('v1.13.4-eksbuild.1', [23, 28], [25, 25]),
    entry('v1.12.6-eksbuild.2', [23, 27], [23, 24]),
  ]),
  coredns: Object.freeze([
    entry('v1.12.3-eksbuild.1', [33, 36], [35, 36]),
    entry('v1.12.1-eksbuild.2', [32, 36], [34, 34]),
    entry('v1.11.4-eksbuild.14', [29, 34], [32, 33]),
    entry('v1.11.3-eksbuild.2', [29, 33], [30, 31]),
    entry('v1.11.1-eksbuild.13', [29, 33], [29, 29]),
    entry('v1.10.1-eksbuild.13', [25, 30], [26, 28]),
    entry('v1.9.3-eksbuild.15', [23, 28], [24, 25]),
    entry('v1.8.7-eksbuild.10', [23, 24], [23, 23]),
  ]),
  'kube-proxy': Object.freeze(kubeProxyVersions()),
  'aws-ebs-csi-driver': Object.freeze([
    entry('v1.48.0-eksbuild.1', [29, 36], [35, 36]),
    entry('v1.45.0-eksbuild.2', [28, 36], [33, 34]),
    entry('v1.38.1-eksbuild.2', [26, 33], [31, 32]),
    entry('v1.35.0-eksbuild.2', [25, 31], [29, 30]),
    entry('v1.30.0-eksbuild.1', [24, 30], [27, 28]),
    entry('v1.25.0-eksbuild.1', [23, 29], [25, 26]),
    entry('v1.19.0-eksbuild.2', [23, 27], [23, 24]),
  ]),
  'eks-pod-identity-agent': Object.freeze([
    entry('v1.3.8-eksbuild.2', [27, 36], [33, 36]),
    entry('v1.3.4-eksbuild.1', [25, 34], [30, 32]),
    entry('v1.2.0-eksbuild.1', [24, 31], [27, 29]),
    entry('v1.0.0-eksbuild.1', [23, 29], [23, 26]),
  ]),
});

/** DescribeAddonVersions' `type` of the add-ons EKS publishes. */
export const ADDON_TYPES: Readonly<Record<string, string>> = Object.freeze({
  'vpc-cni': 'networking',
  coredns: 'networking',
  'kube-proxy': 'networking',
  'aws-ebs-csi-driver': 'storage',
  'eks-pod-identity-agent': 'security',
});

function releaseMs(calendar: Calendar, version: string): number | null {
  const date = calendar.find((row) => row.version === version)?.releaseDate;
  return date === undefined ? null : Date.parse(`${date}T00:00:00Z`);
}

/** 00:00 UTC of `version`'s release date, or null when the calendar does not know it. */
export function releaseInstant(calendar: Calendar, version: string): Date | null {
  const ms = releaseMs(calendar, version);
  return ms === null ? null : new Date(ms);
}

/** A plausible `eks.N` for a cluster at `version` at `now`: EKS ships a platform version every month or two. */
export function defaultPlatformVersion(calendar: Calendar, version: string, now: Date): string {
  const released = releaseMs(calendar, version);
  if (released === null) return 'eks.1';
  const n = 1 + Math.floor(Math.max(0, now.getTime() - released) / (45 * MS_PER_DAY));
  return `eks.${Math.min(n, 40)}`;
}

function yyyymmdd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * An EKS-optimized AMI release version (`1.31.10-20250304`) for `version`, published at `at`; when `at` is
 * omitted, the release two months after the version's launch (stable, so a fleet file round-trips).
 */
export function amiReleaseVersion(calendar: Calendar, version: string, at?: Date): string {
  const released = releaseMs(calendar, version) ?? Date.parse('2024-01-01T00:00:00Z');
  return `${kubernetesPatchVersion(version)}-${yyyymmdd(at?.getTime() ?? released + 60 * MS_PER_DAY)}`;
}

/** A custom AMI's id as EKS reports it in `releaseVersion`. */
export function customAmiId(seed: string): string {
  return `ami-0${stableHex(seed, 16)}`;
}

/** Insight names of the PASSING set EKS reports for a healthy cluster at `version`. */
export function defaultInsightNames(version: string): string[] {
  return [
    'Amazon EKS add-on version compatibility',
    'Cluster health issues',
    `Deprecated APIs removed in Kubernetes v${nextMinor(version)}`,
    'kube-proxy version skew',
    'Kubelet version skew',
  ];
}

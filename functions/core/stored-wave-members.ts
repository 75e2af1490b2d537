/**
 * Wave members as the fleet store knows them, for the upgrade workflow's gates: the stored audit reports say who is
 * opted in, in which wave, at which version; the stored `versionSince` (or, for records written without it, the
 * cluster history) says since when. Re-checking the wave gate from the store keeps the pre-flight from reading every
 * lower-wave cluster in other accounts again.
 *
 * Decision: from history, "since when" is the audit time of the first entry of the latest unbroken run of entries at
 * the current version. History is written on change only, so that is the first audit that saw the version: never
 * earlier than the real upgrade, so the soak is never shortened.
 */
import { waveMembers } from './audit-report.ts';
import type { ClusterReport } from './report-types.ts';
import type { ClusterState, IsoInstant } from './types.ts';
import { withLastKnownGroups } from './waves.ts';
import type { UnreadableAccountRegion, WaveMember } from './waves.ts';
import { DEFAULT_ROLLOUT_GROUP } from './defaults.ts';

/** One history entry as the gate needs it. */
interface VersionHistoryEntry {
  readonly auditedAt: IsoInstant;
  readonly report: { readonly version: string };
}

/**
 * Since when the history says the cluster has run `version`: the oldest entry of the newest unbroken run of entries
 * at that version; null when the newest entry is at another version (or there is none).
 */
export function versionSinceFromHistory(history: readonly VersionHistoryEntry[], version: string): IsoInstant | null {
  const newestFirst = [...history].sort((a, b) => Date.parse(b.auditedAt) - Date.parse(a.auditedAt));
  let since: IsoInstant | null = null;
  for (const entry of newestFirst) {
    if (entry.report.version !== version) break;
    since = entry.auditedAt;
  }
  return since;
}

/** A wave member from a stored report and since when it runs its version; null when it is not opted in. */
export function storedWaveMember(
  report: Pick<ClusterReport, 'arn' | 'name' | 'version' | 'upgrade'>,
  versionSince: IsoInstant | null,
): WaveMember | null {
  if (!report.upgrade.optedIn) return null;
  return {
    arn: report.arn,
    name: report.name,
    wave: report.upgrade.wave,
    version: report.version,
    versionSince,
    rolloutGroup: storedRolloutGroup(report.upgrade),
  };
}

/**
 * The rollout groups whose wave index an account-region's clusters need: those of its clusters in a wave above 0
 * (wave 0 is never gated), each once, sorted.
 */
export function gatedRolloutGroups(
  policies: readonly { readonly wave: number; readonly rolloutGroup: string }[],
): string[] {
  const groups = policies.filter((policy) => policy.wave > 0).map((policy) => policy.rolloutGroup);
  return [...new Set(groups)].sort();
}

/** The rollout group of a stored report; reports stored before rollout groups existed are in the default group. */
export function storedRolloutGroup(upgrade: { readonly rolloutGroup?: string }): string {
  return upgrade.rolloutGroup ?? DEFAULT_ROLLOUT_GROUP;
}

/**
 * The unreadable account-regions with the rollout groups last known there, from the stored (not deleted) clusters: see
 * {@link withLastKnownGroups}.
 */
export function unreadableWithStoredGroups(
  unreadable: readonly UnreadableAccountRegion[],
  stored: readonly StoredWaveFacts[],
): UnreadableAccountRegion[] {
  const known = stored
    .filter(({ deletedAt }) => deletedAt === undefined || deletedAt === null)
    .map(({ report }) => ({
      accountId: report.accountId,
      region: report.region,
      optedIn: report.upgrade.optedIn,
      rolloutGroup: storedRolloutGroup(report.upgrade),
    }));
  return withLastKnownGroups(unreadable, known);
}

/** A stored cluster record as the wave rule reads it. */
export interface StoredWaveFacts {
  readonly report: Pick<ClusterReport, 'accountId' | 'region' | 'arn' | 'name' | 'version' | 'upgrade'>;
  readonly versionSince?: IsoInstant | null;
  readonly deletedAt?: IsoInstant | null;
}

/** The opted-in clusters among stored records, as wave members (deleted ones are not members). */
export function storedWaveMembers(stored: readonly StoredWaveFacts[]): WaveMember[] {
  return stored.flatMap(({ report, versionSince, deletedAt }) => {
    if (deletedAt !== undefined && deletedAt !== null) return [];
    const member = storedWaveMember(report, versionSince ?? null);
    return member === null ? [] : [member];
  });
}

/**
 * The opted-in clusters the wave rule compares one account-region's fresh clusters against: those fresh clusters,
 * plus every other stored, not deleted, opted-in cluster of the fleet (stale ones with their last known version).
 * Stored records of this account-region are replaced by the fresh read, except those of clusters that could not be
 * read this time (`unread`).
 */
export function fleetWaveMembers(
  stored: readonly StoredWaveFacts[],
  accountRegion: { accountId: string; region: string; unread: ReadonlySet<string> },
  fresh: readonly ClusterState[],
  tagPrefix: string,
): WaveMember[] {
  const freshArns = new Set(fresh.map((cluster) => cluster.arn));
  const others = stored.filter(({ report }) => {
    if (freshArns.has(report.arn)) return false;
    const same = report.accountId === accountRegion.accountId && report.region === accountRegion.region;
    return !same || accountRegion.unread.has(report.name);
  });
  return [...storedWaveMembers(others), ...waveMembers(fresh, tagPrefix)];
}

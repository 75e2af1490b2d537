/**
 * Wave gating (DESIGN §4): a cluster in wave N starts a hop to version V only when every opted-in cluster of the
 * lower waves of the same rollout group (same fleet scope) runs V or newer, and has run it for the soak time. Lower
 * waves are the canaries; their soak is the evidence that V is safe for the next wave. Waves are ordered within a
 * rollout group only: another group's clusters, frozen or behind, never hold this group back.
 *
 * "Every" is only known when the whole fleet scope was read: an account or account-region that could not be read may
 * hold lower-wave clusters nobody saw. Decision: an unreadable account-region holds back a group's waves above 0 only when
 * its last known clusters (as of the last read that saw it) include an opted-in cluster of that group, or when
 * nothing is known of it (never read, so it may hold any group's clusters). An unreadable account-region last seen holding
 * only other groups' clusters (or none opted in) does not hold the group: the alternative — every unreadable account-region
 * holds every group — lets one team's broken account stall every other team's rollout, which is what rollout groups
 * exist to prevent. The residual risk (a cluster opted in to this group in that account-region since its last read) is
 * bounded: the next successful read sees it, and the wave rule is re-checked at dispatch and at pre-flight.
 */
import { isVersion, compareVersions } from './versions.ts';
import type { IsoInstant, Version } from './types.ts';
import { DEFAULT_ROLLOUT_GROUP } from './defaults.ts';

/** One opted-in cluster of the fleet scope, as the wave gate needs to see it. */
export interface WaveMember {
  readonly arn: string;
  readonly name: string;
  readonly wave: number;
  readonly version: Version;
  /** When the member started running `version`; null when unknown (then it does not count as soaked). */
  readonly versionSince: IsoInstant | null;
  /** Its rollout group; absent means {@link DEFAULT_ROLLOUT_GROUP}. */
  readonly rolloutGroup?: string;
}

/** A part of the fleet scope that could not be read: a whole account (`region` null) or one account-region. */
export interface UnreadableAccountRegion {
  readonly accountId: string;
  readonly region: string | null;
  /**
   * The rollout groups of the opted-in clusters last known there (from the last read that saw the target), or
   * absent when nothing is known of it (never read): it then holds every group.
   */
  readonly lastKnownGroups?: readonly string[];
}

/** A stored cluster as {@link withLastKnownGroups} reads it. */
interface KnownCluster {
  readonly accountId: string;
  readonly region: string;
  readonly optedIn: boolean;
  readonly rolloutGroup: string;
}

/**
 * The unreadable account-regions, each with the rollout groups of the opted-in clusters last known there: an account-region with
 * any known cluster (opted in or not) was read before; one with none keeps no `lastKnownGroups` (unknown).
 */
export function withLastKnownGroups(
  unreadable: readonly UnreadableAccountRegion[],
  known: readonly KnownCluster[],
): UnreadableAccountRegion[] {
  return unreadable.map((target) => {
    const inside = known.filter(
      (c) => c.accountId === target.accountId && (target.region === null || c.region === target.region),
    );
    if (inside.length === 0) return { accountId: target.accountId, region: target.region };
    const groups = [...new Set(inside.filter((c) => c.optedIn).map((c) => c.rolloutGroup))].sort(ordinal);
    return { accountId: target.accountId, region: target.region, lastKnownGroups: groups };
  });
}

/** True when `target` may hold clusters of `group`: it held some when last read, or it was never read. */
function holdsGroup(target: UnreadableAccountRegion, group: string): boolean {
  return target.lastKnownGroups === undefined || target.lastKnownGroups.includes(group);
}

/** The rule for unreadable account-regions, as the WAVE_NOT_READY reason states it. */
const UNREADABLE_RULE =
  '(an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read)';

/** Input of {@link waveGate}. */
interface WaveGateInput {
  /** The wave of the cluster that wants to start a hop. */
  readonly wave: number;
  /** Its rollout group (default {@link DEFAULT_ROLLOUT_GROUP}): only members and unreadable account-regions of this group gate it. */
  readonly rolloutGroup?: string;
  /** The version of that hop. */
  readonly hopVersion: Version;
  /** Opted-in clusters of the fleet scope; members of other groups, or of the same or higher waves, are ignored. */
  readonly members: readonly WaveMember[];
  readonly now: Date;
  readonly soakDays: number;
  /**
   * Accounts or account-regions of the fleet scope that could not be read this time (default none). One that may
   * hold clusters of this group ({@link holdsGroup}) may hold lower-wave clusters `members` lacks, so a wave above
   * 0 is not ready while one is listed.
   */
  readonly unreadable?: readonly UnreadableAccountRegion[];
}

/** Decision of {@link waveGate}. */
interface WaveGateDecision {
  readonly ready: boolean;
  readonly code: 'WAVE_READY' | 'WAVE_NOT_READY';
  readonly reason: string;
  /**
   * When the soak is (or will be) complete, if every lower-wave member already runs the hop version and its start
   * is known and the whole fleet scope was read; null otherwise (including when no lower wave exists).
   */
  readonly readyAt: Date | null;
}

const DAY_MS = 86_400_000;
const NAMED_LAGGARDS = 3;

function formatDuration(ms: number): string {
  const totalHours = Math.floor(ms / 3_600_000);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
}

function listLaggards(laggards: readonly string[]): string {
  const named = laggards.slice(0, NAMED_LAGGARDS).join('; ');
  const more = laggards.length - NAMED_LAGGARDS;
  return more > 0 ? `${named}; and ${more} more` : named;
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function accountRegionKey(target: UnreadableAccountRegion): string {
  return target.region === null ? target.accountId : `${target.accountId} ${target.region}`;
}

/**
 * The unreadable parts of a fleet scope, deduplicated and sorted by account, then region: an account-region is
 * dropped when its whole account is listed, and, given the account-regions that were `scheduled`, an account whose
 * every scheduled region failed becomes the whole account.
 *
 * @example unreadableAccountRegions([{ accountId: '1…2', region: 'eu-west-1' }], [{ accountId: '1…2', region: 'eu-west-1' }])
 *   // → [{ accountId: '1…2', region: null }]
 */
export function unreadableAccountRegions(
  failed: readonly UnreadableAccountRegion[],
  scheduled: readonly UnreadableAccountRegion[] = [],
): UnreadableAccountRegion[] {
  const regionsOf = (targets: readonly UnreadableAccountRegion[], accountId: string): Set<string> =>
    new Set(targets.flatMap((t) => (t.accountId === accountId && t.region !== null ? [t.region] : [])));
  const accounts = [...new Set(failed.map((t) => t.accountId))].sort(ordinal);
  return accounts.flatMap((accountId): UnreadableAccountRegion[] => {
    const failedRegions = regionsOf(failed, accountId);
    const scheduledRegions = regionsOf(scheduled, accountId);
    const whole =
      failed.some((t) => t.accountId === accountId && t.region === null) ||
      (scheduledRegions.size > 0 && [...scheduledRegions].every((region) => failedRegions.has(region)));
    if (whole) return [{ accountId, region: null }];
    return [...failedRegions].sort(ordinal).map((region) => ({ accountId, region }));
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "1 account unreadable (111111111112)", "2 account-regions unreadable (… eu-west-1, …)", up to three named. */
function describeUnreadable(unreadable: readonly UnreadableAccountRegion[]): string {
  const accounts = unreadable.filter((t) => t.region === null).length;
  const regions = unreadable.length - accounts;
  const counted = [
    ...(accounts > 0 ? [plural(accounts, 'account')] : []),
    ...(regions > 0 ? [plural(regions, 'account-region')] : []),
  ].join(' and ');
  const named = unreadable.slice(0, NAMED_LAGGARDS).map(accountRegionKey).join(', ');
  const more = unreadable.length - NAMED_LAGGARDS;
  return `${counted} unreadable (${more > 0 ? `${named} and ${more} more` : named})`;
}

/**
 * Whether a cluster of `wave` may start its hop to `hopVersion` now. Wave 0 is always ready. A lower-wave member
 * running a newer version counts from when it started running that newer version (conservative: its time on
 * `hopVersion` itself is not known). A wave above 0 is not ready while part of the fleet scope is `unreadable`
 * (lower waves cannot be confirmed). The reason names up to three lagging clusters, then "and N more".
 *
 * @example waveGate({ wave: 1, hopVersion: '1.32', members, now, soakDays: DEFAULT_SOAK_DAYS })
 */
export function waveGate(input: WaveGateInput): WaveGateDecision {
  const { wave, hopVersion, now, soakDays } = input;
  const group = input.rolloutGroup ?? DEFAULT_ROLLOUT_GROUP;
  const of = `wave ${wave} of rollout group ${group}`;
  if (wave <= 0) {
    return { ready: true, code: 'WAVE_READY', reason: `${of} goes first; no lower wave gates it`, readyAt: null };
  }
  const soakMs = soakDays * DAY_MS;
  const lower = input.members.filter(
    (member) => member.wave < wave && (member.rolloutGroup ?? DEFAULT_ROLLOUT_GROUP) === group,
  );
  const listed = input.unreadable ?? [];
  const unreadable = unreadableAccountRegions(listed.filter((target) => holdsGroup(target, group)));
  const laggards: string[] =
    unreadable.length === 0
      ? []
      : [`lower waves cannot be confirmed ${UNREADABLE_RULE}: ${describeUnreadable(unreadable)}`];
  let allOnVersion = true;
  let latestSoakEnd: number | null = null;
  let soakKnown = true;

  for (const member of lower) {
    const label = `${member.name} (wave ${member.wave})`;
    if (!isVersion(member.version) || compareVersions(member.version, hopVersion) < 0) {
      allOnVersion = false;
      laggards.push(`${label} runs ${member.version}, not yet ${hopVersion}`);
      continue;
    }
    const since = member.versionSince === null ? Number.NaN : Date.parse(member.versionSince);
    if (Number.isNaN(since)) {
      soakKnown = false;
      laggards.push(`${label} runs ${member.version} since an unknown time, so its soak cannot be confirmed`);
      continue;
    }
    const soakEnd = since + soakMs;
    latestSoakEnd = latestSoakEnd === null ? soakEnd : Math.max(latestSoakEnd, soakEnd);
    if (soakEnd > now.getTime()) {
      const soaked = formatDuration(Math.max(0, now.getTime() - since));
      laggards.push(`${label} has run ${member.version} for ${soaked} of the ${soakDays}d soak`);
    }
  }

  const readyAt =
    allOnVersion && soakKnown && unreadable.length === 0 && latestSoakEnd !== null ? new Date(latestSoakEnd) : null;
  if (laggards.length === 0) {
    const reason =
      lower.length === 0
        ? `no cluster of rollout group ${group} in a wave below ${wave}; nothing gates the hop to ${hopVersion}`
        : `all ${lower.length} cluster(s) of rollout group ${group} in waves below ${wave} have run ${hopVersion} or newer for ${soakDays}d`;
    return { ready: true, code: 'WAVE_READY', reason, readyAt };
  }
  const until = readyAt === null ? '' : ` (soak complete at ${readyAt.toISOString()})`;
  return {
    ready: false,
    code: 'WAVE_NOT_READY',
    reason: `${of} waits before the hop to ${hopVersion}: ${listLaggards(laggards)}${until}`,
    readyAt,
  };
}

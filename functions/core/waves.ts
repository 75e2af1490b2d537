/**
 * Wave gating (DESIGN §4): a cluster in wave N starts a hop to version V only when every opted-in cluster of the
 * lower waves (same fleet scope) runs V or newer, and has run it for the soak time. Lower waves are the canaries;
 * their soak is the evidence that V is safe for the next wave.
 */
import { isVersion, compareVersions } from './versions.ts';
import type { IsoInstant, Version } from './types.ts';

/** One opted-in cluster of the fleet scope, as the wave gate needs to see it. */
export interface WaveMember {
  readonly arn: string;
  readonly name: string;
  readonly wave: number;
  readonly version: Version;
  /** When the member started running `version`; null when unknown (then it does not count as soaked). */
  readonly versionSince: IsoInstant | null;
}

/** Days a lower wave must have run a version before the next wave may start a hop to it. */
export const DEFAULT_SOAK_DAYS = 7;

/** Input of {@link waveGate}. */
export interface WaveGateInput {
  /** The wave of the cluster that wants to start a hop. */
  readonly wave: number;
  /** The version of that hop. */
  readonly hopVersion: Version;
  /** Opted-in clusters of the same fleet scope; members of the same or higher waves are ignored. */
  readonly members: readonly WaveMember[];
  readonly now: Date;
  readonly soakDays: number;
}

/** Decision of {@link waveGate}. */
export interface WaveGateDecision {
  readonly ready: boolean;
  readonly code: 'WAVE_READY' | 'WAVE_NOT_READY';
  readonly reason: string;
  /**
   * When the soak is (or will be) complete, if every lower-wave member already runs the hop version and its start
   * is known; null otherwise (including when no lower wave exists).
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

/**
 * Whether a cluster of `wave` may start its hop to `hopVersion` now. Wave 0 is always ready. A lower-wave member
 * running a newer version counts from when it started running that newer version (conservative: its time on
 * `hopVersion` itself is not known). The reason names up to three lagging clusters, then "and N more".
 *
 * @example waveGate({ wave: 1, hopVersion: '1.32', members, now, soakDays: DEFAULT_SOAK_DAYS })
 */
export function waveGate(input: WaveGateInput): WaveGateDecision {
  const { wave, hopVersion, now, soakDays } = input;
  if (wave <= 0) {
    return { ready: true, code: 'WAVE_READY', reason: 'wave 0 goes first; no lower wave gates it', readyAt: null };
  }
  const soakMs = soakDays * DAY_MS;
  const lower = input.members.filter((member) => member.wave < wave);
  const laggards: string[] = [];
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

  const readyAt = allOnVersion && soakKnown && latestSoakEnd !== null ? new Date(latestSoakEnd) : null;
  if (laggards.length === 0) {
    const reason =
      lower.length === 0
        ? `no cluster in a wave below ${wave}; nothing gates the hop to ${hopVersion}`
        : `all ${lower.length} cluster(s) of waves below ${wave} have run ${hopVersion} or newer for ${soakDays}d`;
    return { ready: true, code: 'WAVE_READY', reason, readyAt };
  }
  const until = readyAt === null ? '' : ` (soak complete at ${readyAt.toISOString()})`;
  return {
    ready: false,
    code: 'WAVE_NOT_READY',
    reason: `wave ${wave} waits before the hop to ${hopVersion}: ${listLaggards(laggards)}${until}`,
    readyAt,
  };
}

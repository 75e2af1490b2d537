/**
 * What a finished nightly run hands the upgrade dispatcher — tonight's candidates and the clusters the wave rule
 * holds back — and how the run ended. Pure: FinishRun gives the stored fleet, the run's failed account-regions and
 * the clock.
 */
import { compareClusters } from './audit-report.ts';
import type { ClusterReport } from './report-types.ts';
import { storedRolloutGroup, storedWaveMembers, unreadableWithStoredGroups } from './stored-wave-members.ts';
import type { StoredWaveFacts } from './stored-wave-members.ts';
import { waveGate } from './waves.ts';
import type { UnreadableAccountRegion } from './waves.ts';

/** A cluster the upgrade dispatcher may start tonight: opted in, eligible, with its next hop. */
export interface UpgradeCandidate {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly version: string;
  readonly target: string | null;
  readonly nextVersion: string;
  readonly wave: number;
}

/** A cluster the wave rule holds back tonight: opted in, with a hop to make, and nothing else in its way. */
export interface HeldByWaves {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** The rollout group whose lower waves hold it. */
  readonly rolloutGroup: string;
  readonly code: 'WAVE_NOT_READY';
  readonly reason: string;
}

/** A stored cluster as the candidate rule reads it. */
interface StoredCandidateFacts extends StoredWaveFacts {
  readonly report: ClusterReport;
}

/** True when the report's only blockers are WAVE_NOT_READY: the audit's own (maybe partial) view of the waves. */
function blockedOnlyByWaves(report: ClusterReport): boolean {
  const { blockers } = report.upgrade;
  return blockers.length > 0 && blockers.every((blocker) => blocker.code === 'WAVE_NOT_READY');
}

/**
 * Tonight's eligible clusters, with the wave rule checked again against the whole fleet as stored now and the
 * account-regions this run could not read. Each AuditAccountRegion judged its clusters against the fleet it could see; on a
 * first run (or when a lower wave's account-region was audited later in the same run) that view lacked clusters,
 * and it did not know which account-regions of the run would fail. So a cluster is held back here unless every
 * lower-wave member of the complete fleet runs its next version, soaked, and no part of the fleet was unreadable
 * (for waves above 0).
 *
 * `held` lists every opted-in cluster with a hop to make that only the wave rule stops: those held here, and those
 * the audit already found WAVE_NOT_READY (with the rule's verdict against the complete fleet).
 */
export function upgradeCandidates(
  live: readonly StoredCandidateFacts[],
  fresh: readonly StoredCandidateFacts[],
  now: Date,
  soakDays: number,
  unreadable: readonly UnreadableAccountRegion[] = [],
): { candidates: UpgradeCandidate[]; held: HeldByWaves[] } {
  const members = storedWaveMembers(live);
  const scoped = unreadableWithStoredGroups(unreadable, live);
  const candidates: UpgradeCandidate[] = [];
  const held: HeldByWaves[] = [];
  const reports = fresh.map(({ report }) => report).sort(compareClusters);
  for (const report of reports) {
    const next = report.upgrade.path[0];
    const provisional = blockedOnlyByWaves(report);
    if (!report.upgrade.optedIn || next === undefined || !(report.upgrade.eligible || provisional)) continue;
    const rolloutGroup = storedRolloutGroup(report.upgrade);
    const gate = waveGate({
      wave: report.upgrade.wave,
      rolloutGroup,
      hopVersion: next,
      members: members.filter((member) => member.arn !== report.arn),
      now,
      soakDays,
      unreadable: scoped,
    });
    const identity = { accountId: report.accountId, region: report.region, name: report.name, arn: report.arn };
    if (!gate.ready) {
      held.push({ ...identity, rolloutGroup, code: 'WAVE_NOT_READY', reason: gate.reason });
      continue;
    }
    if (provisional) {
      // The audit saw only part of the fleet; the stored report (what the dispatcher trusts) says not yet.
      const seen = report.upgrade.blockers.map((blocker) => blocker.message).join('; ');
      const reason = `${seen} (judged against the part of the fleet audited before it; the complete fleet now allows the hop to ${next}, so the next run may start it)`;
      held.push({ ...identity, rolloutGroup, code: 'WAVE_NOT_READY', reason });
      continue;
    }
    candidates.push({
      ...identity,
      version: report.version,
      target: report.upgrade.target,
      nextVersion: next,
      wave: report.upgrade.wave,
    });
  }
  return { candidates, held };
}

/** How a finished run ended. */
type RunOutcome = 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/**
 * SUCCEEDED when every scheduled account-region was read, FAILED when none was (or nothing was scheduled and
 * something failed), PARTIAL otherwise.
 */
export function runOutcome(failed: number, scheduled: number): RunOutcome {
  return failed === 0 ? 'SUCCEEDED' : failed >= scheduled ? 'FAILED' : 'PARTIAL';
}

/** Candidates lowest wave first (stable: report order within a wave), cut to `max`. */
export function lowestWaveFirst(candidates: readonly UpgradeCandidate[], max: number): UpgradeCandidate[] {
  return [...candidates].sort((a, b) => a.wave - b.wave).slice(0, max);
}

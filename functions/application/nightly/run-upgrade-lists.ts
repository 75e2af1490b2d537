/**
 * The lists the end of a nightly run keeps by reference, under the run in the table (store `putRunList`), so no
 * state payload grows with the fleet: FinishRun's upgrade candidates and the clusters the wave rule holds back, and
 * DispatchUpgrades' outcome for every candidate. The next task reads them back, and so does the local CLI to print
 * one line per decision.
 */
import type { DispatchEntry } from '../upgrade/start-upgrades.ts';
import type { FleetStore } from '../ports/fleet-store.ts';
import type { HeldByWaves, UpgradeCandidate } from '../../core/upgrade-candidates.ts';

/** The run lists' kinds, by what they hold. */
export const RUN_LISTS = {
  /** Tonight's eligible clusters, lowest wave first ({@link UpgradeCandidate}); written by FinishRun. */
  candidates: 'UPGRADE_CANDIDATES',
  /** The clusters that would be candidates but for the wave rule, with why ({@link HeldByWaves}); by FinishRun. */
  held: 'HELD_BY_WAVES',
  /** DispatchUpgrades' outcome for each candidate ({@link DispatchEntry}). */
  dispatch: 'DISPATCH_ENTRIES',
} as const;

/** A run's lists as read back; a list is null when its task did not write it (it failed, or did not run). */
interface RunUpgradeLists {
  readonly upgradeCandidates: UpgradeCandidate[] | null;
  readonly heldByWaves: HeldByWaves[] | null;
  readonly dispatchEntries: DispatchEntry[] | null;
}

/** Reads a run's three lists. */
export async function readRunUpgradeLists(
  store: Pick<FleetStore, 'getRunList'>,
  runId: string,
): Promise<RunUpgradeLists> {
  const [upgradeCandidates, heldByWaves, dispatchEntries] = await Promise.all([
    store.getRunList<UpgradeCandidate>(runId, RUN_LISTS.candidates),
    store.getRunList<HeldByWaves>(runId, RUN_LISTS.held),
    store.getRunList<DispatchEntry>(runId, RUN_LISTS.dispatch),
  ]);
  return { upgradeCandidates, heldByWaves, dispatchEntries };
}

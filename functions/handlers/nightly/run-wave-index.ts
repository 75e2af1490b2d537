/**
 * The wave index read once per run and container: AuditTarget judges a cluster in a wave above 0 against every
 * other opted-in cluster of the fleet, and reads them from the table's sparse wave index (O(opted-in clusters))
 * the first time a target of the run needs them; every later target of the same run in the same container reuses
 * that read. So the wave rule costs O(opted-in clusters) per run and container, not a read of the table per target.
 *
 * The facts are those stored when the run first needed them (the previous nights' audits and what this run had
 * saved by then); FinishRun re-checks the wave rule with the whole fleet as this run left it before any upgrade is
 * dispatched, and the upgrade workflow re-checks it again before it acts.
 */
import type { StoredWaveFacts } from '../../core/stored-wave-members.ts';

/** Reads the wave facts of every opted-in cluster (the store's `listWaveFacts`). */
export type WaveFactsReader = () => Promise<StoredWaveFacts[]>;

/** Wave facts cached per run; keeps the few most recent runs (concurrent local runs each keep theirs). */
export class RunWaveIndex {
  private readonly runs = new Map<string, Promise<StoredWaveFacts[]>>();

  constructor(private readonly keep = 4) {}

  /** The wave facts for `runId`: read with `read` on first use, then shared (a failed read is not kept). */
  forRun(runId: string, read: WaveFactsReader): Promise<StoredWaveFacts[]> {
    let facts = this.runs.get(runId);
    if (facts === undefined) {
      facts = read();
      this.runs.set(runId, facts);
      facts.catch(() => this.runs.delete(runId));
      for (const oldest of this.runs.keys()) {
        if (this.runs.size <= this.keep) break;
        this.runs.delete(oldest);
      }
    }
    return facts;
  }
}

/**
 * The wave index read once per run, rollout group and container: AuditAccountRegion judges a cluster in a wave above 0
 * against the other opted-in clusters of its rollout group (waves are ordered within a group only), and reads them
 * from that group's partition of the table's sparse wave index (O(opted-in clusters of the group)) the first time a
 * account-region of the run needs that group; every later account-region of the same run in the same container reuses that read.
 * The stored clusters of the run's unreadable account-regions (which groups they held at their last read) are read
 * the same way, once per run and account-region. So the wave rule costs O(opted-in clusters of the groups in waves
 * above 0 + clusters of unreadable account-regions) per run and container, not a read of the table per account-region.
 *
 * The facts are those stored when the run first needed them (the previous nights' audits and what this run had
 * saved by then); FinishRun re-checks the wave rule with the whole fleet as this run left it before any upgrade is
 * dispatched, and the upgrade workflow re-checks it again before it acts.
 */
import type { StoredWaveFacts } from '../../core/stored-wave-members.ts';

/** Reads the wave facts of every opted-in cluster of one rollout group (the store's `listWaveFacts`). */
type WaveFactsReader = (rolloutGroup: string) => Promise<StoredWaveFacts[]>;

/** Reads the stored clusters of one account (region null) or account-region (the store's `listClustersOfAccountRegion`). */
type AccountRegionFactsReader = (target: { accountId: string; region: string | null }) => Promise<StoredWaveFacts[]>;

/** What one run has read so far, by rollout group and by account-region. */
interface RunReads {
  readonly groups: Map<string, Promise<StoredWaveFacts[]>>;
  readonly targets: Map<string, Promise<StoredWaveFacts[]>>;
}

/** Reads `key` with `read` on first use, then shares it; a failed read is not kept. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (value === undefined) {
    value = read();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

/** Wave facts cached per run; keeps the few most recent runs (concurrent local runs each keep theirs). */
export class RunWaveIndex {
  private readonly runs = new Map<string, RunReads>();

  constructor(private readonly keep = 4) {}

  /** The wave facts of `rolloutGroups` for `runId`: each group read with `read` on first use, then shared. */
  async forGroups(runId: string, rolloutGroups: readonly string[], read: WaveFactsReader): Promise<StoredWaveFacts[]> {
    const { groups } = this.forRun(runId);
    const unique = [...new Set(rolloutGroups)];
    const facts = await Promise.all(unique.map((group) => once(groups, group, () => read(group))));
    return facts.flat();
  }

  /** The stored clusters of `targets` for `runId`: each account-region read with `read` on first use, then shared. */
  async atAccountRegions(
    runId: string,
    targets: readonly { accountId: string; region: string | null }[],
    read: AccountRegionFactsReader,
  ): Promise<StoredWaveFacts[]> {
    const cache = this.forRun(runId).targets;
    const facts = await Promise.all(
      targets.map((target) => once(cache, `${target.accountId}/${target.region ?? '*'}`, () => read(target))),
    );
    return facts.flat();
  }

  private forRun(runId: string): RunReads {
    let reads = this.runs.get(runId);
    if (reads === undefined) {
      reads = { groups: new Map(), targets: new Map() };
      this.runs.set(runId, reads);
      for (const oldest of this.runs.keys()) {
        if (this.runs.size <= this.keep) break;
        this.runs.delete(oldest);
      }
    }
    return reads;
  }
}

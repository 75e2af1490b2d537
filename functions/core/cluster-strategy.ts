/**
 * The strategy recommendation of one cluster (DESIGN §7.2), from the same parsed tags and resolved target the
 * upgrade decision uses, so `plan`, the report and the upgrade's pre-flight never disagree about a cluster.
 */
import { recommendStrategy, type StrategyRecommendation } from './strategy.ts';
import type { BlockerInput } from './upgrade-decision.ts';
import { DEFAULT_BAKE_MS } from './defaults.ts';

const HOUR_MS = 3_600_000;

/** The report's `strategy` object for the cluster of `input`. */
export function clusterStrategy(input: BlockerInput): StrategyRecommendation {
  const { cluster, ctx, policy, resolution } = input;
  return recommendStrategy({
    cluster,
    choice: policy.strategy ?? 'auto',
    target: resolution.problem === null ? resolution.target : null,
    window: policy.window,
    // The `bake` tag as the tag parser read it (one parse, core/bake.ts), else the default.
    bakeHours: (policy.bakeMs ?? DEFAULT_BAKE_MS) / HOUR_MS,
    now: ctx.now,
  });
}

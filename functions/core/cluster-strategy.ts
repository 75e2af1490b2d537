/**
 * The strategy recommendation of one cluster (DESIGN §7.2), from the same parsed tags and resolved target the
 * upgrade decision uses, so `plan`, the report and the upgrade's pre-flight never disagree about a cluster.
 */
import { bakeHoursOf, DEFAULT_BAKE_HOURS, recommendStrategy, type StrategyRecommendation } from './strategy.ts';
import type { BlockerInput } from './upgrade-decision.ts';

/** The report's `strategy` object for the cluster of `input`. */
export function clusterStrategy(input: BlockerInput): StrategyRecommendation {
  const { cluster, ctx, prefix, policy, resolution } = input;
  return recommendStrategy({
    cluster,
    choice: policy.strategy ?? 'auto',
    target: resolution.problem === null ? resolution.target : null,
    window: policy.window,
    bakeHours: bakeHoursOf(cluster.tags[`${prefix}bake`]) ?? DEFAULT_BAKE_HOURS,
    now: ctx.now,
  });
}

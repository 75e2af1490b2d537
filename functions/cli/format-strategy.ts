/** The strategy lines `plan` prints under each cluster (DESIGN §7.2). */
import type { StrategyRecommendation } from '../core/strategy.ts';

/** `    strategy IN_PLACE|BLUE_GREEN:` then one indented line per reason, with its code. */
export function formatStrategy(strategy: StrategyRecommendation): string[] {
  return [
    `    strategy ${strategy.recommended}:`,
    ...strategy.reasons.map((reason) => `      ${reason.code}: ${reason.message}`),
  ];
}

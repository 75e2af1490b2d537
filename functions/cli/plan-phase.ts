/**
 * The phase lines `plan` prints under a cluster (DESIGN §7.1): a hop baking until when, and until when a version
 * rollback is possible (or what stands in its way).
 */
import { minuteOf } from '../core/rollback-readiness.ts';
import type { RollbackAssessment } from '../core/rollback-readiness.ts';
import type { UpgradePlan } from '../core/upgrade-decision.ts';

/** The phase lines of one cluster (none when it neither bakes nor may roll back). */
export function phaseLines(upgrade: UpgradePlan, rollback: RollbackAssessment | undefined, now: Date): string[] {
  const lines: string[] = [];
  if (upgrade.phase === 'BAKING' && upgrade.bakeUntil !== undefined) {
    lines.push(`phase: baking until ${minuteOf(upgrade.bakeUntil)}; node groups follow after a healthy bake`);
  }
  if (rollback?.until != null && rollback.toVersion !== null && now.getTime() <= Date.parse(rollback.until)) {
    lines.push(
      rollback.available
        ? `rollback: available to ${rollback.toVersion} until ${minuteOf(rollback.until)}`
        : `rollback: to ${rollback.toVersion} until ${minuteOf(rollback.until)}, once cleared: ${rollback.blockers.map((b) => b.code).join(', ')}`,
    );
  }
  return lines;
}

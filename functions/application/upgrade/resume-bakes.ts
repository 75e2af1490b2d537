/**
 * ResumeBakes: the hourly bake check in AWS (DESIGN §7.1, issue 14 item 2), invoked by an EventBridge Scheduler
 * schedule. It runs the upgrade dispatcher's resume path and nothing else: one resume execution of the upgrade
 * state machine per cluster in phase BAKING, named per hour, so the bake's health is checked at least hourly between
 * nightly runs. It audits nothing, starts no new upgrade and writes nothing itself (the resume executions do).
 */
import { z } from 'zod';
import { resumeBakingUpgrades } from './start-upgrades.ts';
import type { ResumeBakesResult } from './start-upgrades.ts';
import type { NightlyDeps } from '../nightly/nightly-deps.ts';
import type { TelemetryDeps } from '../ports/telemetry.ts';
import { UpgradeInputError } from './errors.ts';

/** Dependencies of ResumeBakes: the store (its PHASES items), the upgrade starter and the clock. */
export type ResumeBakesDeps = Pick<NightlyDeps, 'store' | 'upgradeStarter' | 'clock'> & TelemetryDeps;

/** The schedule sends `{}`; a manual invocation may pin the check's time with `now`. */
const eventSchema = z.object({ now: z.iso.datetime().optional() });

/**
 * Starts this hour's resume execution of every baking cluster.
 *
 * @throws UpgradeInputError when the event is not an object (or `now` is not an ISO instant).
 */
export async function resumeBakes(event: unknown, deps: ResumeBakesDeps): Promise<ResumeBakesResult> {
  const telemetry = deps.telemetry;
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
    throw new UpgradeInputError(`ResumeBakes: malformed event: ${problems.join('; ')}`);
  }
  const now = parsed.data.now === undefined ? deps.clock() : new Date(parsed.data.now);
  const result = await resumeBakingUpgrades({ store: deps.store, starter: deps.upgradeStarter, now });
  const failed = result.entries.filter((entry) => entry.code === 'START_FAILED');
  telemetry.count('BakesResumed', result.resumed);
  if (failed.length > 0) telemetry.error('bake resumes that could not start', { failed });
  telemetry.info('bakes resumed', { now: now.toISOString(), resumed: result.resumed, entries: result.entries.length });
  return result;
}

/**
 * The phase of an in-place upgrade between executions (DESIGN §7.1): a hop whose control plane moved and now bakes
 * (`BAKING`, with its end), and a cluster held after an automatic rollback (`HELD_AFTER_ROLLBACK`) until its owner
 * changes the `target-version` tag or an operator releases it. Both are upgrade blockers: nothing else starts on the
 * cluster meanwhile.
 */
import type { Blocker, IsoInstant, Version } from './types.ts';
import type { BlockerInput } from './upgrade-decision.ts';

/** A hop that baked its control plane and waits for the node phase (stored with the upgrade's lock). */
export interface BakeState {
  readonly executionName: string;
  readonly fromVersion: Version;
  readonly toVersion: Version;
  /** The upgrade's final target (the hop may be one of several). */
  readonly targetVersion: Version;
  /** When the control plane reached `toVersion`. */
  readonly startedAt: IsoInstant;
  readonly bakeUntil: IsoInstant;
  /** When EKS's 7-day rollback window closes. */
  readonly rollbackUntil: IsoInstant;
  /** Insights already in ERROR when the bake started: they are not a bad signal. */
  readonly baselineInsightErrors: readonly string[];
}

/** A cluster rolled back (or whose rollback failed) and held until its owner acts. */
export interface RollbackHold {
  readonly at: IsoInstant;
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly outcome: 'SUCCEEDED' | 'FAILED';
  /** The bad signal that triggered it (e.g. the alarm that fired). */
  readonly reason: string;
  /** The raw `target-version` tag when the hold began (null: absent); any change releases the hold. */
  readonly targetTag: string | null;
}

/** BAKING: a hop of this cluster is baking; the node phase and any other upgrade wait for it. */
function bakingBlocker(bake: BakeState | null | undefined): Blocker | null {
  if (bake === undefined || bake === null) return null;
  return {
    code: 'BAKING',
    message: `the hop ${bake.fromVersion} → ${bake.toVersion} is baking until ${bake.bakeUntil} (node groups follow after; rollback possible until ${bake.rollbackUntil})`,
  };
}

/** Whether a hold still applies: the `target-version` tag is unchanged since the hold began. */
export function holdApplies(hold: RollbackHold | null | undefined, targetTag: string | null): hold is RollbackHold {
  return hold !== undefined && hold !== null && hold.targetTag === targetTag;
}

/** HELD_AFTER_ROLLBACK: the cluster was rolled back (or its rollback failed) and its owner has not acted yet. */
export function heldAfterRollbackBlocker(
  hold: RollbackHold | null | undefined,
  targetTag: string | null,
  tagKey: string,
): Blocker | null {
  if (!holdApplies(hold, targetTag)) return null;
  const what =
    hold.outcome === 'SUCCEEDED'
      ? `rolled back from ${hold.fromVersion} to ${hold.toVersion}`
      : `its rollback from ${hold.fromVersion} to ${hold.toVersion} FAILED`;
  return {
    code: 'HELD_AFTER_ROLLBACK',
    message: `${what} on ${hold.at} (${hold.reason}); held until tag ${tagKey} changes or an operator releases it`,
  };
}

/** The BAKING blocker check over a prepared blocker input (`ctx.bake`). */
export function baking({ ctx }: BlockerInput): Blocker | null {
  return bakingBlocker(ctx.bake);
}

/** The HELD_AFTER_ROLLBACK blocker check over a prepared blocker input (`ctx.hold`). */
export function heldAfterRollback({ cluster, ctx, prefix }: BlockerInput): Blocker | null {
  const key = `${prefix}target-version`;
  return heldAfterRollbackBlocker(ctx.hold, cluster.tags[key] ?? null, key);
}

/** The report's `upgrade.phase` fields: `{ phase: 'BAKING', bakeUntil }` while a hop bakes, else nothing. */
export function upgradePhaseFields(
  bake: BakeState | null | undefined,
): { readonly phase: 'BAKING'; readonly bakeUntil: IsoInstant } | Record<string, never> {
  return bake === undefined || bake === null ? {} : { phase: 'BAKING', bakeUntil: bake.bakeUntil };
}

/**
 * PostFlight: after a hop's updates, the cluster is read again whole and verified (`verifyHop`): ACTIVE at the new
 * minor, node groups and add-ons ACTIVE and at versions fit for it, no update left running; the upgrade-readiness
 * insights are read again and reported for the next hop's gate. Anything unhealthy ends the execution with
 * PostFlightError naming every problem.
 */
import { verifyHop, type HopVerification } from '../../core/hop-verification.ts';
import { PostFlightError } from './errors.ts';
import { executionInputSchema, parseTaskInput, upgradeProgressSchema } from './execution-state.ts';
import type { UpgradeTaskDeps } from './upgrade-deps.ts';
import { readLiveCluster } from './live-cluster.ts';

const postFlightSchema = executionInputSchema.extend({ upgrade: upgradeProgressSchema });

/** `$.postFlight`: the verification of the hop that just finished. */
export interface PostFlightResult extends HopVerification {
  readonly checkedAt: string;
  readonly version: string;
}

/** Verifies the cluster after the current hop. */
export async function postFlight(event: unknown, deps: UpgradeTaskDeps): Promise<PostFlightResult> {
  const state = parseTaskInput(postFlightSchema, event, 'PostFlight');
  const { hop } = state.upgrade;
  const { state: cluster, catalog } = await readLiveCluster(deps, state.cluster);
  const verification = verifyHop(cluster, hop.toVersion, catalog.catalog);
  if (verification.code !== 'HOP_VERIFIED') throw new PostFlightError(verification.reason);
  return { ...verification, checkedAt: deps.clock().toISOString(), version: cluster.version };
}

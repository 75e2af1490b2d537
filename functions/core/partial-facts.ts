/**
 * Facts that could not be read (DESIGN §5.2 "Additions"): a cluster whose DescribeCluster answered is always judged,
 * what is known about it still counts (deadline, skew, cost), and every gate that needs a missing fact blocks with
 * `FACTS_UNKNOWN` — an upgrade never starts on a guess.
 */
import type { PartialReadReport } from './report-types.ts';
import type { Blocker, ClusterFact, ClusterState, Finding } from './types.ts';

/** The facts the upgrade gates need (a fact named in `partial` is unknown), plus the region's add-on catalog. */
type GateFact = ClusterFact | 'addonCatalog';

const FACT_NAMES: Readonly<Record<GateFact, string>> = {
  nodegroups: 'node groups',
  addons: 'add-ons',
  fargateProfiles: 'Fargate profiles',
  insights: 'upgrade-readiness insights',
  updates: 'update history',
  addonCatalog: "the region's add-on catalog",
};

/** The facts unknown for this cluster, in a fixed order: its own partial reads, and the catalog when unread. */
function unknownFacts(cluster: ClusterState, addonCatalogKnown = true): GateFact[] {
  const unknown = new Set<GateFact>((cluster.partial ?? []).map((read) => read.fact));
  if (!addonCatalogKnown) unknown.add('addonCatalog');
  return (Object.keys(FACT_NAMES) as GateFact[]).filter((fact) => unknown.has(fact));
}

/** The report's `partial` list: what could not be read, by operation. */
export function partialReport(cluster: ClusterState): PartialReadReport[] {
  return (cluster.partial ?? []).map(({ operation, code, message }) => ({ operation, code, message }));
}

/** One `PARTIAL_READ` finding (WARNING) per part that could not be read: which call, and why. */
export function partialReadFindings(cluster: ClusterState): Finding[] {
  return (cluster.partial ?? []).map((read) => ({
    code: 'PARTIAL_READ',
    severity: 'WARNING',
    message: `${FACT_NAMES[read.fact]} could not be read (${read.operation}: ${read.code}): ${read.message}`,
  }));
}

/**
 * FACTS_UNKNOWN: a fact an upgrade gate needs could not be read. Every part of a cluster feeds a gate (node groups:
 * custom AMIs and the node step; add-ons and the catalog: compatibility; insights: readiness; updates and statuses:
 * an update in progress, the soak time; Fargate profiles: the plan's steps), so any unknown fact blocks.
 */
export function factsUnknownBlocker(cluster: ClusterState, addonCatalogKnown = true): Blocker | null {
  const unknown = unknownFacts(cluster, addonCatalogKnown);
  if (unknown.length === 0) return null;
  const named = unknown.map((fact) => FACT_NAMES[fact]).join(', ');
  return {
    code: 'FACTS_UNKNOWN',
    message: `${named} could not be read; no upgrade starts on a guess (see partial and warnings)`,
  };
}

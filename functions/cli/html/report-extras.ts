/**
 * Report fields that newer versions of the JSON contract add (DESIGN §5.2 additions: `accountName`, `owner`,
 * `rollback`, `strategy`, `upgrade.phase`, top-level `warnings`). They are read from the report at run time and
 * narrowed here, so the HTML shows them when present and works on reports without them.
 */
import type { AuditReport, ClusterReport } from '../../core/report-types.ts';

/** One degraded-but-not-failed read (`warnings[]`). */
interface ReportWarning {
  readonly accountId: string | null;
  readonly region: string | null;
  readonly code: string;
  readonly message: string;
}

/** The optional per-cluster fields, narrowed; null where absent or malformed. */
interface ClusterExtras {
  readonly accountName: string | null;
  readonly owner: string | null;
  readonly strategy: { readonly recommended: string } | null;
  readonly rollback: {
    readonly available: boolean;
    readonly toVersion: string | null;
    readonly until: string | null;
  } | null;
  readonly phase: string | null;
  readonly bakeUntil: string | null;
  /** What the phase is (the stored fleet's report), e.g. the signal a cluster is held after. */
  readonly phaseReason: string | null;
}

type Bag = Readonly<Record<string, unknown>>;

function bag(value: unknown): Bag | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Bag) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The optional fields of one cluster row. */
export function clusterExtras(cluster: ClusterReport): ClusterExtras {
  const raw = bag(cluster) ?? {};
  const upgrade = bag(raw.upgrade) ?? {};
  const strategy = bag(raw.strategy);
  const rollback = bag(raw.rollback);
  const recommended = text(strategy?.recommended);
  return {
    accountName: text(raw.accountName),
    owner: text(raw.owner),
    strategy: recommended === null ? null : { recommended },
    rollback:
      rollback === null
        ? null
        : { available: rollback.available === true, toVersion: text(rollback.toVersion), until: text(rollback.until) },
    phase: text(upgrade.phase),
    bakeUntil: text(upgrade.bakeUntil),
    phaseReason: text(upgrade.phaseReason),
  };
}

/** True when the report carries owners at all (the field exists on some cluster, even if null). */
export function reportHasOwners(report: AuditReport): boolean {
  return report.clusters.some((c) => 'owner' in (bag(c) ?? {}));
}

/** The report's `warnings`, or none. */
export function reportWarnings(report: AuditReport): ReportWarning[] {
  const raw = (bag(report) ?? {}).warnings;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    const w = bag(item);
    const code = text(w?.code);
    if (w === null || code === null) return [];
    return [{ accountId: text(w.accountId), region: text(w.region), code, message: text(w.message) ?? '' }];
  });
}

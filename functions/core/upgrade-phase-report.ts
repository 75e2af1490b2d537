/**
 * The phase of each cluster's upgrade in the stored fleet report (DESIGN §5.2 `upgrade.phase`, §7.1): read from the
 * cluster's PHASES item between executions — baking until when, rolling back, or held after a rollback with the
 * signal that caused it. A pure mapping: the item as stored in, the report's fields and a reason out.
 */
import type { ClusterReport } from './report-types.ts';
import type { IsoInstant, Version } from './types.ts';
import type { RollbackHold } from './upgrade-phase.ts';

/** The phases a report shows. */
type ReportedPhase = 'BAKING' | 'ROLLING_BACK' | 'HELD_AFTER_ROLLBACK';

/** A cluster's PHASES item as stored (structurally the store's record; `resume.bake` is read defensively). */
export interface StoredPhaseFacts {
  readonly arn: string;
  readonly phase: string;
  readonly targetVersion: string;
  readonly resume: Readonly<Record<string, unknown>> | null;
  readonly hold: RollbackHold | null;
  readonly lastCheck: { readonly code: string; readonly reason: string; readonly at: IsoInstant } | null;
}

/** The report fields of one phase, with the decision's code and reason. */
interface UpgradePhaseView {
  readonly phase: ReportedPhase;
  /** `PHASE_BAKING`, `PHASE_ROLLING_BACK`, `PHASE_HELD_AFTER_ROLLBACK` or `PHASE_ROLLBACK_FAILED`. */
  readonly code: string;
  /** One line for people: "baking until …", "rolling back …", "held after rollback … (signal)". */
  readonly reason: string;
  /** BAKING only: when the bake ends. */
  readonly bakeUntil?: IsoInstant;
  /** HELD_AFTER_ROLLBACK (and ROLLING_BACK when known): the bad signal. */
  readonly signal?: string;
}

interface BakeFacts {
  readonly fromVersion: Version;
  readonly toVersion: Version;
  readonly bakeUntil: IsoInstant;
  readonly rollbackUntil: IsoInstant | null;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The bake stored in a resume input (`resume.bake`), or null when absent or not bake-shaped. */
function bakeOf(resume: Readonly<Record<string, unknown>> | null): BakeFacts | null {
  const bake = resume?.['bake'];
  if (typeof bake !== 'object' || bake === null) return null;
  const raw = bake as Readonly<Record<string, unknown>>;
  const fromVersion = textOf(raw['fromVersion']);
  const toVersion = textOf(raw['toVersion']);
  const bakeUntil = textOf(raw['bakeUntil']);
  if (fromVersion === null || toVersion === null || bakeUntil === null) return null;
  return { fromVersion, toVersion, bakeUntil, rollbackUntil: textOf(raw['rollbackUntil']) };
}

/** `2026-11-23T10:00Z`: an instant to the minute, as the reports print it. */
function minute(instant: string): string {
  return instant.length >= 16 ? `${instant.slice(0, 16)}Z` : instant;
}

/**
 * The report view of one stored phase, or null for a phase this product does not know.
 *
 * @example upgradePhaseView({ phase: 'BAKING', resume: { bake: { fromVersion: '1.33', toVersion: '1.34',
 *   bakeUntil: '2026-11-23T10:00:00.000Z' } }, … }) // { phase: 'BAKING', reason: 'baking 1.33 → 1.34 until 2026-11-23T10:00Z', … }
 */
export function upgradePhaseView(facts: StoredPhaseFacts): UpgradePhaseView | null {
  const bake = bakeOf(facts.resume);
  const hop = bake === null ? `to ${facts.targetVersion}` : `${bake.fromVersion} → ${bake.toVersion}`;
  switch (facts.phase) {
    case 'BAKING': {
      if (bake === null) return { phase: 'BAKING', code: 'PHASE_BAKING', reason: `baking (upgrade ${hop})` };
      const check =
        facts.lastCheck === null ? '' : `; last check ${minute(facts.lastCheck.at)}: ${facts.lastCheck.reason}`;
      const rollback = bake.rollbackUntil === null ? '' : `; rollback possible until ${minute(bake.rollbackUntil)}`;
      return {
        phase: 'BAKING',
        code: 'PHASE_BAKING',
        reason: `baking ${hop} until ${minute(bake.bakeUntil)}${rollback}${check}`,
        bakeUntil: bake.bakeUntil,
      };
    }
    case 'ROLLING_BACK': {
      // CheckBake records the ROLL_BACK decision (the signal) as the phase's last check.
      const signal = facts.lastCheck?.reason ?? null;
      const back = bake === null ? `the upgrade to ${facts.targetVersion}` : `${bake.toVersion} → ${bake.fromVersion}`;
      return {
        phase: 'ROLLING_BACK',
        code: 'PHASE_ROLLING_BACK',
        reason: `rolling back ${back}${signal === null ? '' : ` (${signal})`}`,
        ...(signal === null ? {} : { signal }),
      };
    }
    case 'HELD_AFTER_ROLLBACK': {
      const { hold } = facts;
      if (hold === null) {
        return { phase: 'HELD_AFTER_ROLLBACK', code: 'PHASE_HELD_AFTER_ROLLBACK', reason: 'held after rollback' };
      }
      const what =
        hold.outcome === 'SUCCEEDED'
          ? `rolled back from ${hold.fromVersion} to ${hold.toVersion}`
          : `its rollback from ${hold.fromVersion} to ${hold.toVersion} FAILED`;
      return {
        phase: 'HELD_AFTER_ROLLBACK',
        code: hold.outcome === 'SUCCEEDED' ? 'PHASE_HELD_AFTER_ROLLBACK' : 'PHASE_ROLLBACK_FAILED',
        reason: `held after rollback: ${what} on ${minute(hold.at)} (${hold.reason}); until the target-version tag changes or an operator releases it`,
        signal: hold.reason,
      };
    }
    default:
      return null;
  }
}

/**
 * The cluster report with `upgrade.phase` (+ `phaseReason`, and `bakeUntil` while baking) from its stored phase; the
 * report unchanged when it has no phase item (or one of an unknown phase).
 */
export function withUpgradePhase(report: ClusterReport, facts: StoredPhaseFacts | undefined): ClusterReport {
  if (facts === undefined) return report;
  const view = upgradePhaseView(facts);
  if (view === null) return report;
  const { bakeUntil: _previous, ...upgrade } = report.upgrade;
  return {
    ...report,
    upgrade: {
      ...upgrade,
      phase: view.phase,
      phaseReason: view.reason,
      ...(view.bakeUntil === undefined ? {} : { bakeUntil: view.bakeUntil }),
    },
  };
}

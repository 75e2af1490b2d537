/**
 * EKS version rollback (DESIGN §7.1): whether a cluster's control plane can go back to N-1 now, and every
 * prerequisite that stops it, each with a code. EKS allows it within 7 days of an in-place upgrade that finished,
 * exactly one minor back, with every managed node group at N-1 or older, no other update running, and no
 * ROLLBACK_READINESS insight in ERROR or UNKNOWN (unless forced). Add-ons are not rolled back, so each installed
 * add-on version must also run on N-1; and an N-1 that is in extended support needs the EXTENDED upgrade policy.
 *
 * Decisions where AWS is silent: an add-on the catalog does not list counts as compatible (as in the audit);
 * facts that were not read for this check (`rollbackInsights` undefined) are not judged, facts that could not be
 * read (null) block with `FACTS_UNKNOWN`.
 */
import { calendarEntry, supportStatusAt } from './calendar.ts';
import type { AddonCatalog, Calendar, Finding, IsoInstant, SupportType, Version } from './types.ts';
import { compareVersions, isVersion, nextMinor } from './versions.ts';

/** The rollback window after an in-place upgrade finished. */
export const ROLLBACK_WINDOW_MS = 7 * 86_400_000;

export type RollbackBlockerCode =
  | 'FACTS_UNKNOWN'
  | 'NOT_UPGRADED_IN_PLACE'
  | 'WINDOW_CLOSED'
  | 'NOT_ONE_MINOR'
  | 'CLUSTER_NOT_ACTIVE'
  | 'UPDATE_IN_PROGRESS'
  | 'NODEGROUP_NEWER'
  | 'ADDON_INCOMPATIBLE_WITH_PREVIOUS'
  | 'ROLLBACK_INSIGHT_ERROR'
  | 'UPGRADE_POLICY_STANDARD'
  | 'PREVIOUS_VERSION_UNSUPPORTED';

/** One prerequisite that is not met. */
export interface RollbackBlocker {
  readonly code: RollbackBlockerCode;
  readonly message: string;
}

/** The report's `rollback` field (DESIGN §5.2). */
export interface RollbackAssessment {
  readonly available: boolean;
  readonly toVersion: Version | null;
  /** When the 7-day window closes (ISO); null when there is no window. */
  readonly until: IsoInstant | null;
  readonly blockers: readonly RollbackBlocker[];
}

/** What a rollback check looks at. */
export interface RollbackFacts {
  readonly name: string;
  readonly version: Version;
  readonly status: string;
  readonly supportType: SupportType;
  /** The last in-place upgrade; null: none (created at its version, or rolled back since); undefined: not read. */
  readonly upgradedFrom: { readonly version: Version; readonly at: IsoInstant } | null | undefined;
  readonly nodegroups: readonly { readonly name: string; readonly version: Version }[];
  readonly addons: readonly { readonly name: string; readonly version: string }[];
  readonly updateInProgress: boolean;
  /** ROLLBACK_READINESS insights; undefined: not part of this check; null: could not be read. */
  readonly rollbackInsights?: readonly { readonly name: string; readonly status: string }[] | null;
  /** The version asked for (default N-1 of the last upgrade). */
  readonly requestedVersion?: Version;
}

/** The calendar, catalog and clock a rollback check is judged against. */
interface RollbackContext {
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  readonly now: Date;
}

/** An instant to the minute, as messages show it: `2026-12-09T02:14Z`. */
export function minuteOf(instant: IsoInstant): string {
  return `${new Date(instant).toISOString().slice(0, 16)}Z`;
}

function previousMinor(version: Version): Version | null {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (match === null || Number(match[2]) === 0) return null;
  return `${match[1]}.${Number(match[2]) - 1}`;
}

function policyBlockers(facts: RollbackFacts, to: Version, ctx: RollbackContext): RollbackBlocker[] {
  const entry = calendarEntry(ctx.calendar, to);
  if (entry === undefined) {
    return [
      { code: 'FACTS_UNKNOWN', message: `${to} is not in the EKS support calendar: its support cannot be judged` },
    ];
  }
  const status = supportStatusAt(entry, ctx.now);
  if (status === 'UNSUPPORTED') {
    return [
      {
        code: 'PREVIOUS_VERSION_UNSUPPORTED',
        message: `${to} left extended support on ${entry.endOfExtendedSupport}: EKS cannot roll back to it`,
      },
    ];
  }
  if (status === 'EXTENDED_SUPPORT' && facts.supportType === 'STANDARD') {
    return [
      {
        code: 'UPGRADE_POLICY_STANDARD',
        message: `${to} is in extended support: set the cluster's upgrade policy to EXTENDED before rolling back`,
      },
    ];
  }
  return [];
}

function stateBlockers(facts: RollbackFacts, to: Version, ctx: RollbackContext): RollbackBlocker[] {
  const blockers: RollbackBlocker[] = [];
  if (facts.status !== 'ACTIVE') {
    blockers.push({ code: 'CLUSTER_NOT_ACTIVE', message: `cluster status is ${facts.status}, not ACTIVE` });
  }
  if (facts.updateInProgress) {
    blockers.push({
      code: 'UPDATE_IN_PROGRESS',
      message: 'another update is in progress; EKS refuses a rollback meanwhile',
    });
  }
  const newer = facts.nodegroups.filter((ng) => !isVersion(ng.version) || compareVersions(ng.version, to) > 0);
  if (newer.length > 0) {
    blockers.push({
      code: 'NODEGROUP_NEWER',
      message: `node group(s) ${newer.map((ng) => `${ng.name} (${ng.version})`).join(', ')} run newer than ${to}: move them back to ${to} first (UpdateNodegroupVersion)`,
    });
  }
  const incompatible = facts.addons.filter((addon) => {
    const versions = ctx.catalog[addon.name];
    return (
      versions !== undefined && !versions.some((v) => v.version === addon.version && v.compatibleWith.includes(to))
    );
  });
  if (incompatible.length > 0) {
    blockers.push({
      code: 'ADDON_INCOMPATIBLE_WITH_PREVIOUS',
      message: `add-on(s) ${incompatible.map((a) => `${a.name} ${a.version}`).join(', ')} do not run on ${to}, and EKS does not roll add-ons back: move them to a version compatible with ${to} first`,
    });
  }
  if (facts.rollbackInsights === null) {
    blockers.push({
      code: 'FACTS_UNKNOWN',
      message: 'the ROLLBACK_READINESS insights could not be read (ListInsights)',
    });
  } else if (facts.rollbackInsights !== undefined) {
    const failing = facts.rollbackInsights.filter((i) => i.status === 'ERROR' || i.status === 'UNKNOWN');
    if (failing.length > 0) {
      blockers.push({
        code: 'ROLLBACK_INSIGHT_ERROR',
        message: `rollback-readiness insight(s) ${failing.map((i) => `"${i.name}" (${i.status})`).join(', ')}`,
      });
    }
  }
  return [...blockers, ...policyBlockers(facts, to, ctx)];
}

/**
 * Judges a version rollback of one cluster at `ctx.now`: available, to which version, until when, and every
 * prerequisite that is not met.
 *
 * @example assessRollback({ version: '1.34', upgradedFrom: { version: '1.33', at: '2026-12-02T02:14:00Z' }, … }, ctx)
 *   // { available: true, toVersion: '1.33', until: '2026-12-09T02:14:00.000Z', blockers: [] }
 */
export function assessRollback(facts: RollbackFacts, ctx: RollbackContext): RollbackAssessment {
  const from = facts.upgradedFrom;
  if (from === undefined) {
    return {
      available: false,
      toVersion: null,
      until: null,
      blockers: [{ code: 'FACTS_UNKNOWN', message: 'the cluster update history was not read' }],
    };
  }
  if (from === null) {
    return {
      available: false,
      toVersion: null,
      until: null,
      blockers: [
        {
          code: 'NOT_UPGRADED_IN_PLACE',
          message: `cluster ${facts.name} was not upgraded in place to ${facts.version} (created at it, or rolled back since): EKS has nothing to roll back`,
        },
      ],
    };
  }
  const until = new Date(Date.parse(from.at) + ROLLBACK_WINDOW_MS).toISOString();
  const previous = previousMinor(facts.version);
  const to = facts.requestedVersion ?? previous ?? from.version;
  const blockers: RollbackBlocker[] = [];
  if (ctx.now.getTime() > Date.parse(until)) {
    blockers.push({
      code: 'WINDOW_CLOSED',
      message: `the 7-day rollback window closed at ${minuteOf(until)} (the upgrade to ${facts.version} finished ${minuteOf(from.at)})`,
    });
  }
  if (to !== previous || from.version !== previous) {
    blockers.push({
      code: 'NOT_ONE_MINOR',
      message: `EKS rolls back exactly one minor, from ${facts.version} to ${previous ?? '?'}; ${to === previous ? `the last upgrade came from ${from.version}` : `${to} is not that`}`,
    });
  }
  blockers.push(...stateBlockers(facts, to, ctx));
  return { available: blockers.length === 0, toVersion: to, until, blockers };
}

/**
 * The `ROLLBACK_AVAILABLE` finding (severity OK) while the window after an in-place upgrade is open: the owner
 * learns until when the control plane can go back, and what stands in the way.
 */
export function rollbackFinding(assessment: RollbackAssessment, now: Date): Finding | null {
  if (assessment.until === null || assessment.toVersion === null || now.getTime() > Date.parse(assessment.until)) {
    return null;
  }
  const blocked =
    assessment.blockers.length === 0 ? '' : `; first: ${assessment.blockers.map((b) => b.code).join(', ')}`;
  return {
    code: 'ROLLBACK_AVAILABLE',
    severity: 'OK',
    message: `upgraded in place; the control plane can be rolled back to ${assessment.toVersion} until ${minuteOf(assessment.until)}${blocked}`,
  };
}

/** The version a hop's rollback returns to: N-1 of `version` (null for `x.0`). */
export function rollbackTarget(version: Version): Version | null {
  return previousMinor(version);
}

/** Whether `to` is exactly one minor below `version`. */
export function isOneMinorBack(version: Version, to: Version): boolean {
  return isVersion(to) && nextMinor(to) === version;
}

/**
 * The report's `rollback` field for an audited cluster (no insight check: the audit reads only UPGRADE_READINESS),
 * or null when its update history was not read.
 */
export function clusterRollback(
  cluster: {
    readonly name: string;
    readonly version: Version;
    readonly status: string;
    readonly supportType: SupportType;
    readonly upgradedFrom?: { readonly version: Version; readonly at: IsoInstant } | null;
    readonly nodegroups: readonly { readonly name: string; readonly version: Version }[];
    readonly addons: readonly { readonly name: string; readonly version: string }[];
    readonly updateInProgress: boolean;
  },
  ctx: RollbackContext,
): RollbackAssessment | null {
  if (cluster.upgradedFrom === undefined) return null;
  return assessRollback({ ...cluster, upgradedFrom: cluster.upgradedFrom }, ctx);
}

/**
 * What each Lambda function does, and so what its own role may do (one role per function, least privilege). The
 * hub stack builds every function's role from this table, the member stack trusts exactly the hub roles that assume
 * a member role, and `test/infra/function-access.test.ts` checks it against the AWS SDK commands each entry's code
 * can send. An entry that is not listed here fails the synth: a new function must say what it needs.
 */
import { roleNames } from '../functions/core/naming.ts';

/** Partition-key prefixes of the fleet table's item kinds (functions/adapters/store/table-schema.ts). */
export const ITEM_PREFIXES = {
  cluster: 'CLUSTER#',
  run: 'RUN#',
  alert: 'ALERT#',
  lock: 'LOCK#',
  upgrade: 'UPGRADE#',
  phase: 'PHASES',
} as const;

/** The member role a function assumes in member accounts. */
export type MemberRoleKind = 'read' | 'upgrade';

/** What one function needs. */
export interface FunctionAccess {
  /**
   * Fleet table use: `null` none; otherwise the function may read every item (Get, Query, Scan) and write (Put,
   * Update, Delete) only items whose partition key starts with one of these prefixes (`dynamodb:LeadingKeys`).
   */
  readonly tableWritePrefixes: readonly string[] | null;
  /** Publishes to the alert topic. */
  readonly publishes: boolean;
  /** Starts executions of the upgrade state machine (only when upgrades are enabled). */
  readonly startsUpgrades: boolean;
  /** Lists the organization's accounts and OUs (only when no account list is configured). */
  readonly listsOrganization: boolean;
  /** Member role it assumes (with a per-run or per-execution session name and SourceIdentity), if any. */
  readonly assumes: MemberRoleKind | null;
  /** Belongs to the upgrade path: not deployed when the deployment is audit-only (`maxConcurrentUpgrades = 0`). */
  readonly upgradePath: boolean;
  /** Describes executions of the upgrade state machine (states:DescribeExecution on its executions only). */
  readonly describesUpgrades?: boolean;
}

const NONE: FunctionAccess = {
  tableWritePrefixes: null,
  publishes: false,
  startsUpgrades: false,
  listsOrganization: false,
  assumes: null,
  upgradePath: false,
};

const { cluster, run, alert, lock, upgrade, phase } = ITEM_PREFIXES;

/** Every Lambda entry (functions/handlers/entry/<name>.ts) and what it does. */
export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  'nightly-start-run': { ...NONE, tableWritePrefixes: [run], listsOrganization: true },
  // Reads its batch of account-regions (written by StartRun); writes nothing.
  'nightly-load-batch': { ...NONE, tableWritePrefixes: [] },
  // Parses member-controlled data: writes its clusters and its account-region outcome, nothing of upgrades, locks or alerts.
  'nightly-audit-account-region': { ...NONE, tableWritePrefixes: [cluster, run], assumes: 'read' },
  'nightly-record-account-region-failure': { ...NONE, tableWritePrefixes: [cluster, run] },
  'nightly-finish-run': { ...NONE, tableWritePrefixes: [run, alert], publishes: true },
  // Also reconciles open upgrade records whose execution ended (closes the record, releases the lock, announces it);
  // resumes baking upgrades; deletes a hold whose target its owner changed (the cluster's PHASES item).
  'nightly-dispatch-upgrades': {
    ...NONE,
    // Writes its per-candidate outcomes under the run (RUN#<runId> / LIST#DISPATCH_ENTRIES#n).
    tableWritePrefixes: [lock, upgrade, phase, run],
    publishes: true,
    startsUpgrades: true,
    upgradePath: true,
    describesUpgrades: true,
  },
  'upgrade-acquire-lock': { ...NONE, tableWritePrefixes: [lock, upgrade], upgradePath: true },
  'upgrade-pre-flight': { ...NONE, tableWritePrefixes: [], assumes: 'upgrade', upgradePath: true },
  'upgrade-start-update': { ...NONE, tableWritePrefixes: [upgrade], assumes: 'upgrade', upgradePath: true },
  'upgrade-poll-update': { ...NONE, tableWritePrefixes: [lock], assumes: 'upgrade', upgradePath: true },
  'upgrade-post-flight': { ...NONE, tableWritePrefixes: [], assumes: 'upgrade', upgradePath: true },
  'upgrade-record-hop': { ...NONE, tableWritePrefixes: [lock, upgrade], upgradePath: true },
  'upgrade-record-outcome': { ...NONE, tableWritePrefixes: [upgrade, phase], upgradePath: true },
  'upgrade-release-lock': { ...NONE, tableWritePrefixes: [lock], upgradePath: true },
  'upgrade-notify': { ...NONE, publishes: true, upgradePath: true },
  // Target of the EventBridge rule on upgrade executions that end FAILED, TIMED_OUT or ABORTED (not a task).
  'upgrade-reconcile-execution': {
    ...NONE,
    tableWritePrefixes: [lock, upgrade, phase],
    publishes: true,
    upgradePath: true,
  },
  // StartBake / CheckBake: the bake's phase item, the lease past bakeUntil, UPGRADE_BAKING and ROLLBACK_STARTED; reads
  // the health facts (EKS, CloudWatch alarms) through the member upgrade role.
  'upgrade-bake': {
    ...NONE,
    tableWritePrefixes: [lock, upgrade, phase],
    publishes: true,
    assumes: 'upgrade',
    upgradePath: true,
  },
  // StartRollback / RecordRollback: the rollback's EKS calls, the hold, the record, ROLLBACK_SUCCEEDED / FAILED.
  'upgrade-rollback': {
    ...NONE,
    tableWritePrefixes: [upgrade, phase],
    publishes: true,
    assumes: 'upgrade',
    upgradePath: true,
  },
  // Target of the hourly bake-check schedule: starts this hour's resume execution of each baking upgrade (reads the
  // PHASES items); writes nothing itself and starts nothing new.
  'upgrade-resume-bakes': { ...NONE, tableWritePrefixes: [], startsUpgrades: true, upgradePath: true },
};

/** Entries that no state machine runs: built by the construct of the event that invokes them. */
export const EVENT_ENTRIES: ReadonlySet<string> = new Set(['upgrade-reconcile-execution', 'upgrade-resume-bakes']);

/** Short role-name parts of the functions that assume a member role (IAM role names have at most 64 characters). */
const MEMBER_ASSUMING_ROLE_SUFFIX: Readonly<Record<string, string>> = {
  'upgrade-pre-flight': 'up-preflight',
  'upgrade-start-update': 'up-start',
  'upgrade-poll-update': 'up-poll',
  'upgrade-post-flight': 'up-postflight',
  'upgrade-bake': 'up-bake',
  'upgrade-rollback': 'up-rollback',
};

/**
 * Entries renamed since they were first deployed, with the name their CloudFormation resources were created under.
 * Their roles and functions keep that construct id, so an existing hub updates in place: a new logical id would make
 * CloudFormation create the fixed-name audit role again before deleting the old one ("already exists"), and a
 * recreated role would lose the member roles' trust (bound to the role's internal id).
 */
const DEPLOYED_AS: Readonly<Record<string, string>> = {
  'nightly-audit-account-region': 'nightly-audit-target',
  'nightly-record-account-region-failure': 'nightly-record-target-failure',
};

/** The construct id of the role and function built from `entry`: the entry, or the name it was first deployed as. */
export function constructIdOf(entry: string): string {
  return DEPLOYED_AS[entry] ?? entry;
}

/**
 * The fixed name of the hub role of `entry` when it assumes a member role (the member roles trust these exact ARNs),
 * or null: other functions get generated role names.
 *
 * @example hubRoleName('fleet-auditor', 'nightly-audit-account-region') // 'fleet-auditor-hub-audit'
 */
export function hubRoleName(namespace: string, entry: string): string | null {
  const access = FUNCTION_ACCESS[entry];
  if (access?.assumes === null || access === undefined) return null;
  if (access.assumes === 'read') return roleNames(namespace).hubAudit;
  const suffix = MEMBER_ASSUMING_ROLE_SUFFIX[entry];
  if (suffix === undefined) throw new RangeError(`entry ${entry} assumes the upgrade role but has no role-name part`);
  return `${namespace}-hub-${suffix}`;
}

/** The hub role names that assume the member role `kind` (what that member role trusts), sorted. */
export function hubRolesAssuming(namespace: string, kind: MemberRoleKind): string[] {
  return Object.entries(FUNCTION_ACCESS)
    .filter(([, access]) => access.assumes === kind)
    .map(([entry]) => hubRoleName(namespace, entry))
    .filter((name): name is string => name !== null)
    .sort();
}

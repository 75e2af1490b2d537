/**
 * `fleet-auditor rollback CLUSTER [VERSION] [--dry-run] [--simulate FLEET] [--now ISO] [--format table|json]`: the EKS version
 * rollback of DESIGN §7.1 for one cluster. Every prerequisite is checked and named — the 7-day window, exactly one
 * minor back (N-1), node groups at N-1 or older, add-ons compatible with N-1, the ROLLBACK_READINESS insights, the
 * upgrade policy an extended-support N-1 needs, the cluster ACTIVE with no update running — by the same pure rule the
 * report's `rollback` field uses. With `--dry-run` it prints the exact calls; without, it makes them (assuming the
 * upgrade role, `fleet-auditor-upgrade`, unless `--role` names another) and follows the VersionRollback update to its
 * end. A refused rollback exits 1 and changes nothing; node groups are never moved by this command (EKS refuses
 * while any runs N: roll them back first, or let the automatic rollback of the upgrade workflow do it).
 */
import { describeUpdate, rollbackClusterVersion } from '../adapters/eks-upgrader.ts';
import type { UpdateView } from '../application/ports/cluster-updater.ts';
import { eksClient } from '../adapters/aws-clients.ts';
import { CredentialBroker } from '../adapters/accounts.ts';
import { stsClient } from '../adapters/aws-clients.ts';
import { readInsights, readUpgradeHistory } from '../adapters/rollback-facts.ts';
import { partitionOf, READ_ROLE_NAME, UPGRADE_ROLE_NAME } from '../core/naming.ts';
import { assessRollback, minuteOf } from '../core/rollback-readiness.ts';
import type { RollbackAssessment, RollbackBlocker, RollbackBlockerCode } from '../core/rollback-readiness.ts';
import { fingerprint } from '../core/upgrade-execution.ts';
import { isVersion } from '../core/versions.ts';
import { DEFAULT_ROLLBACK_TIMEOUT_MINUTES } from '../core/defaults.ts';
import { openFleetSession } from './fleet-session.ts';
import type { CliIo } from './cli-io.ts';
import { emit } from './output.ts';
import type { CliOptions } from './options.ts';
import { lookUpCluster } from './cluster-lookup.ts';
import { UsageError } from './usage.ts';

/** One named prerequisite of a rollback and whether it holds. */
export interface RollbackCheck {
  readonly prerequisite: string;
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/** The rollback plan of one cluster (the JSON form of `rollback`, version 1). */
export interface RollbackPlan {
  readonly schemaVersion: 1;
  readonly cluster: {
    readonly accountId: string;
    readonly region: string;
    readonly name: string;
    readonly arn: string;
  };
  readonly fromVersion: string;
  readonly rollback: RollbackAssessment;
  readonly checks: readonly RollbackCheck[];
  readonly calls: readonly string[];
  readonly dryRun: boolean;
  /** After a real run: the VersionRollback update's end. */
  readonly result?: { readonly updateId: string; readonly status: string; readonly errors: readonly string[] };
}

const PREREQUISITES: readonly { name: string; codes: readonly RollbackBlockerCode[]; facts?: RegExp }[] = [
  {
    name: '7-day window after an in-place upgrade',
    codes: ['WINDOW_CLOSED', 'NOT_UPGRADED_IN_PLACE'],
    facts: /history/,
  },
  { name: 'exactly one minor back (N-1)', codes: ['NOT_ONE_MINOR'] },
  { name: 'node groups at N-1 or older', codes: ['NODEGROUP_NEWER'] },
  { name: 'add-ons compatible with N-1', codes: ['ADDON_INCOMPATIBLE_WITH_PREVIOUS'] },
  { name: 'ROLLBACK_READINESS insights not ERROR/UNKNOWN', codes: ['ROLLBACK_INSIGHT_ERROR'], facts: /insights/ },
  {
    name: 'upgrade policy for N-1 (EXTENDED when N-1 is in extended support)',
    codes: ['UPGRADE_POLICY_STANDARD', 'PREVIOUS_VERSION_UNSUPPORTED'],
    facts: /calendar/,
  },
  { name: 'cluster ACTIVE, no other update running', codes: ['CLUSTER_NOT_ACTIVE', 'UPDATE_IN_PROGRESS'] },
];

/** Each prerequisite by name, with the blockers that break it. */
export function rollbackChecks(blockers: readonly RollbackBlocker[]): RollbackCheck[] {
  return PREREQUISITES.map(({ name, codes, facts }) => {
    const problems = blockers
      .filter(
        (b) => codes.includes(b.code) || (b.code === 'FACTS_UNKNOWN' && facts !== undefined && facts.test(b.message)),
      )
      .map((b) => `${b.code}: ${b.message}`);
    return { prerequisite: name, ok: problems.length === 0, problems };
  });
}

/** The exact calls a rollback of `name` to `toVersion` makes. */
export function rollbackCalls(name: string, toVersion: string, token: string): string[] {
  return [
    `UpdateClusterVersion name=${name} version=${toVersion} rollbackConfig={"timeoutMinutes":${DEFAULT_ROLLBACK_TIMEOUT_MINUTES}} clientRequestToken=${token}`,
    `DescribeUpdate name=${name} updateId=<from the update> (type VersionRollback; every 30 s, then 60, 120, 240, 300 s … until Successful or Failed)`,
    `DescribeCluster name=${name} (verify: version ${toVersion}, status ACTIVE)`,
  ];
}

/** Renders a rollback plan for people: the checklist, then the calls (or the refusal). */
export function formatRollbackPlan(plan: RollbackPlan): string {
  const { cluster, rollback } = plan;
  const lines: string[] = [];
  const to = rollback.toVersion ?? 'N-1';
  lines.push(
    `${plan.dryRun ? 'Dry run: ' : ''}version rollback of ${cluster.name} (${cluster.accountId}, ${cluster.region}) from ${plan.fromVersion} to ${to}` +
      (rollback.until === null ? '' : `, possible until ${minuteOf(rollback.until)}`),
  );
  lines.push('Prerequisites:');
  for (const check of plan.checks) {
    lines.push(`  [${check.ok ? 'ok' : 'NO'}] ${check.prerequisite}`);
    for (const problem of check.problems) lines.push(`         ${problem}`);
  }
  if (!rollback.available) {
    lines.push(`Refused: ${rollback.blockers.map((b) => b.code).join(', ')}. Nothing was changed.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(plan.dryRun ? 'Calls it would make (nothing is changed):' : 'Calls made:');
  plan.calls.forEach((call, index) => lines.push(`  ${index + 1}. ${call}`));
  if (plan.result !== undefined) {
    lines.push(
      `Result: update ${plan.result.updateId} ${plan.result.status}` +
        (plan.result.errors.length === 0 ? '' : ` (${plan.result.errors.join('; ')})`),
    );
  }
  lines.push('Node groups and add-ons are not rolled back by EKS; they stay as they are.');
  return `${lines.join('\n')}\n`;
}

async function follow(poll: () => Promise<UpdateView>, sleep: (ms: number) => Promise<void>): Promise<UpdateView> {
  const waits = [30, 60, 120, 240];
  for (let attempt = 0; ; attempt += 1) {
    const view = await poll();
    if (view.status !== 'InProgress') return view;
    await sleep((waits[attempt] ?? 300) * 1000);
  }
}

/** Runs `rollback CLUSTER [--dry-run]`. */
export async function rollback(
  options: CliOptions,
  io: CliIo,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<number> {
  const [wanted, requested] = options.positionals;
  if (wanted === undefined || options.positionals.length > 2) {
    throw new UsageError(
      'rollback: give one CLUSTER (name or ARN) and optionally the VERSION to go back to, e.g. rollback payments --dry-run',
    );
  }
  if (requested !== undefined && !isVersion(requested)) {
    throw new UsageError(`rollback: "${requested}" is not a version like 1.33`);
  }
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const { located } = await lookUpCluster(session, wanted, 'rollback', now);
    const { cluster, calendar, catalog } = located;
    const reader = eksClient(session.connection, cluster.region, session.broker.providerFor(cluster.accountId));
    const [history, insights] = await Promise.all([
      readUpgradeHistory(reader, cluster.name),
      readInsights(reader, cluster.name, ['ROLLBACK_READINESS']),
    ]);
    const assessment = assessRollback(
      {
        name: cluster.name,
        version: cluster.version,
        status: cluster.status,
        supportType: cluster.supportType,
        upgradedFrom: history === null ? undefined : history.upgradedFrom,
        nodegroups: cluster.nodegroups,
        addons: cluster.addons,
        updateInProgress: cluster.updateInProgress || history?.inProgress === true,
        rollbackInsights: insights,
        ...(requested === undefined ? {} : { requestedVersion: requested }),
      },
      { calendar, catalog, now },
    );
    const token = `rollback-${fingerprint(`${cluster.arn}/${cluster.version}/${now.toISOString().slice(0, 10)}`, 16)}`;
    const to = assessment.toVersion ?? '';
    const base: RollbackPlan = {
      schemaVersion: 1,
      cluster: { accountId: cluster.accountId, region: cluster.region, name: cluster.name, arn: cluster.arn },
      fromVersion: cluster.version,
      rollback: assessment,
      checks: rollbackChecks(assessment.blockers),
      calls: assessment.available ? rollbackCalls(cluster.name, to, token) : [],
      dryRun: options.dryRun,
    };
    let plan = base;
    if (assessment.available && !options.dryRun) {
      const broker =
        session.simulator === null && options.role === READ_ROLE_NAME
          ? new CredentialBroker({
              sts: stsClient(session.connection),
              roleName: UPGRADE_ROLE_NAME,
              partition: partitionOf(session.connection.homeRegion),
            })
          : session.broker;
      const target = {
        eks: eksClient(session.connection, cluster.region, broker.providerFor(cluster.accountId)),
        accountId: cluster.accountId,
        region: cluster.region,
        clusterName: cluster.name,
      };
      const ref = await rollbackClusterVersion(target, to, token, DEFAULT_ROLLBACK_TIMEOUT_MINUTES);
      const end = await follow(() => describeUpdate(target, ref), sleep);
      plan = { ...base, result: { updateId: ref.id, status: end.status, errors: end.errors } };
    }
    await emit(
      options,
      io,
      options.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : formatRollbackPlan(plan),
    );
    if (!assessment.available) return 1;
    return plan.result === undefined || plan.result.status === 'Successful' ? 0 : 1;
  } finally {
    await session.close();
  }
}

/**
 * `fleet-auditor upgrade CLUSTER --dry-run [--simulate FLEET] [--now ISO] [--format table|json]`: the exact EKS API
 * calls the upgrade workflow would make for one cluster, in order, hop by hop (with the client request tokens it
 * would send), the resources it would leave alone, and the blockers that would stop it now. Nothing is changed:
 * upgrades run only in the nightly pipeline, so without `--dry-run` the command refuses (exit 2).
 */
import type { FleetRead } from '../adapters/fleet-reader.ts';
import { waveMembers } from '../core/audit-report.ts';
import type { AddonCatalog, Blocker, Calendar, ClusterState } from '../core/types.ts';
import { decideUpgrade } from '../core/upgrade-decision.ts';
import { FIRST_POLL_WAIT_SECONDS, upgradeExecutionName, upgradeRequestToken } from '../core/upgrade-execution.ts';
import {
  describeUpgradeAction,
  planUpgradeHops,
  type SkippedResource,
  type UpgradeAction,
} from '../core/upgrade-plan-steps.ts';
import { openFleetSession } from './fleet-session.ts';
import type { CliIo } from './cli-io.ts';
import { emit } from './output.ts';
import { terminalSafe } from './terminal-text.ts';
import type { CliOptions } from './options.ts';
import { UsageError } from './usage.ts';

/** One API call of the dry run. */
export interface DryRunCall {
  /** `PRE_FLIGHT`, a hop phase, `POST_FLIGHT` or `FINISH`. */
  readonly step: string;
  readonly call: string;
}

/** One hop of the dry run. */
export interface DryRunHop {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly calls: readonly DryRunCall[];
  readonly skipped: readonly SkippedResource[];
}

/** The dry run of one cluster's upgrade (the JSON form of `upgrade --dry-run`, version 1). */
export interface DryRun {
  readonly schemaVersion: 1;
  readonly cluster: {
    readonly accountId: string;
    readonly region: string;
    readonly name: string;
    readonly arn: string;
  };
  readonly fromVersion: string;
  readonly target: string | null;
  readonly path: readonly string[];
  readonly eligible: boolean;
  readonly blockers: readonly Blocker[];
  readonly executionName: string | null;
  readonly hops: readonly DryRunHop[];
}

/** A cluster found in what the fleet reader returned, with its region's catalogs and the wave members. */
interface Located {
  readonly cluster: ClusterState;
  readonly calendar: Calendar;
  readonly catalog: AddonCatalog;
  /** False when the region's add-on catalog could not be read: the decision blocks with FACTS_UNKNOWN. */
  readonly addonCatalogKnown?: boolean;
}

/** The cluster exists but could not be read (DescribeCluster failed): exit 1 with the reason, not "unknown". */
export class ClusterUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnreadableError';
  }
}

/** Why `wanted` could not be read, when it was listed but its DescribeCluster failed; else null. */
function unreadReason(read: FleetRead, wanted: string): string | null {
  const reasons: string[] = [];
  for (const target of read.targets) {
    for (const failure of target.inventory?.failed ?? []) {
      const arn = `:${target.accountId}:cluster/${failure.name}`;
      if (failure.name === wanted || (wanted.startsWith('arn:') && wanted.endsWith(arn))) {
        reasons.push(`${failure.error.code}: ${failure.error.message}`);
      }
    }
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** Finds CLUSTER by ARN or by name; exit 2 (UsageError) when unknown or ambiguous. */
export function locateCluster(read: FleetRead, wanted: string): Located {
  const found: Located[] = [];
  for (const target of read.targets) {
    if (target.inventory === null || target.catalog === null) continue;
    for (const cluster of target.inventory.clusters) {
      if (cluster.arn === wanted || cluster.name === wanted) {
        found.push({
          cluster,
          calendar: target.catalog.calendar,
          catalog: target.catalog.catalog,
          addonCatalogKnown: (target.catalog.addonCatalogUnavailable ?? null) === null,
        });
      }
    }
  }
  if (found.length === 0) {
    const unread = unreadReason(read, wanted);
    if (unread !== null) throw new ClusterUnreadableError(`upgrade: cluster "${wanted}" could not be read: ${unread}`);
    throw new UsageError(`upgrade: unknown cluster "${wanted}" (give its name or ARN)`);
  }
  if (found.length > 1) {
    const arns = found.map((f) => f.cluster.arn).join(', ');
    throw new UsageError(`upgrade: "${wanted}" names ${found.length} clusters; give one ARN: ${arns}`);
  }
  return found[0] as Located;
}

function pollCall(clusterName: string, action: UpgradeAction): string {
  const scope =
    action.kind === 'UpdateNodegroupVersion'
      ? ` nodegroupName=${action.nodegroup}`
      : action.kind === 'UpdateAddon'
        ? ` addonName=${action.addon}`
        : '';
  return `DescribeUpdate name=${clusterName}${scope} updateId=<from the update> (every ${FIRST_POLL_WAIT_SECONDS} s, then 60, 120, 240, 300 s … until Successful)`;
}

function readCall(clusterName: string, purpose: string): string {
  return (
    `DescribeCluster name=${clusterName}, ListNodegroups/DescribeNodegroup, ListAddons/DescribeAddon, ` +
    `ListFargateProfiles, ListInsights, ListUpdates/DescribeUpdate (read-only: ${purpose})`
  );
}

/** Plans the dry run of `located` at `now`: the same decision and planning code the workflow runs. */
export function dryRun(located: Located, fleet: readonly ClusterState[], now: Date, tagPrefix: string): DryRun {
  const { cluster, calendar, catalog } = located;
  const decision = decideUpgrade(cluster, {
    calendar,
    catalog,
    ...(located.addonCatalogKnown === undefined ? {} : { addonCatalogKnown: located.addonCatalogKnown }),
    now,
    tagPrefix,
    fleet: waveMembers(fleet, tagPrefix),
  });
  const target = decision.path.length === 0 ? null : (decision.path[decision.path.length - 1] ?? null);
  const executionName = target === null ? null : upgradeExecutionName(cluster, target, now);
  const hops = planUpgradeHops(cluster, decision.path, catalog).map((hop, index): DryRunHop => {
    const calls: DryRunCall[] = [
      {
        step: index === 0 ? 'PRE_FLIGHT' : 'HOP_GATE',
        call: readCall(cluster.name, 're-check every blocker before the hop starts'),
      },
    ];
    for (const action of hop.actions) {
      const token = upgradeRequestToken(executionName ?? '', hop.toVersion, action);
      calls.push({
        step: action.phase,
        call: `${describeUpgradeAction(cluster.name, action)} clientRequestToken=${token}`,
      });
      calls.push({ step: action.phase, call: pollCall(cluster.name, action) });
    }
    calls.push({
      step: 'POST_FLIGHT',
      call: readCall(cluster.name, `verify everything is ACTIVE at ${hop.toVersion}`),
    });
    return { fromVersion: hop.fromVersion, toVersion: hop.toVersion, calls, skipped: hop.skipped };
  });
  return {
    schemaVersion: 1,
    cluster: { accountId: cluster.accountId, region: cluster.region, name: cluster.name, arn: cluster.arn },
    fromVersion: cluster.version,
    target: decision.target,
    path: decision.path,
    eligible: decision.eligible,
    blockers: decision.blockers,
    executionName,
    hops,
  };
}

/** Renders a dry run for people: numbered calls under each hop. */
export function formatDryRun(run: DryRun): string {
  const { cluster } = run;
  const lines = [
    run.path.length === 0
      ? `Dry run: ${cluster.name} (${cluster.accountId}, ${cluster.region}) runs ${run.fromVersion}; there is nothing to upgrade to.`
      : `Dry run: upgrade ${cluster.name} (${cluster.accountId}, ${cluster.region}) from ${run.fromVersion} to ${run.path.at(-1) ?? ''} via ${run.path.join(' → ')}. Nothing is changed.`,
  ];
  if (run.executionName !== null) lines.push(`Execution name: ${run.executionName}`);
  if (run.eligible) lines.push('Eligible now: the nightly pipeline would start it.');
  else {
    lines.push('Blocked now: the nightly pipeline would not start it until these are cleared:');
    for (const blocker of run.blockers) lines.push(`  - ${blocker.code}: ${blocker.message}`);
  }
  let n = 0;
  for (const [index, hop] of run.hops.entries()) {
    lines.push(`Hop ${index + 1}: ${hop.fromVersion} → ${hop.toVersion}`);
    for (const call of hop.calls) {
      n += 1;
      lines.push(`  ${n}. [${call.step}] ${call.call}`);
    }
    for (const skip of hop.skipped) lines.push(`  skipped ${skip.kind} ${skip.name} (${skip.code}): ${skip.reason}`);
  }
  if (run.hops.length > 0) {
    lines.push('Then: record the outcome, publish UPGRADE_SUCCEEDED (or UPGRADE_FAILED), release the lock.');
  }
  return `${lines.map(terminalSafe).join('\n')}\n`;
}

/** Runs `upgrade CLUSTER --dry-run`. */
export async function upgrade(options: CliOptions, io: CliIo): Promise<number> {
  if (!options.dryRun) {
    throw new UsageError(
      'upgrade changes clusters only from the nightly pipeline (fleet-auditor nightly, or the deployed state machine); ' +
        'add --dry-run to see the EKS calls it would make',
    );
  }
  const wanted = options.positionals[0];
  if (wanted === undefined || options.positionals.length > 1) {
    throw new UsageError('upgrade: give exactly one CLUSTER (name or ARN), e.g. upgrade dev-sandbox --dry-run');
  }
  if (options.format !== 'table' && options.format !== 'json') {
    throw new UsageError(`upgrade --format: "${options.format}" is not one of table, json`);
  }
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const read = await session.read();
    const readable = read.targets.filter((target) => target.inventory !== null);
    if (readable.length === 0) {
      const first = read.errors[0];
      const cause = first === undefined ? '' : `: ${first.code}: ${first.message}`;
      io.stderr.write(`${terminalSafe(`fleet-auditor: no account-region could be read${cause}`)}\n`);
      return 1;
    }
    const located = locateCluster(read, wanted);
    const fleet = read.targets.flatMap((target) => target.inventory?.clusters ?? []);
    const run = dryRun(located, fleet, now, options.tagPrefix);
    await emit(options, io, options.format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : formatDryRun(run));
    return 0;
  } finally {
    await session.close();
  }
}

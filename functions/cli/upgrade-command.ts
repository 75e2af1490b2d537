/**
 * `fleet-auditor upgrade CLUSTER --dry-run [--simulate FLEET] [--now ISO] [--format table|json]`: the exact EKS API
 * calls the upgrade workflow would make for one cluster, in order, hop by hop (with the client request tokens it
 * would send), the resources it would leave alone, and the blockers that would stop it now. Nothing is changed:
 * upgrades run only in the nightly pipeline, so without `--dry-run` the command refuses (exit 2).
 */
import { waveMembers } from '../core/audit-report.ts';
import type { Blocker, ClusterState } from '../core/types.ts';
import { decideUpgrade } from '../core/upgrade-decision.ts';
import { FIRST_POLL_WAIT_SECONDS, upgradeExecutionName, upgradeRequestToken } from '../core/upgrade-execution.ts';
import {
  describeUpgradeAction,
  planUpgradeHops,
  type SkippedResource,
  type UpgradeAction,
} from '../core/upgrade-plan-steps.ts';
import { lookUpCluster, type LocatedCluster } from './cluster-lookup.ts';
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

/** What a dry run needs of the cluster: its state and its region's catalogs. */
type Located = Pick<LocatedCluster, 'cluster' | 'calendar' | 'catalog' | 'addonCatalogKnown'>;

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
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const { audit, located } = await lookUpCluster(session, wanted, 'upgrade', now);
    const fleet = audit.accountRegions.flatMap((accountRegion) => accountRegion.read.inventory.clusters);
    const run = dryRun(located, fleet, now, options.tagPrefix);
    await emit(options, io, options.format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : formatDryRun(run));
    return 0;
  } finally {
    await session.close();
  }
}

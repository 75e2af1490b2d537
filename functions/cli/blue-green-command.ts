/**
 * `fleet-auditor blue-green CLUSTER [--target 1.NN] [--format eksctl|json] [--out FILE]` (DESIGN §7.2): the
 * replacement cluster at the target version, cloned from what the EKS API tells of CLUSTER — as an eksctl
 * ClusterConfig (`--format eksctl`), as the ordered EKS Create* requests with what is not cloned and the cut-over
 * checklist (`--format json`), or as a readable summary (default). Read-only: nothing is created.
 *
 * The target is `--target`, else what the upgrade decision resolves (the `target-version` tag, or the newest
 * version in standard support). CLUSTER is found as `upgrade CLUSTER --dry-run` finds it (name or ARN), in the
 * session's one audit path, whose report row gives its target, deadline and strategy.
 */
import { eksClient } from '../adapters/aws-clients.ts';
import { readClusterDefinition } from '../adapters/eks-cluster-definition.ts';
import { planBlueGreen, type BlueGreenPlan } from '../core/blue-green-plan.ts';
import { calendarEntry } from '../core/calendar.ts';
import { eksctlYaml } from '../core/eksctl-config.ts';
import { compareVersions, isVersion } from '../core/versions.ts';
import { openFleetSession } from './fleet-session.ts';
import type { CliIo } from './cli-io.ts';
import { emit } from './output.ts';
import type { CliOptions } from './options.ts';
import { lookUpCluster } from './cluster-lookup.ts';
import { UsageError } from './usage.ts';

/** The readable form: what is built, why, the prerequisites, the requests and the cut-over. */
export function formatBlueGreen(plan: BlueGreenPlan): string {
  const { source, replacement } = plan;
  const lines = [
    `Blue/green: replace ${source.name} (${source.accountId}, ${source.region}, ${source.version}) with ${replacement.name} at ${replacement.version}.`,
    `New cluster name: ${replacement.name} (${replacement.nameRule}). Nothing is created by this command.`,
  ];
  if (plan.strategy !== null) {
    lines.push(`Recommended strategy: ${plan.strategy.recommended}`);
    for (const reason of plan.strategy.reasons) lines.push(`  - ${reason.code}: ${reason.message}`);
  }
  lines.push('Not cloned (prerequisites first):');
  for (const item of plan.notCloned) {
    lines.push(`  - ${item.prerequisite ? '[before] ' : ''}${item.what}: ${item.reason}`);
  }
  lines.push('EKS requests, in order (--format json has them in full; --format eksctl writes the ClusterConfig):');
  for (const request of plan.requests) {
    const input = request.input;
    const what = [
      input.name,
      input.nodegroupName,
      input.addonName,
      input.addonVersion,
      input.principalArn,
      input.policyArn,
      input.fargateProfileName,
    ]
      .filter((v): v is string => typeof v === 'string')
      .join(' ');
    const wait = request.waitFor === null ? '' : ` → wait ${request.waitFor}`;
    lines.push(`  ${request.step}. ${request.operation} ${what}${wait}`);
  }
  lines.push('Cut-over:');
  plan.checklist.forEach((step, index) => lines.push(`  ${index + 1}. [${step.code}] ${step.action}`));
  return `${lines.join('\n')}\n`;
}

/** Runs `blue-green CLUSTER`. */
export async function blueGreen(options: CliOptions, io: CliIo): Promise<number> {
  const wanted = options.positionals[0];
  if (wanted === undefined || options.positionals.length > 1) {
    throw new UsageError(
      'blue-green: give exactly one CLUSTER (name or ARN), e.g. blue-green payments-api --target 1.36',
    );
  }
  if (options.target !== null && !isVersion(options.target)) {
    throw new UsageError(`blue-green --target: "${options.target}" is not a version like 1.36`);
  }
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const { located } = await lookUpCluster(session, wanted, 'blue-green', now);
    const { cluster, calendar, catalog, report: row } = located;
    const target = options.target ?? row?.upgrade.target ?? null;
    if (target === null) {
      throw new UsageError(`blue-green: ${cluster.name} has no upgrade target; give one with --target 1.NN`);
    }
    if (compareVersions(target, cluster.version) < 0 || calendarEntry(calendar, target) === undefined) {
      throw new UsageError(
        `blue-green: target ${target} must be in ${cluster.region}'s support calendar and not older than ${cluster.version}`,
      );
    }
    const eks = eksClient(session.connection, cluster.region, session.broker.providerFor(cluster.accountId));
    const definition = await readClusterDefinition(
      { accountId: cluster.accountId, region: cluster.region, eks },
      cluster.name,
    );
    const strategy = row?.strategy ?? null;
    const plan = planBlueGreen({
      definition,
      target,
      catalog,
      strategy,
      deadline: row?.deadline ?? null,
      suspectedSelfManaged: strategy?.reasons.some((r) => r.code === 'SELF_MANAGED_NODES_SUSPECTED') ?? false,
    });
    const text =
      options.format === 'eksctl'
        ? eksctlYaml(plan, definition.networking.vpcId)
        : options.format === 'json'
          ? `${JSON.stringify(plan, null, 2)}\n`
          : formatBlueGreen(plan);
    await emit(options, io, text);
    return 0;
  } finally {
    await session.close();
  }
}

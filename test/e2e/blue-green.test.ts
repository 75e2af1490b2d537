/**
 * Blue/green end to end (DESIGN §7.2): for every readable cluster of the example fleet, `fleet-auditor blue-green`
 * writes the plan; its Create* requests, sent through the real SDK EKS client to a simulator serving the same
 * fleet, build a cluster that `audit` reports at the target, AT_TARGET, with the same node groups, add-ons at their
 * recommended versions, the same networking and tags; and the eksctl YAML carries the same facts.
 */
import { readFileSync } from 'node:fs';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
} from '@aws-sdk/client-eks';
import type {
  AssociateAccessPolicyCommandInput,
  CreateAccessEntryCommandInput,
  CreateAddonCommandInput,
  CreateClusterCommandInput,
  CreateFargateProfileCommandInput,
  CreateNodegroupCommandInput,
  EKSClient,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClusterDefinition } from '../../functions/adapters/eks-cluster-definition.ts';
import { recommendedAddonVersion } from '../../functions/core/addons.ts';
import type { BlueGreenPlan, PlanRequest } from '../../functions/core/blue-green-plan.ts';
import type { ClusterDefinition } from '../../functions/core/cluster-definition.ts';
import type { AuditReport } from '../../functions/core/report-types.ts';
import { DEFAULT_ADDON_CATALOG, parseFleetFile, startSimulator } from '../../functions/sim/index.ts';
import type { FleetFile, Simulator } from '../../functions/sim/index.ts';
import { runCli, writeFleetFile } from '../cli/cli-harness.ts';
import { assumeInto, clients } from '../sim/sim-fixtures.ts';
import { parseMiniYaml } from './mini-yaml.ts';

const NOW = '2026-11-22T12:00:00Z';
const FLEET = parseFleetFile(JSON.parse(readFileSync('examples/fleet.json', 'utf8')));
const CATALOG = { ...DEFAULT_ADDON_CATALOG, ...FLEET.addonCatalog };

/** Every cluster of the example fleet the read role can reach (one account denies it, as real ones do). */
const READABLE = FLEET.accounts
  .filter((account) => account.fault === undefined)
  .flatMap((account) =>
    Object.entries(account.regions).flatMap(([region, entry]) =>
      entry.clusters.map((cluster) => ({ accountId: account.id, region, name: cluster.name })),
    ),
  );

async function send(eks: EKSClient, request: PlanRequest): Promise<void> {
  const input = request.input as never;
  switch (request.operation) {
    case 'CreateCluster':
      await eks.send(new CreateClusterCommand(input as CreateClusterCommandInput));
      break;
    case 'CreateAccessEntry':
      await eks.send(new CreateAccessEntryCommand(input as CreateAccessEntryCommandInput));
      break;
    case 'AssociateAccessPolicy':
      await eks.send(new AssociateAccessPolicyCommand(input as AssociateAccessPolicyCommandInput));
      break;
    case 'CreateAddon':
      await eks.send(new CreateAddonCommand(input as CreateAddonCommandInput));
      break;
    case 'CreateNodegroup':
      await eks.send(new CreateNodegroupCommand(input as CreateNodegroupCommandInput));
      break;
    case 'CreateFargateProfile':
      await eks.send(new CreateFargateProfileCommand(input as CreateFargateProfileCommandInput));
      break;
  }
}

/** Waits as the plan says, by polling the Describe call until ACTIVE (the simulator creates at once). */
async function waitFor(eks: EKSClient, request: PlanRequest): Promise<void> {
  const input = request.input as Record<string, string>;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let status: string | undefined;
    if (request.waitFor === 'ClusterActive') {
      status = (await eks.send(new DescribeClusterCommand({ name: input.name }))).cluster?.status;
    } else if (request.waitFor === 'NodegroupActive') {
      const { nodegroup } = await eks.send(
        new DescribeNodegroupCommand({ clusterName: input.clusterName, nodegroupName: input.nodegroupName }),
      );
      status = nodegroup?.status;
    } else if (request.waitFor === 'FargateProfileActive') {
      const { fargateProfile } = await eks.send(
        new DescribeFargateProfileCommand({
          clusterName: input.clusterName,
          fargateProfileName: input.fargateProfileName,
        }),
      );
      status = fargateProfile?.status;
    } else return;
    if (status === 'ACTIVE') return;
  }
  throw new Error(`${request.operation} step ${request.step} never became ACTIVE`);
}

interface Built {
  readonly plan: BlueGreenPlan;
  readonly yaml: string;
  readonly before: ClusterDefinition;
  readonly after: ClusterDefinition;
}

let sim: Simulator;
const built = new Map<string, Built>();
let report: AuditReport;

beforeAll(async () => {
  const path = writeFleetFile(FLEET);
  sim = await startSimulator({ fleet: FLEET, now: () => new Date(NOW) });
  for (const target of READABLE) {
    const base = ['blue-green', target.name, '--simulate', path, '--now', NOW];
    const json = await runCli(NOW, [...base, '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const yaml = await runCli(NOW, [...base, '--format', 'eksctl']);
    expect(yaml.code).toBe(0);
    const plan = JSON.parse(json.stdout) as BlueGreenPlan;
    const credentials = await assumeInto(sim, target.accountId);
    const { eks } = clients(sim, target.region, credentials);
    for (const request of plan.requests) {
      await send(eks, request);
      await waitFor(eks, request);
    }
    const where = { accountId: target.accountId, region: target.region, eks };
    built.set(target.name, {
      plan,
      yaml: yaml.stdout,
      before: await readClusterDefinition(where, target.name),
      after: await readClusterDefinition(where, plan.replacement.name),
    });
  }
  // The fleet as the simulator now holds it, audited by the real CLI.
  const after = writeFleetFile(sim.snapshot() satisfies FleetFile);
  const audit = await runCli(NOW, ['audit', '--simulate', after, '--now', NOW, '--format', 'json']);
  expect(audit.code).toBe(0);
  report = JSON.parse(audit.stdout) as AuditReport;
}, 120_000);

afterAll(async () => {
  await sim.close();
});

const sortedBy = <T>(items: readonly T[], key: (item: T) => string): T[] =>
  [...items].sort((a, b) => key(a).localeCompare(key(b)));

describe.each(READABLE)('blue-green $name', ({ name }) => {
  const get = (): Built => {
    const result = built.get(name);
    if (result === undefined) throw new Error(`${name} was not built`);
    return result;
  };

  it('names the replacement <name>-<target without the dot>', () => {
    const { plan } = get();
    expect(plan.replacement.name).toBe(`${name}-${plan.replacement.version.replace('.', '')}`);
    expect(plan.requests[0]?.operation).toBe('CreateCluster');
  });

  it('creates a cluster that audit reports at the target, AT_TARGET, with the same node groups', () => {
    const { plan, before } = get();
    const row = report.clusters.find((c) => c.name === plan.replacement.name);
    expect(row?.version).toBe(plan.replacement.version);
    expect(row?.status).toBe('ACTIVE');
    expect(row?.upgrade.blockers.map((b) => b.code)).toContain('AT_TARGET');
    expect(row?.nodegroups.map((ng) => ng.name)).toEqual(before.nodegroups.map((ng) => ng.name));
    for (const ng of row?.nodegroups ?? []) expect(ng.version).toBe(plan.replacement.version);
  });

  it('clones every node group: scaling, instance types, labels, taints, capacity, subnets, role', () => {
    const { before, after } = get();
    const facts = (def: ClusterDefinition): unknown[] =>
      def.nodegroups.map(
        ({ name: n, scaling, instanceTypes, labels, taints, capacityType, subnets, nodeRole, amiType, diskSize }) => ({
          n,
          scaling,
          instanceTypes,
          labels,
          taints,
          capacityType,
          subnets,
          nodeRole,
          amiType,
          diskSize,
        }),
      );
    expect(facts(after)).toEqual(facts(before));
  });

  it('installs every add-on at its recommended version for the target, with its configuration and roles', () => {
    const { plan, before, after } = get();
    const target = plan.replacement.version;
    const cloneable = before.addons.filter((a) => recommendedAddonVersion(a.name, target, CATALOG) !== null);
    expect(after.addons.map((a) => [a.name, a.version])).toEqual(
      cloneable.map((a) => [a.name, recommendedAddonVersion(a.name, target, CATALOG)]),
    );
    const config = (def: ClusterDefinition, names: string[]): unknown[] =>
      def.addons
        .filter((a) => names.includes(a.name))
        .map((a) => [a.name, a.configurationValues, a.serviceAccountRoleArn, a.podIdentityAssociations]);
    const names = cloneable.map((a) => a.name);
    expect(config(after, names)).toEqual(config(before, names));
    for (const skipped of before.addons.filter((a) => !names.includes(a.name))) {
      expect(plan.notCloned.map((n) => n.what)).toContain(`add-on ${skipped.name} (${skipped.version})`);
    }
  });

  it('keeps networking, endpoint access, logging, encryption, access mode, upgrade policy and tags', () => {
    const { before, after } = get();
    const keep = (def: ClusterDefinition): unknown => ({
      networking: def.networking,
      enabledLogTypes: def.enabledLogTypes,
      encryptionKeyArn: def.encryptionKeyArn,
      authenticationMode: def.authenticationMode,
      supportType: def.supportType,
      autoMode: def.autoMode,
      roleArn: def.roleArn,
      tags: def.tags,
    });
    expect(keep(after)).toEqual(keep(before));
  });

  it('clones access entries with their policies, and Fargate profiles with their selectors', () => {
    const { before, after } = get();
    const entries = (def: ClusterDefinition): unknown =>
      sortedBy(def.accessEntries, (e) => e.principalArn).map((e) => ({ ...e, tags: undefined }));
    expect(entries(after)).toEqual(entries(before));
    expect(after.fargateProfiles).toEqual(before.fargateProfiles);
  });

  it('writes an eksctl ClusterConfig that carries the same facts as the requests', () => {
    const { plan, yaml } = get();
    const config = parseMiniYaml(yaml) as Record<string, unknown>;
    const byOp = (op: PlanRequest['operation']): Record<string, unknown>[] =>
      plan.requests.filter((r) => r.operation === op).map((r) => r.input as Record<string, unknown>);
    const cluster = byOp('CreateCluster')[0] ?? {};
    const vpc = cluster.resourcesVpcConfig as Record<string, unknown>;
    expect(config).toMatchObject({ apiVersion: 'eksctl.io/v1alpha5', kind: 'ClusterConfig' });
    expect(config.metadata).toEqual({
      name: cluster.name,
      region: plan.source.region,
      version: cluster.version,
      ...(cluster.tags === undefined ? {} : { tags: cluster.tags }),
    });
    const eksctlVpc = config.vpc as Record<string, Record<string, Record<string, { id: string }>>>;
    expect(Object.values(eksctlVpc.subnets?.private ?? {}).map((s) => s.id)).toEqual(vpc.subnetIds);
    expect(eksctlVpc.clusterEndpoints).toEqual({
      publicAccess: vpc.endpointPublicAccess,
      privateAccess: vpc.endpointPrivateAccess,
    });
    expect(config.iam).toMatchObject({ serviceRoleARN: cluster.roleArn });
    const nodegroups = config.managedNodeGroups as Record<string, unknown>[];
    expect(nodegroups.map((ng) => ng.name)).toEqual(byOp('CreateNodegroup').map((ng) => ng.nodegroupName));
    byOp('CreateNodegroup').forEach((request, i) => {
      const ng = nodegroups[i] ?? {};
      const scaling = request.scalingConfig as Record<string, number>;
      expect([ng.minSize, ng.desiredCapacity, ng.maxSize]).toEqual([
        scaling.minSize,
        scaling.desiredSize,
        scaling.maxSize,
      ]);
      expect(ng.instanceTypes).toEqual(request.instanceTypes);
      expect(ng.labels).toEqual(request.labels);
      expect(ng.subnets).toEqual(request.subnets);
      const taints = (request.taints ?? []) as { key: string; effect: string }[];
      expect(((ng.taints ?? []) as { key: string }[]).map((t) => t.key)).toEqual(taints.map((t) => t.key));
      expect(ng.iam).toEqual({ instanceRoleARN: request.nodeRole });
    });
    const addons = config.addons as Record<string, unknown>[];
    expect(addons.map((a) => [a.name, a.version, a.configurationValues, a.serviceAccountRoleARN])).toEqual(
      byOp('CreateAddon').map((a) => [a.addonName, a.addonVersion, a.configurationValues, a.serviceAccountRoleArn]),
    );
    const entries = (config.accessConfig as Record<string, unknown>).accessEntries as Record<string, unknown>[];
    expect(entries.map((e) => [e.principalARN, e.type])).toEqual(
      byOp('CreateAccessEntry').map((e) => [e.principalArn, e.type]),
    );
    const profiles = config.fargateProfiles as Record<string, unknown>[];
    expect(profiles.map((p) => [p.name, p.selectors])).toEqual(
      byOp('CreateFargateProfile').map((p) => [p.fargateProfileName, p.selectors]),
    );
  });
});

describe('blue-green on what cannot be built', () => {
  it('names the unreadable account when the cluster is there (exit 2)', async () => {
    const path = writeFleetFile(FLEET);
    const run = await runCli(NOW, ['blue-green', 'sec-tools', '--simulate', path, '--now', NOW]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not readable: 567890123456');
  });

  it('refuses a target older than the cluster, and a bad --format', async () => {
    const path = writeFleetFile(FLEET);
    const older = await runCli(NOW, ['blue-green', 'reporting', '--target', '1.35', '--simulate', path, '--now', NOW]);
    expect([older.code, older.stderr]).toEqual([2, expect.stringContaining('not older than 1.36')]);
    const csv = await runCli(NOW, ['blue-green', 'reporting', '--format', 'csv', '--simulate', path, '--now', NOW]);
    expect([csv.code, csv.stderr]).toEqual([2, expect.stringContaining('eksctl, json')]);
    const audit = await runCli(NOW, ['audit', '--format', 'eksctl', '--simulate', path, '--now', NOW]);
    expect([audit.code, audit.stderr]).toEqual([2, expect.stringContaining('blue-green only')]);
  });

  it('lists prerequisites and the cut-over with the old cluster figures in the readable form', async () => {
    const path = writeFleetFile(FLEET);
    const run = await runCli(NOW, ['blue-green', 'payments-api', '--target', '1.36', '--simulate', path, '--now', NOW]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('with payments-api-136 at 1.36');
    expect(run.stdout).toContain(
      '[before] trust of the IRSA role(s) arn:aws:iam::210987654321:role/payments-api-vpc-cni',
    );
    expect(run.stdout).toContain('general: 6 nodes now (min 3, max 12), m7i.xlarge/m6i.xlarge');
    expect(run.stdout).toContain('keep at least 8 nodes on each side');
    expect(run.stdout).toContain('[SHIFT_TRAFFIC]');
  });
});

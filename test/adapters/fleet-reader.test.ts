import { afterEach, describe, expect, it } from 'vitest';
import { CredentialBroker, listOrganizationAccounts } from '../../functions/adapters/accounts.ts';
import {
  closeConnection,
  createConnection,
  eksClient,
  organizationsClient,
  stsClient,
} from '../../functions/adapters/aws-clients.ts';
import { readCalendar } from '../../functions/adapters/eks-catalog.ts';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import type { AwsConnection } from '../../functions/adapters/aws-clients.ts';
import { readFleet } from '../../functions/adapters/fleet-reader.ts';
import type { FleetRead } from '../../functions/adapters/fleet-reader.ts';
import { startSimulator } from '../../functions/sim/index.ts';
import type { FleetFile, SimCall, Simulator, SimulatorOptions } from '../../functions/sim/index.ts';
import { faultError } from '../../functions/sim/service-errors.ts';
import { fastRetries } from './fast-retries.ts';
import { shortTimeoutIn } from './hung-regions.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

function cluster(name: string, version = '1.34'): FleetFile['accounts'][number]['regions'][string]['clusters'][number] {
  return {
    name,
    version,
    nodegroups: [
      { name: 'a', version },
      { name: 'b', version },
      { name: 'c', version },
    ],
    addons: [
      { name: 'vpc-cni', version: 'v1.20.1-eksbuild.1' },
      { name: 'coredns', version: 'v1.12.1-eksbuild.2' },
      { name: 'kube-proxy', version: 'v1.34.2-eksbuild.2' },
    ],
  };
}

const FLEET: FleetFile = {
  accounts: [
    {
      id: '222222222222',
      name: 'prod',
      regions: {
        'us-east-1': { clusters: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((n) => cluster(n)) },
        'eu-west-1': { clusters: [cluster('eu1', '1.31')] },
      },
    },
    {
      id: '333333333333',
      name: 'denied',
      fault: 'ACCESS_DENIED',
      regions: { 'us-east-1': { clusters: [cluster('x')] } },
    },
  ],
} as FleetFile;

let sim: Simulator | null = null;
let connection: AwsConnection | null = null;

afterEach(async () => {
  if (connection !== null) closeConnection(connection);
  await sim?.close();
  sim = null;
  connection = null;
});

async function read(options: Partial<SimulatorOptions> = {}): Promise<{ fleet: FleetRead; sim: Simulator }> {
  sim = await startSimulator({ fleet: FLEET, now: () => NOW, pageSize: 2, ...options });
  connection = createConnection({
    endpoint: sim.endpoint,
    credentials: sim.hubCredentials,
    maxAttempts: 10,
    retryStrategy: fastRetries,
  });
  const broker = new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' });
  const accounts = await listOrganizationAccounts(organizationsClient(connection));
  const fleet = await readFleet({
    connection,
    accounts,
    regions: ['us-east-1', 'eu-west-1'],
    broker,
    tagPrefix: 'fleet-auditor/',
  });
  return { fleet, sim };
}

function clustersOf(fleet: FleetRead, region: string): string[] {
  return fleet.targets
    .filter((t) => t.region === region && t.inventory !== null)
    .flatMap((t) => t.inventory?.clusters.map((c) => c.name) ?? []);
}

describe('readFleet against the simulator', () => {
  it('reads every cluster across several pages of every list, with node groups and add-ons whole', async () => {
    const { fleet, sim } = await read();

    expect(clustersOf(fleet, 'us-east-1')).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(clustersOf(fleet, 'eu-west-1')).toEqual(['eu1']);
    const c1 = fleet.targets.find((t) => t.region === 'us-east-1')?.inventory?.clusters[0];
    expect(c1?.nodegroups.map((ng) => ng.name)).toEqual(['a', 'b', 'c']);
    expect(c1?.addons.map((a) => a.name)).toEqual(['coredns', 'kube-proxy', 'vpc-cni']);
    expect(c1?.accountId).toBe('222222222222');
    expect(c1?.arn).toBe('arn:aws:eks:us-east-1:222222222222:cluster/c1');
    // 7 clusters at 2 per page = 4 ListClusters pages.
    expect(sim.stats().byOperation.ListClusters).toBe(4 + 1);
  });

  it('reports an account whose role cannot be assumed, and reads the others', async () => {
    const { fleet } = await read();

    expect(fleet.errors).toEqual([
      {
        accountId: '333333333333',
        region: null,
        code: 'MEMBER_ACCESS_DENIED',
        message: expect.stringContaining('arn:aws:iam::333333333333:role/fleet-auditor-read'),
      },
    ]);
    expect(fleet.targets.every((t) => t.accountId === '222222222222')).toBe(true);
  });

  it('calls DescribeClusterVersions and DescribeAddonVersions once per region, not per account or cluster', async () => {
    const { sim } = await read();

    const calls = sim.stats().byOperation;
    expect(calls.AssumeRole).toBe(2);
    expect(calls.DescribeCluster).toBe(8);
    expect(calls.DescribeNodegroup).toBe(24);
    expect(calls.DescribeAddon).toBe(24);
    // Page size 2: 14 calendar versions = 7 pages and 5 add-ons = 3 pages, once per region (2 regions).
    expect(calls.DescribeClusterVersions).toBe(2 * 7);
    expect(calls.DescribeAddonVersions).toBe(2 * 3);
  });

  it('treats a cluster deleted between list and describe as vanished, not as an error', async () => {
    const { fleet } = await read({
      beforeRequest: (call: SimCall) => {
        if (call.operation === 'DescribeCluster' && call.params.name === 'c3') {
          sim?.removeCluster('222222222222', 'us-east-1', 'c3');
        }
      },
    });

    const target = fleet.targets.find((t) => t.region === 'us-east-1');
    expect(target?.inventory?.vanished).toEqual(['c3']);
    expect(clustersOf(fleet, 'us-east-1')).not.toContain('c3');
    expect(fleet.errors.filter((e) => e.accountId === '222222222222')).toEqual([]);
  });

  it('retries throttled calls until they succeed', async () => {
    // Every EKS call is throttled on its first attempt, however fast or slow the machine sends them (a rate-based
    // throttle was never reached on a loaded machine).
    const attempts = new Map<string, number>();
    let throttled = 0;
    const { fleet } = await read({
      beforeRequest: (call: SimCall) => {
        if (call.service !== 'eks') return;
        const key = `${call.operation}|${call.accountId}|${call.region}|${JSON.stringify(call.params)}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        if (attempt === 1) {
          throttled += 1;
          throw faultError('eks', 'throttle');
        }
      },
    });

    expect(throttled).toBeGreaterThan(7);
    expect(clustersOf(fleet, 'us-east-1')).toHaveLength(7);
    expect(fleet.errors.filter((e) => e.accountId === '222222222222')).toEqual([]);
  });

  it('reports a region that does not answer, with its cause, and reads the other regions', async () => {
    sim = await startSimulator({ fleet: FLEET, now: () => NOW, hangRegions: ['eu-west-1'] });
    connection = shortTimeoutIn(
      createConnection({
        endpoint: sim.endpoint,
        credentials: sim.hubCredentials,
        maxAttempts: 2,
        retryStrategy: fastRetries,
      }),
      ['eu-west-1'],
      150,
    );
    const broker = new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' });
    const fleet = await readFleet({
      connection,
      accounts: [{ id: '222222222222', name: 'prod' }],
      regions: ['us-east-1', 'eu-west-1'],
      broker,
      tagPrefix: 'fleet-auditor/',
    });

    expect(clustersOf(fleet, 'us-east-1')).toHaveLength(7);
    expect(fleet.errors).toEqual([
      expect.objectContaining({ accountId: '222222222222', region: 'eu-west-1', code: 'ENDPOINT_UNREACHABLE' }),
    ]);
  });
});

describe('readCalendar', () => {
  it('falls back to the bundled calendar, saying why, when DescribeClusterVersions is refused', async () => {
    sim = await startSimulator({
      fleet: FLEET,
      now: () => NOW,
      beforeRequest: (call: SimCall) => {
        if (call.operation === 'DescribeClusterVersions') throw new Error('refused');
      },
    });
    connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials, maxAttempts: 1 });

    const result = await readCalendar(eksClient(connection, 'us-east-1', sim.hubCredentials), 'us-east-1');

    expect(result.source).toBe('bundled');
    expect(result.calendar).toBe(BUNDLED_CALENDAR);
    expect(result.reason).toMatch(/DescribeClusterVersions in us-east-1/);
  });
});

describe('CredentialBroker', () => {
  it('assumes the member role in the partition it is given', async () => {
    const assumed: string[] = [];
    sim = await startSimulator({
      fleet: FLEET,
      now: () => NOW,
      beforeRequest: (call: SimCall) => {
        if (call.operation === 'AssumeRole') assumed.push(call.params['RoleArn'] ?? '');
      },
    });
    connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials, maxAttempts: 1 });
    const broker = new CredentialBroker({ sts: stsClient(connection), roleName: 'reader', partition: 'aws-us-gov' });

    // The simulator serves the commercial partition only and refuses the role; what matters is the ARN it was asked for.
    await expect(broker.credentialsFor('222222222222')).rejects.toThrow(
      /arn:aws-us-gov:iam::222222222222:role\/reader/,
    );

    expect(assumed[0]).toBe('arn:aws-us-gov:iam::222222222222:role/reader');
  });
});

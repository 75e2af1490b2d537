import { describe, expect, it } from 'vitest';
import {
  catalogCallsPerRegion,
  fleetWork,
  isOptedIn,
  naiveFleetCalls,
  naiveSampleCalls,
  pagesFor,
  accountRegionWork,
} from '../../bench/fleet-work.ts';
import { CredentialBroker } from '../../functions/adapters/accounts.ts';
import { closeConnection, createConnection, stsClient } from '../../functions/adapters/aws-clients.ts';
import { readFleet } from '../../functions/adapters/fleet-reader.ts';
import { fleetRegions } from '../../functions/cli/fleet-session.ts';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { generateFleet, startSimulator } from '../../functions/sim/index.ts';
import type { FleetCluster, FleetFile } from '../../functions/sim/index.ts';

const PREFIX = 'fleet-auditor/';
const NOW = new Date('2026-11-22T12:00:00Z');
const OPTIONS = { pageSize: 100, tagPrefix: PREFIX };

/** A cluster with `nodegroups` node groups, `addons` add-ons and the five default insights. */
function cluster(name: string, nodegroups: number, addons: number, extra: Partial<FleetCluster> = {}): FleetCluster {
  return {
    name,
    version: '1.33',
    nodegroups: Array.from({ length: nodegroups }, (_, i) => ({ name: `ng-${i}`, version: '1.33' })),
    addons: Array.from({ length: addons }, (_, i) => ({ name: `addon-${i}`, version: 'v1.0.0' })),
    ...extra,
  };
}

describe('pagesFor', () => {
  it.each([
    [0, 100, 1],
    [1, 100, 1],
    [100, 100, 1],
    [101, 100, 2],
    [7, 2, 4],
  ])('needs for %i items at %i per page %i page(s)', (items, pageSize, pages) => {
    expect(pagesFor(items, pageSize)).toBe(pages);
  });

  it('refuses a page size below one', () => {
    expect(() => pagesFor(3, 0)).toThrow(RangeError);
  });
});

describe('isOptedIn', () => {
  it.each([
    [{ 'fleet-auditor/auto-upgrade': 'true' }, true],
    [{ 'fleet-auditor/auto-upgrade': ' TRUE ' }, true],
    [{ 'fleet-auditor/auto-upgrade': 'yes' }, false],
    [{ 'fleet-auditor/auto-upgrade': 'false' }, false],
    [{ 'other/auto-upgrade': 'true' }, false],
    [undefined, false],
  ])('reads tags %j as opted in: %s', (tags, expected) => {
    expect(isOptedIn(cluster('c', 0, 0, tags === undefined ? {} : { tags }), PREFIX)).toBe(expected);
  });
});

describe('targetWork', () => {
  it('costs an empty account-region one ListClusters', () => {
    expect(accountRegionWork('a', 'r', [], OPTIONS)).toEqual({
      accountId: 'a',
      region: 'r',
      clusters: 0,
      calls: 1,
      callsByDepth: [1],
    });
  });

  it('puts DescribeCluster and the four child lists one level below ListClusters, child describes below them', () => {
    const work = accountRegionWork('a', 'r', [cluster('c', 3, 4)], OPTIONS);

    // ListClusters | DescribeCluster, ListNodegroups, ListAddons, ListFargateProfiles, ListInsights | 3 + 4 describes
    expect(work.callsByDepth).toEqual([1, 5, 7]);
    expect(work.calls).toBe(13);
  });

  it('adds the update history of an opted-in cluster after its DescribeCluster', () => {
    const optedIn = { tags: { 'fleet-auditor/auto-upgrade': 'true' } };

    expect(accountRegionWork('a', 'r', [cluster('c', 3, 4, optedIn)], OPTIONS).callsByDepth).toEqual([1, 5, 8]);
    expect(
      accountRegionWork('a', 'r', [cluster('c', 3, 4, { ...optedIn, versionSince: '2026-01-01T00:00:00Z' })], OPTIONS)
        .callsByDepth,
    ).toEqual([1, 5, 8, 1]);
  });

  it('chains the pages of a list, each page naming the items described below it', () => {
    const work = accountRegionWork('a', 'r', [cluster('c', 3, 0, { insights: [] })], { ...OPTIONS, pageSize: 2 });

    // depth 2: DescribeCluster, ListNodegroups p1, ListAddons, ListFargateProfiles, ListInsights
    // depth 3: ListNodegroups p2, 2 DescribeNodegroup; depth 4: 1 DescribeNodegroup
    expect(work.callsByDepth).toEqual([1, 5, 3, 1]);
  });

  it('reads a cluster named on the second ListClusters page one level later', () => {
    const bare = { insights: [] };
    const work = accountRegionWork('a', 'r', [cluster('c1', 0, 0, bare), cluster('c2', 0, 0, bare)], {
      ...OPTIONS,
      pageSize: 1,
    });

    expect(work.callsByDepth).toEqual([1, 1 + 5, 5]);
  });
});

describe('fleetWork', () => {
  const fleet: FleetFile = {
    accounts: [
      {
        id: '200000000001',
        regions: { 'eu-west-1': { clusters: [cluster('a', 2, 2), cluster('b', 1, 0)] } },
      },
      { id: '200000000002', regions: { 'us-east-1': { clusters: [cluster('c', 0, 1)] } } },
      { id: '200000000003', fault: 'ACCESS_DENIED', regions: { 'eu-west-1': { clusters: [cluster('d', 1, 1)] } } },
    ],
  };
  const options = { ...OPTIONS, regions: ['eu-west-1', 'us-east-1'], now: NOW };

  it('counts one AssumeRole per account, every reachable account-region, and catalogs once per region', () => {
    const work = fleetWork(fleet, options);

    expect(work.clusters).toBe(3);
    expect(work.assumeRoleCalls).toBe(3);
    expect(work.targets.map((t) => [t.accountId, t.region, t.calls])).toEqual([
      ['200000000001', 'eu-west-1', 1 + (5 + 4) + (5 + 1)],
      ['200000000001', 'us-east-1', 1],
      ['200000000002', 'eu-west-1', 1],
      ['200000000002', 'us-east-1', 1 + (5 + 1)],
    ]);
    expect(work.catalogCalls).toBe(2 * 2);
    expect(work.minimumCalls).toBe(3 + 4 + 16 + 1 + 1 + 7);
  });

  it('has the naive baseline read the catalogs again in every account-region that holds clusters', () => {
    expect(naiveFleetCalls(fleet, options)).toBe(fleetWork(fleet, options).minimumCalls);
    const twoReaders: FleetFile = {
      accounts: [
        fleet.accounts[0] ?? { id: 'x', regions: {} },
        { id: '200000000004', regions: { 'eu-west-1': { clusters: [cluster('e', 0, 0)] } } },
      ],
    };
    expect(naiveFleetCalls(twoReaders, options) - fleetWork(twoReaders, options).minimumCalls).toBe(2);
  });

  it('counts the naive sample as one AssumeRole, the whole listing, its clusters and the catalogs', () => {
    expect(naiveSampleCalls(fleet, options, { accountId: '200000000001', region: 'eu-west-1', clusters: 1 })).toBe(
      1 + 1 + 9 + 2,
    );
  });
});

describe('catalogCallsPerRegion', () => {
  it('pages the released calendar versions and the add-on catalog', () => {
    const released = BUNDLED_CALENDAR.filter((e) => e.releaseDate === undefined || e.releaseDate <= '2026-11-22');

    expect(catalogCallsPerRegion({ accounts: [] }, { pageSize: 100, now: NOW })).toBe(2);
    expect(catalogCallsPerRegion({ accounts: [] }, { pageSize: 2, now: NOW })).toBe(Math.ceil(released.length / 2) + 3);
  });
});

describe('fleetWork against the real reader', () => {
  it('is exactly the number of calls readFleet makes on a fault-free simulator, pagination included', async () => {
    const fleet = generateFleet({
      accounts: 2,
      regionsPerAccount: 2,
      clustersPerRegion: 3,
      nodegroupsPerCluster: 3,
      addonsPerCluster: 3,
      seed: 9,
    });
    const regions = fleetRegions(fleet);
    const sim = await startSimulator({ fleet, now: () => NOW, pageSize: 2 });
    const connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
    try {
      await readFleet({
        connection,
        accounts: fleet.accounts.map((a) => ({ id: a.id, name: null })),
        regions,
        broker: new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' }),
        tagPrefix: PREFIX,
      });

      expect(sim.stats().calls).toBe(
        fleetWork(fleet, { regions, pageSize: 2, tagPrefix: PREFIX, now: NOW }).minimumCalls,
      );
    } finally {
      closeConnection(connection);
      await sim.close();
    }
  });
});

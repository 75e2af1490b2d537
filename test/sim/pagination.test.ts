import {
  DescribeClusterVersionsCommand,
  ListClustersCommand,
  paginateDescribeClusterVersions,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { NOW, clients, rejection } from './sim-fixtures.ts';

const NAMES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    fleet: {
      accounts: [
        {
          id: '111111111111',
          regions: { 'eu-west-1': { clusters: NAMES.map((name) => ({ name, version: '1.32' })) } },
        },
      ],
    },
    now: () => NOW,
    pageSize: 2,
  });
});
afterAll(async () => sim.close());

describe('pagination', () => {
  it('serves 7 clusters in pages of 2 to the SDK paginator', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListClusters({ client: clients(sim, 'eu-west-1').eks }, {})) {
      pages.push(page.clusters ?? []);
    }
    expect(pages).toEqual([['c1', 'c2'], ['c3', 'c4'], ['c5', 'c6'], ['c7']]);
  });

  it('caps maxResults at the page size', async () => {
    const { clusters, nextToken } = await clients(sim, 'eu-west-1').eks.send(
      new ListClustersCommand({ maxResults: 5 }),
    );
    expect(clusters).toEqual(['c1', 'c2']);
    expect(nextToken).toBeTruthy();
  });

  it('pages DescribeClusterVersions too', async () => {
    const versions: string[] = [];
    for await (const page of paginateDescribeClusterVersions(
      { client: clients(sim, 'eu-west-1').eks },
      { includeAll: true },
    )) {
      versions.push(...(page.clusterVersions ?? []).map((v) => v.clusterVersion ?? ''));
    }
    expect(versions).toHaveLength(12); // 1.23 … 1.34: released by 2026-01-15
    expect(versions[0]).toBe('1.34');
  });

  it.each([
    ['a garbage nextToken', { nextToken: 'garbage' }],
    ['a forged offset', { nextToken: Buffer.from('simpage:-1').toString('base64') }],
    ['maxResults above 100', { maxResults: 101 }],
    ['maxResults 0', { maxResults: 0 }],
  ])('rejects %s with InvalidParameterException', async (_case, request) => {
    const error = await rejection(clients(sim, 'eu-west-1').eks.send(new ListClustersCommand(request)));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('rejects a garbage nextToken on DescribeClusterVersions', async () => {
    const error = await rejection(
      clients(sim, 'eu-west-1').eks.send(new DescribeClusterVersionsCommand({ nextToken: '%%%' })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });
});

/**
 * The inventory reads a cluster's version history (ListUpdates) only when the cluster is opted in exactly as the
 * upgrade decision and the upgrade role's IAM condition read it: `auto-upgrade` = `true`, untrimmed and
 * case-sensitive. A lenient read (`" true"`, `TRUE`) would spend calls on clusters that can never be upgraded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCluster } from '../../functions/adapters/eks-inventory.ts';
import { createLimiter } from '../../functions/shared/limit.ts';
import { startSimulator, type SimCall, type Simulator } from '../../functions/sim/server.ts';
import { MEMBER, NOW, assumeInto, clients } from '../sim/sim-fixtures.ts';

const REGION = 'eu-west-1';
const VALUES: Readonly<Record<string, string>> = {
  exact: 'true',
  padded: ' true',
  upper: 'TRUE',
  off: 'false',
};

let sim: Simulator;
const calls: SimCall[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    fleet: {
      accounts: [
        {
          id: MEMBER,
          regions: {
            [REGION]: {
              clusters: Object.entries(VALUES).map(([name, value]) => ({
                name,
                version: '1.34',
                versionSince: '2026-01-01T00:00:00.000Z',
                tags: { 'fleet-auditor/auto-upgrade': value },
              })),
            },
          },
        },
      ],
    },
    now: () => NOW,
    beforeRequest: (call) => {
      calls.push(call);
    },
  });
});
afterAll(async () => sim.close());

describe('readCluster and the auto-upgrade tag', () => {
  it.each<[string, boolean]>([
    ['exact', true],
    ['padded', false],
    ['upper', false],
    ['off', false],
  ])('reads the version history of %s only when the tag is exactly "true" (%s)', async (name, read) => {
    // Arrange
    const eks = clients(sim, REGION, await assumeInto(sim, MEMBER)).eks;
    calls.length = 0;

    // Act
    const cluster = await readCluster(
      { accountId: MEMBER, region: REGION, eks, limit: createLimiter(4), tagPrefix: 'fleet-auditor/' },
      name,
    );

    // Assert
    const listUpdates = calls.filter((call) => call.operation === 'ListUpdates' && call.params['name'] === name);
    expect(listUpdates.length > 0).toBe(read);
    expect(cluster.versionSince).toBe(read ? '2026-01-01T00:00:00.000Z' : null);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetFileError, loadFleetFile, parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import { sampleFleet } from './sim-fixtures.ts';

const AT = 'accounts[0].regions.eu-west-1.clusters[0]';

function fleetWith(cluster: Record<string, unknown>, account: Record<string, unknown> = {}): unknown {
  return { accounts: [{ id: '222222222222', regions: { 'eu-west-1': { clusters: [cluster] } }, ...account }] };
}

function problem(json: unknown): string {
  try {
    parseFleetFile(json);
  } catch (error) {
    if (error instanceof FleetFileError) return error.message;
    throw error;
  }
  throw new Error('expected a FleetFileError');
}

describe('parseFleetFile', () => {
  it('accepts the minimal fleet of §5.3 and keeps what it says', () => {
    const fleet = parseFleetFile(fleetWith({ name: 'alpha', version: '1.31' }));
    expect(fleet.accounts[0]?.regions['eu-west-1']?.clusters[0]).toEqual({ name: 'alpha', version: '1.31' });
  });

  it('accepts the extensions: hubAccountId, createdAt, versionSince and UPDATE_FAILS on parts', () => {
    const fleet = parseFleetFile({
      hubAccountId: '999999999999',
      accounts: [
        {
          id: '222222222222',
          regions: {
            'eu-west-1': {
              clusters: [
                {
                  name: 'alpha',
                  version: '1.31',
                  createdAt: '2024-10-01T00:00:00Z',
                  versionSince: '2025-01-02T03:04:05.000Z',
                  nodegroups: [{ name: 'ng', version: '1.31', fault: 'UPDATE_FAILS' }],
                  addons: [{ name: 'coredns', version: 'v1.11.3-eksbuild.2', fault: 'UPDATE_FAILS' }],
                },
              ],
            },
          },
        },
      ],
    });
    expect(fleet.hubAccountId).toBe('999999999999');
  });

  it.each([
    [
      'a malformed version',
      fleetWith({ name: 'a', version: '1.3x' }),
      `${AT}.version: "1.3x" is not a version like 1.31`,
    ],
    ['a missing field', fleetWith({ version: '1.31' }), `${AT}.name: is required`],
    [
      'an unknown field',
      fleetWith({ name: 'a', version: '1.31', nodeGroups: [] }),
      `${AT}: unknown field "nodeGroups"`,
    ],
    [
      'a status EKS does not have',
      fleetWith({ name: 'a', version: '1.31', status: 'RUNNING' }),
      `${AT}.status: "RUNNING" is not one of ACTIVE, CREATING, DELETING, FAILED, PENDING, UPDATING`,
    ],
    [
      'a wrong type',
      fleetWith({ name: 'a', version: '1.31', autoMode: 'yes' }),
      `${AT}.autoMode: expected a boolean, got string "yes"`,
    ],
    [
      'a short account id',
      fleetWith({ name: 'a', version: '1.31' }, { id: '12345' }),
      'accounts[0].id: "12345" is not a 12-digit account id',
    ],
    [
      'a region that is not one',
      { accounts: [{ id: '222222222222', regions: { 'EU-West-1': { clusters: [] } } }] },
      'accounts[0].regions.EU-West-1: "EU-West-1" is not a region like eu-west-1',
    ],
    [
      'a node group ahead of its control plane',
      fleetWith({ name: 'a', version: '1.31', nodegroups: [{ name: 'ng', version: '1.32' }] }),
      `${AT}.nodegroups[0].version: 1.32 is ahead of the control plane's 1.31`,
    ],
    [
      'a cluster listed twice',
      {
        accounts: [
          {
            id: '222222222222',
            regions: {
              'eu-west-1': {
                clusters: [
                  { name: 'a', version: '1.31' },
                  { name: 'a', version: '1.32' },
                ],
              },
            },
          },
        ],
      },
      'accounts[0].regions.eu-west-1.clusters[1].name: cluster "a" is listed twice',
    ],
    [
      'a calendar date that is not one',
      {
        calendar: [{ version: '1.31', endOfStandardSupport: '2025-13-01', endOfExtendedSupport: '2026-11-26' }],
        accounts: [],
      },
      'calendar[0].endOfStandardSupport: "2025-13-01" is not a date like 2025-01-31',
    ],
    ['accounts that are not a list', { accounts: {} }, 'accounts: expected an array, got an object'],
    ['a document that is not an object', 42, '(root): expected an object, got number 42'],
  ])('names the JSON path and the problem for %s', (_case, json, expected) => {
    expect(problem(json)).toContain(expected);
  });

  it('reports every problem at once', () => {
    const error = problem(fleetWith({ name: 'a', version: 'x', status: 'RUNNING' }, { id: '1' }));
    expect(error.split('; ')).toHaveLength(3);
  });

  it('accepts its own snapshot, so a later run can start from it', async () => {
    const sim = await startSimulator({ fleet: sampleFleet() });
    try {
      expect(parseFleetFile(JSON.parse(JSON.stringify(sim.snapshot())))).toEqual(sim.snapshot());
    } finally {
      await sim.close();
    }
  });
});

describe('loadFleetFile', () => {
  it('reads and validates a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'fleet.json');
    await writeFile(path, JSON.stringify(sampleFleet()));
    expect((await loadFleetFile(path)).accounts).toHaveLength(3);
  });

  it.each([
    ['a file that is not JSON', '{ "accounts": [', 'not valid JSON'],
    ['an invalid fleet', '{ "accounts": [{ "id": "1", "regions": {} }] }', 'accounts[0].id'],
  ])('names the file and the problem for %s', async (_case, text, expected) => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'bad.json');
    await writeFile(path, text);
    const error = await loadFleetFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetFileError);
    expect((error as FleetFileError).message).toContain(path);
    expect((error as FleetFileError).message).toContain(expected);
  });

  it('names a file that cannot be read', async () => {
    await expect(loadFleetFile('/nonexistent/fleet.json')).rejects.toThrow(
      /\/nonexistent\/fleet\.json: cannot read the file/,
    );
  });
});

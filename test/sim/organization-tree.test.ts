/**
 * The simulated organization's tree (fleet-file `organizationalUnits` and account `parentId`), served through
 * Organizations ListAccountsForParent, ListOrganizationalUnitsForParent and ListChildren to unmodified SDK clients.
 */
import {
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  paginateListAccountsForParent,
  paginateListChildren,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetFileError, ORGANIZATION_ROOT_ID, parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { HUB, MEMBER, NOW, PROD, PROD_EU, SANDBOX, assumeInto, clients, rejection, treeFleet } from './sim-fixtures.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ fleet: treeFleet(), now: () => NOW, pageSize: 1 });
});
afterAll(async () => sim.close());

describe('Organizations ListAccountsForParent', () => {
  it.each([
    [ORGANIZATION_ROOT_ID, [HUB]],
    [PROD, ['400000000001', '400000000002']],
    [PROD_EU, ['400000000003', '400000000004']],
    [SANDBOX, ['400000000005']],
  ])('lists the accounts directly in %s, one per page at page size 1', async (parent, expected) => {
    const pages: string[][] = [];
    for await (const page of paginateListAccountsForParent({ client: clients(sim).orgs }, { ParentId: parent })) {
      pages.push((page.Accounts ?? []).map((a) => a.Id ?? ''));
    }
    expect(pages).toEqual(expected.map((id) => [id]));
  });

  it('describes each account like ListAccounts does', async () => {
    const { Accounts, NextToken } = await clients(sim).orgs.send(new ListAccountsForParentCommand({ ParentId: PROD }));
    expect(Accounts?.[0]).toMatchObject({ Id: '400000000001', Name: 'account-400000000001', State: 'ACTIVE' });
    expect(Accounts?.[0]?.Arn).toMatch(
      new RegExp(`^arn:aws:organizations::${HUB}:account/o-[0-9a-f]{10}/400000000001$`),
    );
    expect(NextToken).toBeTruthy();
  });

  it('answers ParentNotFoundException for an OU the organization does not have', async () => {
    const error = await rejection(
      clients(sim).orgs.send(new ListAccountsForParentCommand({ ParentId: 'ou-a1b2-missing1' })),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ParentNotFoundException', 400]);
  });

  it('answers InvalidInputException for a malformed parent id', async () => {
    const error = await rejection(clients(sim).orgs.send(new ListAccountsForParentCommand({ ParentId: 'prod' })));
    expect(error.name).toBe('InvalidInputException');
  });

  it('refuses a member account with AccessDeniedException', async () => {
    const { orgs } = clients(sim, 'us-east-1', await assumeInto(sim, '400000000001'));
    const error = await rejection(orgs.send(new ListAccountsForParentCommand({ ParentId: PROD })));
    expect(error.name).toBe('AccessDeniedException');
  });
});

describe('Organizations ListOrganizationalUnitsForParent', () => {
  it('pages through the OUs directly under the root', async () => {
    const pages: string[][] = [];
    const input = { ParentId: ORGANIZATION_ROOT_ID };
    for await (const page of paginateListOrganizationalUnitsForParent({ client: clients(sim).orgs }, input)) {
      pages.push((page.OrganizationalUnits ?? []).map((u) => u.Id ?? ''));
    }
    expect(pages).toEqual([[PROD], [SANDBOX]]);
  });

  it('describes a nested OU with its id, ARN and name (the id when the fleet file gives none)', async () => {
    const { orgs } = clients(sim);
    const nested = await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: PROD }));
    const leaf = await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: PROD_EU }));
    const root = await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ORGANIZATION_ROOT_ID }));
    expect(nested.OrganizationalUnits).toEqual([
      {
        Id: PROD_EU,
        Arn: expect.stringMatching(new RegExp(`^arn:aws:organizations::${HUB}:ou/o-[0-9a-f]{10}/${PROD_EU}$`)),
        Name: 'Prod EU',
      },
    ]);
    expect(leaf.OrganizationalUnits).toEqual([]);
    expect(root.OrganizationalUnits?.[0]?.Name).toBe('Prod');
  });
});

describe('Organizations ListChildren', () => {
  it.each([
    ['ACCOUNT', PROD, ['400000000001', '400000000002']],
    ['ORGANIZATIONAL_UNIT', ORGANIZATION_ROOT_ID, [PROD, SANDBOX]],
  ] as const)('lists %s children of %s', async (type, parent, expected) => {
    const ids: string[] = [];
    const input = { ParentId: parent, ChildType: type };
    for await (const page of paginateListChildren({ client: clients(sim).orgs }, input)) {
      for (const child of page.Children ?? []) {
        expect(child.Type).toBe(type);
        ids.push(child.Id ?? '');
      }
    }
    expect(ids).toEqual(expected);
  });

  it('rejects an unknown child type', async () => {
    const error = await rejection(
      clients(sim).orgs.send(new ListChildrenCommand({ ParentId: PROD, ChildType: 'POLICY' as unknown as 'ACCOUNT' })),
    );
    expect(error.name).toBe('InvalidInputException');
  });
});

describe('fleet file organization tree', () => {
  it('puts accounts without parentId in the root and keeps the tree in snapshots', async () => {
    const other = await startSimulator({ fleet: { accounts: [{ id: MEMBER, regions: {} }] }, now: () => NOW });
    try {
      const { Accounts } = await clients(other).orgs.send(
        new ListAccountsForParentCommand({ ParentId: ORGANIZATION_ROOT_ID }),
      );
      expect(Accounts?.map((a) => a.Id)).toEqual([MEMBER]);
    } finally {
      await other.close();
    }
    expect(parseFleetFile(treeFleet())).toEqual(treeFleet());
  });

  it.each([
    [
      'an OU whose parent is not listed',
      { organizationalUnits: [{ id: PROD, parentId: 'ou-a1b2-nowhere1' }], accounts: [] },
      'organizationalUnits[0].parentId: OU ou-a1b2-nowhere1 is not listed in organizationalUnits',
    ],
    [
      'a root other than the simulated one',
      { accounts: [{ id: MEMBER, parentId: 'r-zz99', regions: {} }] },
      `accounts[0].parentId: root r-zz99 does not exist (the simulated organization's root is ${ORGANIZATION_ROOT_ID})`,
    ],
    [
      'an account in an unlisted OU',
      { accounts: [{ id: MEMBER, parentId: PROD, regions: {} }] },
      `accounts[0].parentId: OU ${PROD} is not listed in organizationalUnits`,
    ],
    [
      'an OU listed twice',
      {
        organizationalUnits: [
          { id: PROD, parentId: ORGANIZATION_ROOT_ID },
          { id: PROD, parentId: ORGANIZATION_ROOT_ID },
        ],
        accounts: [],
      },
      `organizationalUnits[1].id: OU ${PROD} is listed twice`,
    ],
    [
      'OUs in a cycle',
      {
        organizationalUnits: [
          { id: PROD, parentId: PROD_EU },
          { id: PROD_EU, parentId: PROD },
        ],
        accounts: [],
      },
      `organizationalUnits[0].parentId: OU ${PROD} is its own ancestor (a cycle)`,
    ],
    [
      'a malformed OU id',
      { organizationalUnits: [{ id: 'ou-prod', parentId: ORGANIZATION_ROOT_ID }], accounts: [] },
      'organizationalUnits[0].id: "ou-prod" is not an OU id like ou-a1b2-aaaa1111',
    ],
    [
      'a malformed parent id',
      { accounts: [{ id: MEMBER, parentId: 'prod', regions: {} }] },
      'accounts[0].parentId: "prod" is not a root id like r-a1b2 or an OU id like ou-a1b2-aaaa1111',
    ],
  ])('rejects %s with a FleetFileError naming it', (_case, fleet, message) => {
    let caught: unknown;
    try {
      parseFleetFile(fleet);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FleetFileError);
    expect((caught as FleetFileError).issues).toContain(message);
  });
});

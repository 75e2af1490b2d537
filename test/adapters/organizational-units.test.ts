/**
 * Which accounts a deployment that targets roots and OUs audits: `listAccountsInOrganizationalUnits` and
 * `discoverMemberAccounts`, against the simulator's organization tree through the real Organizations client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverMemberAccounts,
  listAccountsInOrganizationalUnits,
  parseOrganizationalUnitIds,
} from '../../functions/adapters/accounts.ts';
import { AccessDeniedError, AwsRequestError } from '../../functions/adapters/aws-errors.ts';
import { ORGANIZATION_ROOT_ID } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { HUB, NOW, PROD, PROD_EU, SANDBOX, assumeInto, clients, treeFleet } from '../sim/sim-fixtures.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ fleet: treeFleet(), now: () => NOW, pageSize: 1 });
});
afterAll(async () => sim.close());

const ids = (accounts: readonly { id: string }[]): string[] => accounts.map((a) => a.id);

describe('listAccountsInOrganizationalUnits', () => {
  it.each([
    [
      'an OU with a nested OU: its accounts and the nested ones',
      [PROD],
      ['400000000001', '400000000002', '400000000003', '400000000004'],
    ],
    ['a leaf OU: its own accounts', [PROD_EU], ['400000000003', '400000000004']],
    [
      'two OUs, one inside the other: each account once, sorted',
      [PROD_EU, SANDBOX, PROD],
      ['400000000001', '400000000002', '400000000003', '400000000004', '400000000005'],
    ],
    [
      'the root: every ACTIVE account',
      [ORGANIZATION_ROOT_ID],
      [HUB, '400000000001', '400000000002', '400000000003', '400000000004', '400000000005'],
    ],
  ])('resolves %s', async (_case, parents, expected) => {
    expect(ids(await listAccountsInOrganizationalUnits(clients(sim).orgs, parents))).toEqual(expected);
  });

  it('names the accounts as Organizations does', async () => {
    expect(await listAccountsInOrganizationalUnits(clients(sim).orgs, [SANDBOX])).toEqual([
      { id: '400000000005', name: 'account-400000000005' },
    ]);
  });

  it.each([
    ['an OU', 'ou-a1b2-missing1', 'Organizations ListAccountsForParent ou-a1b2-missing1'],
    ['a root', 'r-zz99', 'Organizations ListOrganizationalUnitsForParent r-zz99'],
  ])('fails with ParentNotFoundException naming %s the organization does not have', async (_case, id, where) => {
    const error = await listAccountsInOrganizationalUnits(clients(sim).orgs, [id]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as AwsRequestError).code).toBe('ParentNotFoundException');
    expect((error as AwsRequestError).message).toContain(where);
  });

  it('refuses a malformed id before calling AWS', async () => {
    await expect(listAccountsInOrganizationalUnits(clients(sim).orgs, ['prod'])).rejects.toThrow(
      'not an organization root (r-…) or OU id (ou-…-…): prod',
    );
  });

  it('translates a denied call into AccessDeniedError (the hub call, not a member AssumeRole)', async () => {
    const { orgs } = clients(sim, 'us-east-1', await assumeInto(sim, '400000000001'));
    await expect(listAccountsInOrganizationalUnits(orgs, [PROD])).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

describe('discoverMemberAccounts', () => {
  it.each([
    [
      'the account list over the OUs',
      { accounts: [{ id: '400000000005', name: null }], organizationalUnits: [PROD] },
      ['400000000005'],
    ],
    [
      'the OUs when no account list is given',
      { accounts: null, organizationalUnits: [PROD_EU] },
      ['400000000003', '400000000004'],
    ],
    [
      'the whole organization when neither is given',
      { accounts: null, organizationalUnits: null },
      [HUB, '400000000001', '400000000002', '400000000003', '400000000004', '400000000005'],
    ],
  ])('takes %s', async (_case, scope, expected) => {
    expect(ids(await discoverMemberAccounts(clients(sim).orgs, scope))).toEqual(expected);
  });
});

describe('parseOrganizationalUnitIds', () => {
  it('accepts roots and OUs, trimmed and de-duplicated', () => {
    expect(parseOrganizationalUnitIds(' r-a1b2, ou-a1b2-prod0001,ou-a1b2-prod0001,')).toEqual([
      'r-a1b2',
      'ou-a1b2-prod0001',
    ]);
  });

  it.each(['ou-prod', 'r-AB12', '123456789012'])('rejects %s', (id) => {
    expect(() => parseOrganizationalUnitIds(id)).toThrow(`not an organization root (r-…) or OU id (ou-…-…): ${id}`);
  });
});

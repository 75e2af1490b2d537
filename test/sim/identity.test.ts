import { ListClustersCommand, paginateListClusters } from '@aws-sdk/client-eks';
import type { EKSClient } from '@aws-sdk/client-eks';
import { ListAccountsCommand, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';
import { DENIED, HUB, MEMBER, NOW, assumeInto, clients, rejection, sampleFleet } from './sim-fixtures.ts';

let sim: Simulator;

async function allClusters(client: EKSClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client }, {})) names.push(...(page.clusters ?? []));
  return names;
}

beforeAll(async () => {
  sim = await startSimulator({ fleet: sampleFleet(), now: () => NOW, pageSize: 2 });
});
afterAll(async () => sim.close());

describe('who the caller is', () => {
  it('maps the hub credentials to the hub account', async () => {
    const identity = await clients(sim).sts.send(new GetCallerIdentityCommand({}));
    expect(sim.hubAccountId).toBe(HUB);
    expect(identity).toMatchObject({ Account: HUB, Arn: `arn:aws:iam::${HUB}:user/fleet-auditor` });
  });

  it('maps assumed credentials to the role account', async () => {
    const identity = await clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER)).sts.send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity).toMatchObject({
      Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/FleetAuditorRead/sim-test`,
    });
    expect(identity.UserId).toMatch(/^AROA[0-9A-F]+:sim-test$/);
  });

  it('lets assumed credentials see only their account clusters', async () => {
    const member = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER)).eks;
    const hub = clients(sim, 'eu-west-1').eks;
    const hubHome = clients(sim, 'us-east-1').eks;
    expect(await allClusters(member)).toEqual(['alpha', 'beta', 'gamma', 'delta', 'busy']);
    expect(await allClusters(hub)).toEqual([]);
    expect(await allClusters(hubHome)).toEqual(['hub-tools']);
  });

  it('rejects an unknown access key like EKS and STS do', async () => {
    const bogus = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' };
    const { eks, sts } = clients(sim, 'eu-west-1', bogus, { maxAttempts: 1 });
    const eksError = await rejection(eks.send(new ListClustersCommand({})));
    const stsError = await rejection(sts.send(new GetCallerIdentityCommand({})));
    expect([eksError.name, eksError.$metadata?.httpStatusCode]).toEqual(['UnrecognizedClientException', 403]);
    expect(stsError.name).toBe('InvalidClientTokenId');
  });
});

describe('AssumeRole', () => {
  it('issues session credentials that expire one hour later', async () => {
    const before = Date.now();
    const { Credentials: c, AssumedRoleUser: user } = await clients(sim).sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/path/Reader`, RoleSessionName: 'audit' }),
    );
    expect(c?.AccessKeyId).toMatch(/^ASIA[0-9A-Z]{16}$/);
    expect(c?.SessionToken).toBeTruthy();
    expect((c?.Expiration?.getTime() ?? 0) - before).toBeGreaterThan(3_590_000);
    expect((c?.Expiration?.getTime() ?? 0) - before).toBeLessThan(3_610_000);
    expect(user?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/Reader/audit`);
  });

  it.each([
    ['an account with fault ACCESS_DENIED', DENIED],
    ['an account not in the fleet', '999999999999'],
  ])('answers AccessDenied for %s', async (_case, accountId) => {
    const roleArn = `arn:aws:iam::${accountId}:role/FleetAuditorRead`;
    const error = await rejection(
      clients(sim).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit' })),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: arn:aws:iam::${HUB}:user/fleet-auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
    expect(error.$metadata?.httpStatusCode).toBe(403);
  });

  it('rejects a malformed role ARN with ValidationError', async () => {
    const error = await rejection(
      clients(sim).sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:role/x', RoleSessionName: 'audit' })),
    );
    expect(error.name).toBe('ValidationError');
  });
});

describe('Organizations ListAccounts', () => {
  it('pages through the fleet accounts for the hub', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListAccounts({ client: clients(sim).orgs }, {})) {
      pages.push((page.Accounts ?? []).map((a) => a.Id ?? ''));
    }
    expect(pages).toEqual([[HUB, MEMBER], [DENIED]]);
  });

  it('describes accounts with ARN, name, e-mail, status and join time', async () => {
    const { Accounts } = await clients(sim).orgs.send(new ListAccountsCommand({}));
    expect(Accounts?.[1]).toMatchObject({ Id: MEMBER, Name: 'workloads', Status: 'ACTIVE' });
    expect(Accounts?.[1]?.Arn).toMatch(new RegExp(`^arn:aws:organizations::${HUB}:account/o-[0-9a-f]{10}/${MEMBER}$`));
    expect(Accounts?.[1]?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('refuses a member account with AccessDeniedException', async () => {
    const { orgs } = clients(sim, 'us-east-1', await assumeInto(sim, MEMBER));
    const error = await rejection(orgs.send(new ListAccountsCommand({})));
    expect(error.name).toBe('AccessDeniedException');
  });
});

describe('hub account', () => {
  it.each([
    ['the fleet file', { hubAccountId: '444444444444', accounts: [] }, undefined, '444444444444'],
    [
      'the options, over the fleet file',
      { hubAccountId: '444444444444', accounts: [] },
      '555555555555',
      '555555555555',
    ],
  ])('is taken from %s', async (_case, fleet, option, expected) => {
    const other = await startSimulator({ fleet, ...(option === undefined ? {} : { hubAccountId: option }) });
    try {
      const identity = await clients(other).sts.send(new GetCallerIdentityCommand({}));
      expect([other.hubAccountId, identity.Account]).toEqual([expected, expected]);
    } finally {
      await other.close();
    }
  });
});

describe('the wire format of errors', () => {
  it('sends restJson1 errors as status, x-amzn-errortype header and {"message"} body', async () => {
    const response = await fetch(`${sim.endpoint}/clusters/nope`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${sim.hubCredentials.accessKeyId}/20260115/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0`,
      },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({ message: 'No cluster found for name: nope.', clusterName: 'nope' });
  });

  it.each([
    ['an unsigned request', '/clusters', {}, 403, 'MissingAuthenticationTokenException'],
    [
      'a path EKS does not have',
      '/no-such-thing',
      {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAX/20260115/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0`,
      },
      404,
      'UnknownOperationException',
    ],
  ])('rejects %s', async (_case, path, headers, status, errorType) => {
    const response = await fetch(`${sim.endpoint}${path}`, { headers });
    expect([response.status, response.headers.get('x-amzn-errortype')]).toEqual([status, errorType]);
  });
});

/**
 * Faults that leave part of the fleet unreadable (issue item 3): an account that denies AssumeRole, a cluster
 * deleted between ListClusters and DescribeCluster, and a region that never answers. The night must complete,
 * record every cluster it could read exactly as a night without the fault, report each failure with its cause,
 * keep every stored record, and send no alert for a cluster it could not read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../functions/sim/index.ts';
import { useNightlyWorld, withAccessDenied } from '../handlers/nightly-fixtures.ts';
import {
  FAULT_FLEET,
  NOW,
  REGIONS,
  arnsWhere,
  clusterArn,
  expectToleratedFault,
  referenceNight,
  seedThenFault,
} from './fault-harness.ts';
import type { Night } from './fault-harness.ts';

const world = useNightlyWorld();
let reference: Night;

/** The account and region of a cluster ARN. */
function whereIs(arn: string): { accountId: string; region: string; name: string } {
  const [, , , region = '', accountId = '', rest = ''] = arn.split(':');
  return { accountId, region, name: rest.replace(/^cluster\//, '') };
}

/** A cluster the reference night alerted, so withholding its alert is observable. */
function alertedCluster(accept: (arn: string) => boolean = () => true): string {
  const arn = [...reference.alerted].sort().find(accept);
  if (arn === undefined) throw new Error('the reference night alerted no cluster that fits this fault');
  return arn;
}

beforeAll(async () => {
  reference = await referenceNight(world);
});

describe('a night where one account denies AssumeRole', () => {
  it('reads the other accounts, keeps the denied account’s clusters stale with the cause, and alerts none of them', async () => {
    const denied = whereIs(alertedCluster()).accountId;
    const unread = arnsWhere((accountId) => accountId === denied);

    const { seed, night } = await seedThenFault(world, { fleet: withAccessDenied(FAULT_FLEET, denied) });

    expect(night.result).toMatchObject({ status: 'PARTIAL', counts: { targetsFailed: REGIONS.length } });
    const failed = night.run?.targets.filter((t) => t.status === 'FAILED') ?? [];
    expect(failed.map((t) => [t.accountId, t.errorCode])).toEqual(REGIONS.map(() => [denied, 'MEMBER_ACCESS_DENIED']));
    expect(failed[0]?.errorMessage).toContain(`arn:aws:iam::${denied}:role/`);
    expectToleratedFault(reference, seed, night, { stale: unread, cause: 'MEMBER_ACCESS_DENIED' });
  });
});

describe('a night where a cluster is deleted between ListClusters and DescribeCluster', () => {
  it('marks it deleted (record kept), reads the rest of its region whole, and does not alert it', async () => {
    const victim = alertedCluster((arn) => reference.stored.get(arn)?.report.upgrade.optedIn === false);
    const { accountId, region, name } = whereIs(victim);
    let sim: Simulator | null = null;

    const { seed, night } = await seedThenFault(
      world,
      {
        sim: {
          beforeRequest: (call) => {
            const target = call.accountId === accountId && call.region === region;
            if (target && call.operation === 'DescribeCluster' && call.params['name'] === name) {
              sim?.removeCluster(accountId, region, name);
            }
          },
        },
      },
      (faulty) => {
        sim = faulty.sim;
      },
    );

    expect(night.result).toMatchObject({ status: 'SUCCEEDED', counts: { targetsFailed: 0 } });
    expect(night.run?.targets.find((t) => t.accountId === accountId && t.region === region)).toMatchObject({
      status: 'OK',
    });
    expect(night.stored.get(clusterArn(accountId, region, name))?.deletedAt).toBe(NOW);
    expectToleratedFault(reference, seed, night, { stale: new Set(), deleted: new Set([victim]) });
  });
});

describe('a night where a region never answers', () => {
  it('times out there, records its account-regions FAILED with the cause, keeps their clusters stale, and alerts none', async () => {
    const hung = whereIs(alertedCluster((arn) => whereIs(arn).region !== 'us-east-1')).region;
    const unread = arnsWhere((_, region) => region === hung);

    const { seed, night } = await seedThenFault(world, {
      sim: { hangRegions: [hung] },
      // Only the hung region's calls time out this fast: a busy machine's answers elsewhere keep the default timeout.
      hungRegionTimeoutMs: 150,
      maxAttempts: 1,
    });

    const accounts = FAULT_FLEET.accounts.map((a) => a.id);
    expect(night.result).toMatchObject({ status: 'PARTIAL', counts: { targetsFailed: accounts.length } });
    expect(
      night.run?.targets.filter((t) => t.status === 'FAILED').map((t) => [t.accountId, t.region, t.errorCode]),
    ).toEqual(accounts.map((accountId) => [accountId, hung, 'ENDPOINT_UNREACHABLE']));
    expectToleratedFault(reference, seed, night, { stale: unread, cause: 'ENDPOINT_UNREACHABLE' });
  });
});

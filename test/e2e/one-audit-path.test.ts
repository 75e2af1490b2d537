/**
 * The CLI and the nightly AuditAccountRegion run the same account-region audit: a cluster whose version the rules cannot
 * parse becomes the same per-cluster CLUSTER_NOT_ASSESSED error in both, and the rest of its account-region is
 * audited all the same.
 */
import '../handlers/quiet-powertools.ts';
import { createAuditAccountRegionHandler, createStartRunHandler } from '../../functions/handlers/nightly-handlers.ts';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../functions/core/report-types.ts';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import type { FleetFile } from '../../functions/sim/index.ts';
import { runCli, writeFleetFile } from '../cli/cli-harness.ts';
import { NOW, SHOP, arn, testFleet, useNightlyWorld, withClusterAdded } from '../handlers/nightly-fixtures.ts';

/** The test fleet with a third cluster in shop-prod/us-east-1 whose version EKS would never send ("01.31"). */
function fleetWithUnparsableVersion(): FleetFile {
  return withClusterAdded(testFleet(), SHOP, 'us-east-1', { name: 'odd', version: '01.31', nodegroups: [] });
}

const world = useNightlyWorld();

describe('one audit path for the CLI and AuditAccountRegion', () => {
  it('turns an unparsable cluster version into the same per-cluster error in both, auditing the rest', async () => {
    const fleet = fleetWithUnparsableVersion();

    const cli = await runCli(NOW, ['audit', '--simulate', writeFleetFile(fleet), '--now', NOW, '--format', 'json']);
    const { deps, store } = await world({ fleet });
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));
    const target = await createAuditAccountRegionHandler(deps)(
      { runId: 'run-1', now: NOW, accountId: SHOP, region: 'us-east-1' },
      localLambdaContext('fleet-auditor-AuditAccountRegion'),
    );

    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as AuditReport;
    const cliError = report.errors.find((error) => error.code === 'CLUSTER_NOT_ASSESSED');
    expect(cliError).toEqual({
      accountId: SHOP,
      region: 'us-east-1',
      code: 'CLUSTER_NOT_ASSESSED',
      message: expect.stringContaining('cluster odd: ') as unknown as string,
    });
    const shopClusters = report.clusters.filter((c) => c.accountId === SHOP && c.region === 'us-east-1');
    expect(shopClusters.map((c) => c.name)).toEqual(['billing', 'web']);

    expect(target).toMatchObject({ accountId: SHOP, region: 'us-east-1', status: 'FAILED', clusters: 2 });
    expect(target.code).toBe('CLUSTER_NOT_ASSESSED');
    const outcome = (await store.getRun('run-1'))?.targets.find((t) => t.accountId === SHOP);
    expect(outcome?.errorCode).toBe('CLUSTER_NOT_ASSESSED');
    expect(outcome?.errorMessage).toBe(`1 of 3 clusters could not be assessed: ${cliError?.message ?? ''}`);
    expect((await store.getCluster(arn(SHOP, 'us-east-1', 'billing')))?.report.severity).toBe('CRITICAL');
    expect((await store.getCluster(arn(SHOP, 'us-east-1', 'web')))?.runId).toBe('run-1');
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'odd'))).toBeNull();
  });
});

describe('the whole-fleet audit', () => {
  it('reports an account it cannot enter with exactly the code and message of the contract', async () => {
    const run = await runCli(NOW, [
      'audit',
      '--simulate',
      'examples/fleet.json',
      '--now',
      '2026-11-22T12:00:00Z',
      '--format',
      'json',
    ]);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.errors).toEqual([
      {
        accountId: '567890123456',
        region: null,
        code: 'MEMBER_ACCESS_DENIED',
        message: 'cannot assume arn:aws:iam::567890123456:role/fleet-auditor-read: access denied',
      },
    ]);
  });
});

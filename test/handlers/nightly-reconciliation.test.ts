/**
 * Every nightly run reconciles the open (RUNNING) upgrade records whose execution is not running, before it
 * dispatches: the nightly state machine executed locally through the real handlers against dynalite, with the
 * executions described by the local runner's records, or by Step Functions' DescribeExecution over HTTP (a loopback
 * server speaking its JSON 1.0 protocol).
 */
import './quiet-powertools.ts';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepFunctionsExecutionReader } from '../../functions/adapters/sfn-execution-reader.ts';
import type { FleetStore, UpgradeRecord } from '../../functions/application/ports/fleet-store.ts';
import type { UpgradeExecutionInput } from '../../functions/core/upgrade-execution.ts';
import { runNightlyLocally } from '../../functions/local/nightly-pipeline.ts';
import { EDGE, NOW, SHOP, arn, useNightlyWorld } from './nightly-fixtures.ts';

const world = useNightlyWorld();
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:fleet-auditor-upgrade-cluster';
const STARTED = '2026-11-21T03:00:00.000Z';

/** An open upgrade of `name` (its lock held by the execution), and the execution's input. */
async function openUpgrade(
  store: FleetStore,
  accountId: string,
  region: string,
  name: string,
  status: UpgradeRecord['status'] = 'RUNNING',
): Promise<UpgradeExecutionInput> {
  const clusterArn = arn(accountId, region, name);
  const input: UpgradeExecutionInput = {
    executionName: `${name}-1-34-20261121-0123456789abcdef`,
    cluster: { accountId, region, name, arn: clusterArn, version: '1.33' },
    targetVersion: '1.34',
    startedAt: STARTED,
  };
  await store.putUpgradeRecord({
    arn: clusterArn,
    executionName: input.executionName,
    startedAt: STARTED,
    fromVersion: '1.33',
    toVersion: '1.34',
    status,
    step: 'NODEGROUPS',
    error: null,
    hops: [],
    updatedAt: STARTED,
    finishedAt: status === 'RUNNING' ? null : STARTED,
  });
  if (status === 'RUNNING') {
    const lock = await store.acquireLock(clusterArn, input.executionName, new Date(NOW), 4 * 3600);
    expect(lock.acquired).toBe(true);
  }
  return input;
}

describe('the nightly run reconciles open upgrades (local runner records)', () => {
  it('closes a RUNNING record whose execution ended, and leaves a running one and a SUCCEEDED one untouched', async () => {
    const { deps, store, notifier } = await world();
    const aborted = await openUpgrade(store, EDGE, 'us-east-1', 'cdn');
    await store.startExecution(aborted.executionName, JSON.stringify(aborted), STARTED);
    await store.finishExecution(aborted.executionName, 'ABORTED', STARTED);
    const running = await openUpgrade(store, SHOP, 'us-east-1', 'web');
    await store.startExecution(running.executionName, JSON.stringify(running), STARTED);
    const done = await openUpgrade(store, SHOP, 'us-east-1', 'billing', 'SUCCEEDED');
    const doneBefore = await store.listUpgradeRecords(done.cluster.arn);

    const { execution, result } = await runNightlyLocally({ deps, input: { now: NOW } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(result?.dispatch.reconciled).toBe(1);
    expect((await store.listUpgradeRecords(aborted.cluster.arn))[0]).toMatchObject({
      status: 'FAILED',
      error: { code: 'EXECUTION_ABORTED' },
      finishedAt: NOW,
    });
    expect(await store.getLock(aborted.cluster.arn)).toBeNull();
    expect(notifier.subjects('UPGRADE_FAILED')).toEqual(['EKS cdn upgrade 1.33 to 1.34 FAILED']);
    expect((await store.listUpgradeRecords(running.cluster.arn))[0]?.status).toBe('RUNNING');
    expect(await store.getLock(running.cluster.arn)).not.toBeNull();
    expect(await store.listUpgradeRecords(done.cluster.arn)).toEqual(doneBefore);
    expect((await store.listRunningUpgrades()).map((r) => r.executionName)).toEqual([running.executionName]);
  });
});

describe('the nightly run reconciles open upgrades (Step Functions DescribeExecution)', () => {
  /** Execution name → status the fake service answers; absent → ExecutionDoesNotExist. */
  const statuses = new Map<string, string>();
  const asked: string[] = [];
  let server: Server;
  let sfn: SFNClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target']);
        const { executionArn } = JSON.parse(body) as { executionArn: string };
        asked.push(`${target} ${executionArn}`);
        const name = executionArn.split(':').at(-1) ?? '';
        const status = statuses.get(name);
        if (status === undefined) {
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-errortype': 'ExecutionDoesNotExist',
          });
          res.end(
            JSON.stringify({ __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${executionArn}'` }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            executionArn,
            stateMachineArn: MACHINE,
            name,
            status,
            startDate: Date.parse(STARTED) / 1000,
            ...(status === 'TIMED_OUT' ? { error: 'States.Timeout', cause: 'the execution timed out' } : {}),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    sfn = new SFNClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    sfn.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('closes the record of a TIMED_OUT execution (named error and cause), leaves one Step Functions does not know', async () => {
    const { deps, store, notifier } = await world();
    const timedOut = await openUpgrade(store, EDGE, 'us-east-1', 'cdn');
    statuses.set(timedOut.executionName, 'TIMED_OUT');
    const unknown = await openUpgrade(store, SHOP, 'us-east-1', 'web');
    const reader = new StepFunctionsExecutionReader(sfn, MACHINE);

    const { result } = await runNightlyLocally({ deps: { ...deps, upgradeExecutions: reader }, input: { now: NOW } });

    expect(result?.dispatch.reconciled).toBe(1);
    const [closed] = await store.listUpgradeRecords(timedOut.cluster.arn);
    expect(closed).toMatchObject({ status: 'FAILED', error: { code: 'EXECUTION_TIMED_OUT' } });
    expect(closed?.error?.message).toContain('States.Timeout: the execution timed out');
    expect(notifier.subjects('UPGRADE_FAILED')).toEqual(['EKS cdn upgrade 1.33 to 1.34 FAILED']);
    expect((await store.listUpgradeRecords(unknown.cluster.arn))[0]?.status).toBe('RUNNING');
    expect(asked).toContain(
      `AWSStepFunctions.DescribeExecution ${MACHINE.replace(':stateMachine:', ':execution:')}:${timedOut.executionName}`,
    );
  });
});

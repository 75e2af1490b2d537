/**
 * The upgrade dispatcher after a nightly audit: one execution per eligible cluster under its deterministic name,
 * duplicates refused, the fleet-wide cap respected, starts announced. Executions run locally (the real definition and
 * task handlers against the simulator); the Step Functions starter is checked against a loopback stand-in of the
 * Step Functions API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { recommendedAddonVersion } from '../../functions/core/addons.ts';
import { upgradeExecutionName } from '../../functions/core/upgrade-execution.ts';
import { dispatchUpgrades } from '../../functions/application/upgrade/start-upgrades.ts';
import { LocalUpgradeStarter } from '../../functions/adapters/local-upgrade-starter.ts';
import { StepFunctionsUpgradeStarter } from '../../functions/adapters/sfn-upgrade-starter.ts';
import { DEFAULT_ADDON_CATALOG } from '../../functions/sim/defaults.ts';
import { cluster133, fleetOf, useUpgradeWorlds, type UpgradeWorld } from './upgrade-fixtures.ts';

const newWorld = useUpgradeWorlds();

async function nightlyRound(world: UpgradeWorld, starter: LocalUpgradeStarter, maxConcurrent = 5) {
  const report = await world.audit();
  const result = await dispatchUpgrades({
    reports: report.clusters,
    store: world.store,
    starter,
    maxConcurrent,
    now: world.clock.now(),
    notifier: world.notifier,
  });
  return { report, result };
}

describe('dispatchUpgrades', () => {
  it('upgrades an opted-in 1.33 cluster to its 1.35 target, and the next night starts nothing for it', async () => {
    // Arrange
    const world = await newWorld(fleetOf(cluster133(), { name: 'manual', version: '1.33' }));
    const starter = new LocalUpgradeStarter({ deps: world.deps });

    // Act
    const first = await nightlyRound(world, starter);
    const second = await nightlyRound(world, starter);

    // Assert: the first night upgraded it whole
    const sandbox = first.report.clusters.find((c) => c.name === 'dev-sandbox');
    expect(first.result.entries.map((e) => [e.name, e.code, e.outcome?.status ?? null])).toEqual([
      ['dev-sandbox', 'STARTED', 'SUCCEEDED'],
      ['manual', 'NOT_ELIGIBLE', null],
    ]);
    expect(first.result.entries[0]?.executionName).toBe(
      upgradeExecutionName(sandbox!, '1.35', new Date(first.report.now)),
    );
    const after = world.simCluster('dev-sandbox');
    expect(after.version).toBe('1.35');
    expect(after.nodegroups?.map((ng) => ng.version)).toEqual(['1.35']);
    expect(after.addons?.map((a) => a.version)).toEqual(
      (after.addons ?? []).map((a) => recommendedAddonVersion(a.name, '1.35', DEFAULT_ADDON_CATALOG)),
    );
    expect(world.simCluster('manual').version).toBe('1.33');
    // …and the second night started nothing for it
    expect(second.result.started).toBe(0);
    expect(second.result.entries.find((e) => e.name === 'dev-sandbox')).toMatchObject({
      code: 'NOT_ELIGIBLE',
      reason: 'blocked: AT_TARGET',
    });
    expect(world.notifier.types()).toEqual(['UPGRADE_STARTED', 'UPGRADE_SUCCEEDED']);
    expect(world.notifier.messages[0]?.event.detail).toMatchObject({ fromVersion: '1.33', toVersion: '1.35' });
    expect(await world.store.listUpgradeRecords(sandbox!.arn)).toHaveLength(1);
  });

  it('refuses a second start of the same upgrade on the same day', async () => {
    const world = await newWorld(fleetOf(cluster133({ fault: 'UPDATE_FAILS' })));
    const starter = new LocalUpgradeStarter({ deps: world.deps });
    const report = await world.audit();
    // No hold after the failure: the refusal tested here is Step Functions' own, by execution name.
    const dispatch = () =>
      dispatchUpgrades({
        reports: report.clusters,
        store: world.store,
        starter: new LocalUpgradeStarter({ deps: world.deps }),
        maxConcurrent: 5,
        now: world.clock.now(),
        notifier: world.notifier,
        failureHoldDays: 0,
      });

    const first = await dispatchUpgrades({
      reports: report.clusters,
      store: world.store,
      starter,
      maxConcurrent: 5,
      now: world.clock.now(),
      notifier: world.notifier,
    });
    const again = await dispatch();

    expect(first.entries[0]).toMatchObject({
      code: 'STARTED',
      outcome: { status: 'FAILED', error: 'UpdateFailedError' },
    });
    expect(again.entries[0]).toMatchObject({ code: 'ALREADY_STARTED', executionName: first.entries[0]?.executionName });
    expect(world.notifier.types()).toEqual(['UPGRADE_STARTED', 'UPGRADE_FAILED']);
  });

  it('holds back a cluster whose upgrade failed, naming the step, error and day, then tries again after 7 days', async () => {
    // Arrange
    const world = await newWorld(fleetOf(cluster133({ fault: 'UPDATE_FAILS' })));
    const starter = new LocalUpgradeStarter({ deps: world.deps });
    const first = await nightlyRound(world, starter);

    // Act: the next night, then a week after the failure
    world.clock.jumpTo(new Date('2026-11-23T10:00:00.000Z'));
    const next = await nightlyRound(world, starter);
    world.clock.jumpTo(new Date('2026-11-29T11:00:00.000Z'));
    const week = await nightlyRound(world, starter);

    // Assert
    expect(first.result.entries[0]).toMatchObject({ code: 'STARTED', outcome: { status: 'FAILED' } });
    expect(next.report.clusters[0]?.upgrade.eligible).toBe(true);
    expect(next.result.entries).toEqual([
      expect.objectContaining({
        name: 'dev-sandbox',
        code: 'HELD_AFTER_FAILURE',
        fromVersion: '1.33',
        target: '1.35',
        executionName: null,
        reason: expect.stringMatching(
          /^the upgrade 1\.33 → 1\.35 failed at CONTROL_PLANE on 2026-11-22 \(UpdateFailedError: .*ended Failed.*\); not retried until the cluster's version changes .* or 2026-11-29T10:\d\d:\d\d\.\d{3}Z, 7 days after the failure$/,
        ),
      }),
    ]);
    expect(next.result.started).toBe(0);
    expect(week.result.entries.map((e) => [e.code, e.outcome?.status])).toEqual([['STARTED', 'FAILED']]);
    expect(world.notifier.types()).toEqual(['UPGRADE_STARTED', 'UPGRADE_FAILED', 'UPGRADE_STARTED', 'UPGRADE_FAILED']);
  });

  it('keeps holding a cluster that the failed upgrade left a minor up (its control plane moved before the failure)', async () => {
    // Arrange: coredns cannot be updated; the control plane moves to 1.34 first
    const cluster = cluster133();
    const addons = (cluster.addons ?? []).map((a) =>
      a.name === 'coredns' ? { ...a, fault: 'UPDATE_FAILS' as const } : a,
    );
    const world = await newWorld(fleetOf({ ...cluster, addons }));
    const starter = new LocalUpgradeStarter({ deps: world.deps });
    await nightlyRound(world, starter);

    // Act
    world.clock.jumpTo(new Date('2026-11-23T10:00:00.000Z'));
    const next = await nightlyRound(world, starter);

    // Assert: it runs 1.34 now, a version the failed upgrade left it at
    expect(next.report.clusters[0]).toMatchObject({ version: '1.34', upgrade: { eligible: true } });
    expect(next.result.entries[0]).toMatchObject({ code: 'HELD_AFTER_FAILURE', fromVersion: '1.34' });
    expect(next.result.entries[0]?.reason).toContain('failed at ADDONS on 2026-11-22');
  });

  it('respects the fleet-wide cap, counting upgrades already running', async () => {
    // Arrange: three eligible clusters, one other cluster's upgrade running (its lock held), a cap of 2
    const world = await newWorld(
      fleetOf(cluster133({ name: 'a' }), cluster133({ name: 'b' }), cluster133({ name: 'c' }), {
        name: 'busy',
        version: '1.34',
      }),
    );
    const report = await world.audit();
    for (const cluster of report.clusters) await world.store.saveClusterAudit(cluster, 'run-1', report.now);
    const busy = report.clusters.find((c) => c.name === 'busy');
    await world.store.acquireLock(busy!.arn, 'busy-upgrade', world.clock.now(), 3600);

    // Act
    const result = await dispatchUpgrades({
      reports: report.clusters,
      store: world.store,
      starter: new LocalUpgradeStarter({ deps: world.deps }),
      maxConcurrent: 2,
      now: world.clock.now(),
      notifier: world.notifier,
    });

    // Assert
    expect(result.running).toBe(1);
    expect(result.entries.map((e) => [e.name, e.code])).toEqual([
      ['a', 'STARTED'],
      ['b', 'CAP_REACHED'],
      ['c', 'CAP_REACHED'],
      ['busy', 'NOT_ELIGIBLE'],
    ]);
    expect(result.entries[1]?.reason).toContain('cap of 2 concurrent upgrades');
    expect(world.simCluster('b').version).toBe('1.33');
  });
});

/** A loopback stand-in for the Step Functions API: StartExecution, remembering names; AccessDenied for "denied-…". */
class FakeStepFunctions {
  readonly names = new Set<string>();
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; stateMachineArn: string };
        const reply = (status: number, payload: object): void => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(payload));
        };
        if (body.name.startsWith('denied-')) {
          reply(400, { __type: 'com.amazon.coral.service#AccessDeniedException', message: 'not allowed' });
        } else if (this.names.has(body.name)) {
          reply(400, { __type: 'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists', message: 'exists' });
        } else {
          this.names.add(body.name);
          const arn = `${body.stateMachineArn.replace(':stateMachine:', ':execution:')}:${body.name}`;
          reply(200, { executionArn: arn, startDate: 1_795_000_000 });
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('StepFunctionsUpgradeStarter', () => {
  const fake = new FakeStepFunctions();
  afterEach(async () => {
    await fake.close();
  });

  const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:fleet-auditor-upgrade';
  const input = (executionName: string) => ({
    executionName,
    cluster: {
      accountId: '222222222222',
      region: 'eu-west-1',
      name: 'dev-sandbox',
      arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/dev-sandbox',
      version: '1.33',
    },
    targetVersion: '1.35',
    startedAt: '2026-11-22T02:00:00.000Z',
  });

  it('starts an execution, and calls a second start of the same name ALREADY_STARTED', async () => {
    const endpoint = await fake.start();
    const sfn = new SFNClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const starter = new StepFunctionsUpgradeStarter(sfn, STATE_MACHINE);

    const first = await starter.start(input('dev-sandbox-1-35-20261122-cf5e6472'));
    const second = await starter.start(input('dev-sandbox-1-35-20261122-cf5e6472'));

    expect(first).toMatchObject({
      code: 'STARTED',
      executionArn:
        'arn:aws:states:eu-west-1:111111111111:execution:fleet-auditor-upgrade:dev-sandbox-1-35-20261122-cf5e6472',
      completion: null,
    });
    expect(second).toMatchObject({ code: 'ALREADY_STARTED', executionArn: first.executionArn });
  });

  it('lets the dispatcher go on when one start fails, reporting it as START_FAILED', async () => {
    const endpoint = await fake.start();
    const sfn = new SFNClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const world = await newWorld(fleetOf(cluster133({ name: 'denied-x' }), cluster133({ name: 'ok' })));
    const report = await world.audit();

    const result = await dispatchUpgrades({
      reports: report.clusters,
      store: world.store,
      starter: new StepFunctionsUpgradeStarter(sfn, STATE_MACHINE),
      maxConcurrent: 5,
      now: world.clock.now(),
      notifier: world.notifier,
    });

    expect(result.entries.map((e) => [e.name, e.code])).toEqual([
      ['denied-x', 'START_FAILED'],
      ['ok', 'STARTED'],
    ]);
    expect(result.entries[0]?.reason).toMatch(/^AccessDeniedError: /);
    expect(world.notifier.messages.map((m) => [m.event.type, m.event.cluster?.name])).toEqual([
      ['UPGRADE_STARTED', 'ok'],
    ]);
  });

  it('raises other failures as named errors', async () => {
    const endpoint = await fake.start();
    const sfn = new SFNClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });

    await expect(new StepFunctionsUpgradeStarter(sfn, STATE_MACHINE).start(input('denied-x'))).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });
});

/**
 * Shared arrangements of the upgrade workflow tests: a local DynamoDB per test file, and per test a simulated fleet
 * on a clock the test can move, the real upgrade task deps wired to both, and a notifier that keeps what it was
 * given. Everything is the product's own code; only the clock and the notifier are test implementations of ports.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CredentialBroker } from '../../functions/adapters/accounts.ts';
import { closeConnection, createConnection, stsClient } from '../../functions/adapters/aws-clients.ts';
import type { AwsConnection } from '../../functions/adapters/aws-clients.ts';
import { readFleet } from '../../functions/adapters/fleet-reader.ts';
import type { Notifier } from '../../functions/application/ports/notifier.ts';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import type { FleetStore } from '../../functions/application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { buildAuditReport } from '../../functions/core/audit-report.ts';
import type { OutgoingMessage } from '../../functions/core/messages.ts';
import { READ_ROLE_NAME } from '../../functions/core/naming.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';
import { upgradeExecutionName, type UpgradeExecutionInput } from '../../functions/core/upgrade-execution.ts';
import { createUpgradeTaskDeps } from '../../functions/handlers/upgrade/aws-deps.ts';
import type { UpgradeTaskDeps } from '../../functions/application/upgrade/upgrade-deps.ts';
import type { FleetCluster, FleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator, type SimCall, type Simulator } from '../../functions/sim/server.ts';
import { withOptedInSubresources } from '../fixtures/opted-in-subresources.ts';

export const ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';

/** A Sunday: in the bundled calendar 1.33–1.36 are in standard support and 1.36 is the newest. */
export const START = new Date('2026-11-22T10:00:00.000Z');

/** The opt-in tags of a cluster that wants 1.35. */
export const OPTED_IN: Readonly<Record<string, string>> = {
  'fleet-auditor/auto-upgrade': 'true',
  'fleet-auditor/target-version': '1.35',
};

/** A 1.33 cluster opted in for 1.35, one node group, add-ons that need moving (vpc-cni two minors behind). */
export function cluster133(overrides: Partial<FleetCluster> = {}): FleetCluster {
  return {
    name: 'dev-sandbox',
    version: '1.33',
    tags: { ...OPTED_IN },
    nodegroups: [{ name: 'default', version: '1.33' }],
    addons: [
      { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' },
      { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
      { name: 'kube-proxy', version: 'v1.33.3-eksbuild.2' },
    ],
    ...overrides,
  };
}

/**
 * A fleet of the given clusters in ACCOUNT / REGION (default add-on catalog and calendar); the node groups and add-ons
 * of opted-in clusters carry the opt-in tag unless a test gives them their own.
 */
export function fleetOf(...clusters: FleetCluster[]): FleetFile {
  const tagged = clusters.map(withOptedInSubresources);
  return { accounts: [{ id: ACCOUNT, name: 'workloads', regions: { [REGION]: { clusters: tagged } } }] };
}

/** A notifier that keeps every message, in order. */
export class CapturingNotifier implements Notifier {
  readonly messages: OutgoingMessage[] = [];

  publish(message: OutgoingMessage): Promise<void> {
    this.messages.push(message);
    return Promise.resolve();
  }

  /** The event types published, in order. */
  types(): string[] {
    return this.messages.map((m) => m.event.type);
  }
}

/** A simulated clock: starts at START, advances with real time, and can be moved forward by a test. */
export class TestClock {
  private readonly origin = Date.now();
  private offsetMs = 0;

  constructor(private readonly start: Date = START) {}

  readonly now = (): Date => new Date(this.start.getTime() + (Date.now() - this.origin) + this.offsetMs);

  /** Jumps the clock to `instant` (never backwards). */
  jumpTo(instant: Date): void {
    this.offsetMs += Math.max(0, instant.getTime() - this.now().getTime());
  }
}

/** One test's world: the simulator, the store, the deps of the upgrade tasks, the captured messages. */
export interface UpgradeWorld {
  readonly sim: Simulator;
  readonly store: FleetStore;
  readonly deps: UpgradeTaskDeps;
  readonly notifier: CapturingNotifier;
  readonly clock: TestClock;
  readonly connection: AwsConnection;
  /** Audits the fleet as the nightly does (read role) and returns the report. */
  audit(): Promise<AuditReport>;
  /** The execution input the dispatcher would build for `report`. */
  executionInput(report: ClusterReport): UpgradeExecutionInput;
  /** The simulated cluster as the fleet file now describes it. */
  simCluster(name: string): FleetCluster;
}

/** Options of a world. */
export interface WorldOptions {
  readonly updateDurationMs?: number;
  readonly beforeRequest?: (call: SimCall, world: { clock: TestClock }) => void | Promise<void>;
  readonly clock?: TestClock;
  /**
   * The bake of clusters without a `bake` tag (default 0: these tests are about the one-run hop; the bake tests tag
   * their clusters, or set the product's 24h default).
   */
  readonly defaultBakeMs?: number;
}

/**
 * Starts a local DynamoDB for the file; returns a function that builds a fresh world (own table, own simulator)
 * for one test, closed after it.
 */
export function useUpgradeWorlds(): (fleet: FleetFile, options?: WorldOptions) => Promise<UpgradeWorld> {
  let local: LocalDynamo;
  let tables = 0;
  const open: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
  });
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });
  afterAll(async () => {
    await local.close();
  });

  return async (fleet, options = {}) => {
    tables += 1;
    const tableName = `upgrade-test-${tables}`;
    await ensureTable(local.client, tableName);
    const store = new DynamoFleetStore({ client: local.client, tableName });
    const clock = options.clock ?? new TestClock();
    const sim = await startSimulator({
      fleet,
      now: clock.now,
      updateDurationMs: options.updateDurationMs ?? 20,
      ...(options.beforeRequest === undefined
        ? {}
        : { beforeRequest: (call: SimCall) => options.beforeRequest?.(call, { clock }) }),
    });
    const connection = createConnection({
      endpoint: sim.endpoint,
      credentials: sim.hubCredentials,
      maxAttempts: 2,
    });
    open.push(async () => {
      closeConnection(connection);
      await sim.close();
    });
    const notifier = new CapturingNotifier();
    const deps = createUpgradeTaskDeps({
      connection,
      store,
      notifier,
      clock: clock.now,
      defaultBakeMs: options.defaultBakeMs ?? 0,
    });
    const readBroker = new CredentialBroker({ sts: stsClient(connection), roleName: READ_ROLE_NAME });
    return {
      sim,
      store,
      deps,
      notifier,
      clock,
      connection,
      audit: async () => {
        const read = await readFleet({
          connection,
          accounts: fleet.accounts.map((account) => ({ id: account.id, name: account.name ?? null })),
          regions: [...new Set(fleet.accounts.flatMap((account) => Object.keys(account.regions)))],
          broker: readBroker,
          tagPrefix: 'fleet-auditor/',
        });
        const now = clock.now();
        return buildAuditReport({
          regions: read.targets.flatMap((t) =>
            t.inventory === null || t.catalog === null
              ? []
              : [{ clusters: t.inventory.clusters, calendar: t.catalog.calendar, catalog: t.catalog.catalog }],
          ),
          errors: read.errors,
          now,
        });
      },
      executionInput: (report) => ({
        executionName: upgradeExecutionName(report, report.upgrade.target ?? report.version, clock.now()),
        cluster: {
          accountId: report.accountId,
          region: report.region,
          name: report.name,
          arn: report.arn,
          version: report.version,
        },
        targetVersion: report.upgrade.target ?? report.version,
        startedAt: clock.now().toISOString(),
      }),
      simCluster: (name) => {
        const found = sim
          .snapshot()
          .accounts.flatMap((account) => Object.values(account.regions).flatMap((region) => region.clusters))
          .find((c) => c.name === name);
        if (found === undefined) throw new Error(`no simulated cluster ${name}`);
        return found;
      },
    };
  };
}

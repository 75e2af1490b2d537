/**
 * Shared arrangements of the nightly handler tests: a small fleet whose deadlines were worked out by hand, a local
 * DynamoDB (one per test file, a fresh table per test), a simulator serving the fleet, and an in-process SNS
 * capture — the only thing these tests do not run for real.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CredentialBroker, listOrganizationAccounts } from '../../functions/adapters/accounts.ts';
import {
  closeConnection,
  createConnection,
  organizationsClient,
  stsClient,
} from '../../functions/adapters/aws-clients.ts';
import type { AwsConnection } from '../../functions/adapters/aws-clients.ts';
import type { Notifier } from '../../functions/application/ports/notifier.ts';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import { LocalExecutionReader } from '../../functions/adapters/local-execution-reader.ts';
import type { FleetStore } from '../../functions/application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import type { OutgoingMessage } from '../../functions/core/messages.ts';
import { nightlyAccountRegionReaders } from '../../functions/adapters/account-region-reader.ts';
import type { NightlyDeps } from '../../functions/application/nightly/nightly-deps.ts';
import { startSimulator } from '../../functions/sim/index.ts';
import type { FleetFile, Simulator, SimulatorOptions } from '../../functions/sim/index.ts';
import { fastRetries } from '../adapters/fast-retries.ts';
import { shortTimeoutIn } from '../adapters/hung-regions.ts';
import { fleetWithOptedInSubresources } from '../fixtures/opted-in-subresources.ts';

/** Sunday 2026-11-22 12:00 UTC. */
export const NOW = '2026-11-22T12:00:00.000Z';
/** Three days later: billing is 1 day from its deadline, web 7. */
export const LATER = '2026-11-25T12:00:00.000Z';

export const SHOP = '222222222222';
export const EDGE = '444444444444';

export const arn = (accountId: string, region: string, name: string): string =>
  `arn:aws:eks:${region}:${accountId}:cluster/${name}`;

/**
 * At NOW: billing (1.31, EXTENDED) is 4 days from its automatic upgrade on 2026-11-26 (threshold 7); web (1.34,
 * STANDARD, opted in, wave 1) is 10 days from 2026-12-02 (threshold 14); old (1.29) passed its deadline on
 * 2026-03-23 (threshold 0); cdn (1.33, opted in, wave 0) is 249 days from 2027-07-29 (no threshold) and eligible
 * for an upgrade to 1.34.
 */
export function testFleet(): FleetFile {
  return fleetWithOptedInSubresources({
    accounts: [
      {
        id: SHOP,
        name: 'shop-prod',
        regions: {
          'us-east-1': {
            clusters: [
              {
                name: 'billing',
                version: '1.31',
                nodegroups: [{ name: 'ng1', version: '1.31' }],
                addons: [{ name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' }],
              },
              {
                name: 'web',
                version: '1.34',
                supportType: 'STANDARD',
                tags: {
                  'fleet-auditor/auto-upgrade': 'true',
                  'fleet-auditor/wave': '1',
                  'fleet-auditor/target-version': '1.35',
                  // The one-run hop: the bake over several nights is test/e2e/plan-b-nights.test.ts.
                  'fleet-auditor/bake': '0',
                },
                nodegroups: [{ name: 'ng', version: '1.34' }],
                versionSince: '2026-10-01T00:00:00Z',
              },
            ],
          },
          'eu-west-1': { clusters: [{ name: 'old', version: '1.29' }] },
        },
      },
      {
        id: EDGE,
        name: 'edge',
        regions: {
          'us-east-1': {
            clusters: [
              {
                name: 'cdn',
                version: '1.33',
                tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/wave': '0', 'fleet-auditor/bake': '0' },
                nodegroups: [{ name: 'ng', version: '1.33' }],
                versionSince: '2026-08-01T00:00:00Z',
              },
            ],
          },
        },
      },
    ],
  });
}

/** The fleet with one account denying AssumeRole. */
export function withAccessDenied(fleet: FleetFile, accountId: string): FleetFile {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) =>
      account.id === accountId ? { ...account, fault: 'ACCESS_DENIED' as const } : account,
    ),
  };
}

/** The fleet with `cluster` added to the clusters of `accountId` in `region`. */
export function withClusterAdded(
  fleet: FleetFile,
  accountId: string,
  region: string,
  cluster: FleetFile['accounts'][number]['regions'][string]['clusters'][number],
): FleetFile {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) =>
      account.id !== accountId
        ? account
        : {
            ...account,
            regions: {
              ...account.regions,
              [region]: { clusters: [...(account.regions[region]?.clusters ?? []), cluster] },
            },
          },
    ),
  };
}

/** SNS captured in-process: keeps every message; `failWhen` makes matching publishes fail as SNS would. */
export class MemoryNotifier implements Notifier {
  readonly messages: OutgoingMessage[] = [];
  failWhen: ((message: OutgoingMessage) => boolean) | null = null;

  async publish(message: OutgoingMessage): Promise<void> {
    if (this.failWhen?.(message) === true) {
      const error = new Error('SNS Publish: service unavailable');
      error.name = 'EndpointUnreachableError';
      throw error;
    }
    this.messages.push(message);
  }

  subjects(type?: OutgoingMessage['attributes']['type']): string[] {
    return this.messages.filter((m) => type === undefined || m.attributes.type === type).map((m) => m.subject);
  }
}

/** One test's pipeline: a fresh table, a simulator for its fleet, and the deps the handlers get. */
export interface NightlyWorld {
  readonly deps: NightlyDeps;
  /** The local DynamoDB's document client (to point a second store at another table). */
  readonly dynamo: DynamoDBDocumentClient;
  readonly store: FleetStore;
  readonly notifier: MemoryNotifier;
  readonly sim: Simulator;
  readonly connection: AwsConnection;
  /** The table this world's store writes to. */
  readonly tableName: string;
}

/** Options of a world. */
export interface WorldOptions {
  readonly fleet?: FleetFile;
  /** The simulator's clock (default NOW). */
  readonly now?: string;
  readonly sim?: Partial<SimulatorOptions>;
  readonly requestTimeoutMs?: number;
  /**
   * Request timeout of calls to the simulator's `hangRegions` only (every other call keeps `requestTimeoutMs`), so a
   * hung region fails fast while a loaded machine's slow answers elsewhere still count.
   */
  readonly hungRegionTimeoutMs?: number;
  readonly maxAttempts?: number;
  /** Reuse another world's table (a second pipeline on the same store). */
  readonly store?: FleetStore;
}

/**
 * Starts a local DynamoDB for the test file; returns a function that builds a world per call and tears the
 * simulators and connections down after each test.
 */
export function useNightlyWorld(): (options?: WorldOptions) => Promise<NightlyWorld> {
  let local: LocalDynamo;
  let tables = 0;
  const tableNames = new WeakMap<FleetStore, string>();
  const open: { sim: Simulator; connection: AwsConnection }[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
  });
  afterEach(async () => {
    for (const { sim, connection } of open.splice(0)) {
      closeConnection(connection);
      await sim.close();
    }
  });
  afterAll(async () => {
    await local.close();
  });

  return async (options = {}) => {
    let store = options.store;
    if (store === undefined) {
      tables += 1;
      const tableName = `nightly-${tables}`;
      await ensureTable(local.client, tableName);
      store = new DynamoFleetStore({ client: local.client, tableName });
      tableNames.set(store, tableName);
    }
    const tableName = tableNames.get(store) ?? '';
    const now = new Date(options.now ?? NOW);
    const sim = await startSimulator({ fleet: options.fleet ?? testFleet(), now: () => now, ...options.sim });
    const created = createConnection({
      endpoint: sim.endpoint,
      credentials: sim.hubCredentials,
      // The SDK's retries with millisecond back-offs: the faults are retried as in AWS, without waiting seconds.
      retryStrategy: fastRetries,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
    const connection =
      options.hungRegionTimeoutMs === undefined
        ? created
        : shortTimeoutIn(created, options.sim?.hangRegions ?? [], options.hungRegionTimeoutMs);
    open.push({ sim, connection });
    const notifier = new MemoryNotifier();
    const deps: NightlyDeps = {
      store,
      notifier,
      readerForRun: nightlyAccountRegionReaders({
        connection: connection,
        broker: new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' }),
        tagPrefix: 'fleet-auditor/',
      }),
      discoverAccounts: () => listOrganizationAccounts(organizationsClient(connection)),
      regions: ['eu-west-1', 'us-east-1'],
      tagPrefix: 'fleet-auditor/',
      soakDays: 7,
      clock: () => now,
      // Audit only: these tests are about the audit, alerts and digest; upgrades have their own tests.
      upgradeStarter: { start: () => Promise.reject(new Error('no upgrade may start in this test')) },
      maxConcurrentUpgrades: 0,
      upgradeExecutions: new LocalExecutionReader(store),
    };
    return { deps, dynamo: local.client, store, notifier, sim, connection, tableName };
  };
}

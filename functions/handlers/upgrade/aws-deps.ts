/**
 * Builds the upgrade tasks' deps, once per Lambda cold start (or once per local run): a credential broker for the
 * upgrade role, one EKS and CloudWatch client per account-region and session, region catalogs cached for an hour.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EKSClient } from '@aws-sdk/client-eks';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partitionOf, UPGRADE_ROLE_NAME } from '../../core/naming.ts';
import { CredentialBroker, currentSession } from '../../adapters/accounts.ts';
import { createConnection, eksClient, stsClient } from '../../adapters/aws-clients.ts';
import type { AwsConnection } from '../../adapters/aws-clients.ts';
import { CatalogCache } from '../../adapters/eks-catalog.ts';
import { eksClusterUpdater } from '../../adapters/eks-upgrader.ts';
import { cloudWatchClient } from '../../adapters/rollback-facts.ts';
import { SnsNotifier } from '../../adapters/notifier.ts';
import type { Notifier } from '../../application/ports/notifier.ts';
import { DynamoFleetStore } from '../../adapters/store/fleet-store.ts';
import type { FleetStore } from '../../application/ports/fleet-store.ts';
import type { UpgradeTaskDeps } from '../../application/upgrade/upgrade-deps.ts';
import type { Environment } from '../environment.ts';
import {
  DEFAULT_BAKE_MS,
  DEFAULT_FAILURE_HOLD_DAYS,
  DEFAULT_LOCK_TTL_SECONDS,
  DEFAULT_MAX_CONCURRENT_UPGRADES,
  DEFAULT_SOAK_DAYS,
  DEFAULT_TAG_PREFIX,
  DEFAULT_UPDATE_TIMEOUT_SECONDS,
} from '../../core/defaults.ts';

/** How long a Lambda container keeps a region's catalogs before reading them again. */
const CATALOG_REFRESH_MS = 3600_000;

/** Options of {@link createUpgradeTaskDeps}. */
export interface UpgradeTaskDepsOptions {
  readonly connection: AwsConnection;
  readonly store: FleetStore;
  readonly notifier: Notifier;
  readonly clock: () => Date;
  /** Role assumed in member accounts; default `fleet-auditor-upgrade`. */
  readonly roleName?: string;
  readonly tagPrefix?: string;
  readonly soakDays?: number;
  readonly lockTtlSeconds?: number;
  readonly updateTimeoutSeconds?: number;
  /** Default {@link DEFAULT_MAX_CONCURRENT_UPGRADES}. */
  readonly maxConcurrentUpgrades?: number;
  /** Default {@link DEFAULT_FAILURE_HOLD_DAYS}. */
  readonly failureHoldDays?: number;
  /** Default {@link DEFAULT_BAKE_MS} (24h). */
  readonly defaultBakeMs?: number;
}

/**
 * Upgrade-task deps over one connection (AWS, or the simulator's endpoint): a credential broker for the upgrade role,
 * one EKS client per account-region, region catalogs cached for an hour.
 */
export function createUpgradeTaskDeps(options: UpgradeTaskDepsOptions): UpgradeTaskDeps {
  const broker = new CredentialBroker({
    sts: stsClient(options.connection),
    roleName: options.roleName ?? UPGRADE_ROLE_NAME,
    partition: partitionOf(options.connection.homeRegion),
    sessionName: 'fleet-auditor-upgrade',
  });
  const clients = new Map<string, EKSClient>();
  const eksFor = (accountId: string, region: string): EKSClient => {
    // One client per session (the execution running, see runAsSession): a client keeps the credentials it got.
    const key = `${accountId}/${region}/${currentSession() ?? ''}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = eksClient(options.connection, region, broker.providerFor(accountId));
      clients.set(key, client);
    }
    return client;
  };
  const watchers = new Map<string, CloudWatchClient>();
  const cloudWatchFor = (accountId: string, region: string): CloudWatchClient => {
    const key = `${accountId}/${region}/${currentSession() ?? ''}`;
    let client = watchers.get(key);
    if (client === undefined) {
      client = cloudWatchClient(options.connection, region, broker.providerFor(accountId));
      watchers.set(key, client);
    }
    return client;
  };
  let cache = new CatalogCache();
  let cacheBorn = Date.now();
  return {
    store: options.store,
    notifier: options.notifier,
    eksFor,
    updaterFor: (accountId, region, clusterName) =>
      eksClusterUpdater({ eks: eksFor(accountId, region), accountId, region, clusterName }),
    cloudWatchFor,
    catalogFor: (accountId, region) => {
      if (Date.now() - cacheBorn > CATALOG_REFRESH_MS) {
        cache = new CatalogCache();
        cacheBorn = Date.now();
      }
      return cache.forRegion(region, eksFor(accountId, region));
    },
    clock: options.clock,
    tagPrefix: options.tagPrefix ?? DEFAULT_TAG_PREFIX,
    soakDays: options.soakDays ?? DEFAULT_SOAK_DAYS,
    lockTtlSeconds: options.lockTtlSeconds ?? DEFAULT_LOCK_TTL_SECONDS,
    updateTimeoutSeconds: options.updateTimeoutSeconds ?? DEFAULT_UPDATE_TIMEOUT_SECONDS,
    maxConcurrentUpgrades: options.maxConcurrentUpgrades ?? DEFAULT_MAX_CONCURRENT_UPGRADES,
    failureHoldDays: options.failureHoldDays ?? DEFAULT_FAILURE_HOLD_DAYS,
    defaultBakeMs: options.defaultBakeMs ?? DEFAULT_BAKE_MS,
  };
}

/** The deps of the upgrade Lambdas, from their validated environment (real AWS, real clock). */
export function upgradeTaskDepsFromEnvironment(env: Environment): UpgradeTaskDeps {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.AWS_REGION }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createUpgradeTaskDeps({
    connection: createConnection({ homeRegion: env.AWS_REGION }),
    store: new DynamoFleetStore({ client: dynamo, tableName: env.TABLE_NAME }),
    notifier: new SnsNotifier(new SNSClient({ region: env.AWS_REGION }), env.TOPIC_ARN),
    clock: () => new Date(),
    roleName: env.UPGRADE_ROLE_NAME,
    tagPrefix: env.TAG_PREFIX,
    soakDays: env.SOAK_DAYS,
    lockTtlSeconds: env.LOCK_TTL_SECONDS,
    maxConcurrentUpgrades: env.MAX_CONCURRENT_UPGRADES,
  });
}

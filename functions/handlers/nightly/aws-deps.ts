/**
 * The nightly pipeline's dependencies in AWS, built once per Lambda container from the validated environment:
 * DynamoDB table, SNS topic, the hub's credentials for STS and Organizations, the member read role.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CredentialBroker, discoverMemberAccounts } from '../../adapters/accounts.ts';
import { createConnection, organizationsClient, stsClient } from '../../adapters/aws-clients.ts';
import { SnsNotifier } from '../../adapters/notifier.ts';
import { DynamoFleetStore } from '../../adapters/store/fleet-store.ts';
import { EnvironmentError } from '../environment.ts';
import { partitionOf } from '../../core/naming.ts';
import type { Environment } from '../environment.ts';
import type { RateLimit } from '../../shared/limit.ts';
import type { UpgradeStarter } from '../../application/ports/upgrade-starter.ts';
import { StepFunctionsUpgradeStarter } from '../../adapters/sfn-upgrade-starter.ts';
import { StepFunctionsExecutionReader } from '../../adapters/sfn-execution-reader.ts';
import { LocalExecutionReader } from '../../adapters/local-execution-reader.ts';
import { nightlyAccountRegionReaders } from '../../adapters/account-region-reader.ts';
import type { NightlyDeps } from '../../application/nightly/nightly-deps.ts';

/**
 * Builds every dependency from `env` without calling AWS (clients connect on first use). Accounts come from the
 * ACCOUNTS list when it is set, else the accounts under ORGANIZATIONAL_UNIT_IDS (nested OUs included) when that is
 * set, else every ACTIVE account of the organization (the hub must be the management or a delegated account).
 */
export function nightlyDepsFromEnvironment(env: Environment): NightlyDeps {
  const connection = createConnection({ homeRegion: env.AWS_REGION });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.AWS_REGION }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const accounts = env.ACCOUNTS.map((id) => ({ id, name: null }));
  const store = new DynamoFleetStore({ client: dynamo, tableName: env.TABLE_NAME });
  return {
    store,
    notifier: new SnsNotifier(new SNSClient({ region: env.AWS_REGION }), env.TOPIC_ARN),
    readerForRun: nightlyAccountRegionReaders({
      connection: connection,
      broker: new CredentialBroker({
        sts: stsClient(connection),
        roleName: env.READ_ROLE_NAME,
        partition: partitionOf(env.AWS_REGION),
      }),
      tagPrefix: env.TAG_PREFIX,
      ...eksPacing(env),
    }),
    discoverAccounts: async () =>
      discoverMemberAccounts(organizationsClient(connection), {
        accounts,
        organizationalUnits: env.ORGANIZATIONAL_UNIT_IDS,
      }),
    regions: env.REGIONS,
    tagPrefix: env.TAG_PREFIX,
    soakDays: env.SOAK_DAYS,
    clock: () => new Date(),
    upgradeStarter: upgradeStarterFrom(env),
    maxConcurrentUpgrades: env.MAX_CONCURRENT_UPGRADES,
    upgradeExecutions:
      env.UPGRADE_STATE_MACHINE_ARN === undefined || env.UPGRADE_STATE_MACHINE_ARN === ''
        ? new LocalExecutionReader(store)
        : new StepFunctionsExecutionReader(new SFNClient({ region: env.AWS_REGION }), env.UPGRADE_STATE_MACHINE_ARN),
  };
}

/** The client-side pacing of each account-region's EKS requests the environment asks for (none at 0 per second). */
export function eksPacing(env: Environment): { readonly ratePerAccountRegion?: RateLimit } {
  return env.EKS_REQUESTS_PER_SECOND > 0
    ? { ratePerAccountRegion: { ratePerSecond: env.EKS_REQUESTS_PER_SECOND, burst: env.EKS_REQUEST_BURST } }
    : {};
}

/** Step Functions when the upgrade state machine is configured; else a starter that refuses, naming the variable. */
function upgradeStarterFrom(env: Environment): UpgradeStarter {
  const arn = env.UPGRADE_STATE_MACHINE_ARN;
  if (arn !== undefined && arn !== '') {
    return new StepFunctionsUpgradeStarter(new SFNClient({ region: env.AWS_REGION }), arn);
  }
  return {
    start: () => Promise.reject(new EnvironmentError('UPGRADE_STATE_MACHINE_ARN is not set: upgrades cannot start')),
  };
}

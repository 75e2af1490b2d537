/**
 * What the nightly handlers are given rather than build: the store, the notifier, the way to AWS (or the
 * simulator), account discovery and the clock. The Lambda entries build them once from the environment; the CLI
 * and the tests build them around dynalite, the simulator and an outbox, and run the very same handlers.
 */
import type { CredentialBroker, MemberAccount } from '../../adapters/accounts.ts';
import type { AwsConnection } from '../../adapters/aws-clients.ts';
import { CatalogCache } from '../../adapters/eks-catalog.ts';
import type { RateLimit } from '../../shared/limit.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { FleetStore } from '../ports/fleet-store.ts';
import type { UpgradeStarter } from '../ports/upgrade-starter.ts';
import type { UpgradeExecutionReader } from '../ports/upgrade-execution-reader.ts';
import type { TelemetryDeps } from '../ports/telemetry.ts';
import type { RunWaveIndex } from './run-wave-index.ts';

/** Every dependency of the nightly pipeline. Each handler takes the part it needs. */
export interface NightlyDeps {
  readonly store: FleetStore;
  readonly notifier: Notifier;
  readonly connection: AwsConnection;
  /** Assumes the read role in member accounts (cached per account for the container's life). */
  readonly broker: CredentialBroker;
  readonly catalogs: RunCatalogs;
  /** The member accounts to audit: Organizations, or the configured list. */
  readonly discoverAccounts: () => Promise<readonly MemberAccount[]>;
  readonly regions: readonly string[];
  readonly tagPrefix: string;
  readonly soakDays: number;
  /** The product clock: real time in Lambda, the fixed `--now` in a reproducible local run. */
  readonly clock: () => Date;
  /** Account-regions audited at once when the execution input does not say (default 10). */
  readonly maxConcurrency?: number;
  /** Account-regions per child execution of the batch machine when the execution input does not say (default 250). */
  readonly batchSize?: number;
  /** API calls in flight per account-region (default 8). */
  readonly callsPerAccountRegion?: number;
  /** Client-side pacing of each account-region's EKS requests (default: none; see `EksAccountRegionReader`). */
  readonly ratePerAccountRegion?: RateLimit;
  /** The opted-in clusters' wave facts, read once per run (default: one per AuditAccountRegion handler). */
  readonly waveIndex?: RunWaveIndex;
  /** Starts upgrade executions: Step Functions in AWS, the local interpreter in `nightly`. */
  readonly upgradeStarter: UpgradeStarter;
  /** Fleet-wide cap on upgrades running at once (0 = audit only). */
  readonly maxConcurrentUpgrades: number;
  /**
   * Describes upgrade executions for the nightly reconciliation of RUNNING records: Step Functions in AWS, the local
   * runner's execution records in the store in local runs (and in AWS when no upgrade state machine is configured).
   */
  readonly upgradeExecutions: UpgradeExecutionReader;
}

/** Dependencies of StartRun. */
export type StartRunDeps = Pick<
  NightlyDeps,
  'store' | 'clock' | 'discoverAccounts' | 'regions' | 'maxConcurrency' | 'batchSize'
> &
  TelemetryDeps;

/** Dependencies of AuditAccountRegion. */
export type AuditAccountRegionDeps = Pick<
  NightlyDeps,
  | 'store'
  | 'connection'
  | 'broker'
  | 'catalogs'
  | 'tagPrefix'
  | 'soakDays'
  | 'callsPerAccountRegion'
  | 'ratePerAccountRegion'
  | 'waveIndex'
> &
  TelemetryDeps;

/** Dependencies of LoadBatch. */
export type LoadBatchDeps = Pick<NightlyDeps, 'store'> & TelemetryDeps;

/** Dependencies of RecordAccountRegionFailure. */
export type RecordAccountRegionFailureDeps = Pick<NightlyDeps, 'store'> & TelemetryDeps;

/** Dependencies of DispatchUpgrades. */
export type DispatchUpgradesDeps = Pick<
  NightlyDeps,
  'store' | 'notifier' | 'upgradeStarter' | 'maxConcurrentUpgrades' | 'soakDays' | 'upgradeExecutions'
> &
  TelemetryDeps;

/** Dependencies of FinishRun. */
export type FinishRunDeps = Pick<NightlyDeps, 'store' | 'notifier' | 'clock' | 'soakDays'> & TelemetryDeps;

/**
 * Region catalogs cached per run: every account-region of one run shares one read of its region's calendar and
 * add-on catalog, while a warm container serving the next night's run reads them afresh. Keeps the few most
 * recent runs (concurrent local runs each keep theirs).
 */
export class RunCatalogs {
  private readonly runs = new Map<string, CatalogCache>();

  constructor(private readonly keep = 4) {}

  /** The catalog cache of `runId`, created on first use. */
  forRun(runId: string): CatalogCache {
    let cache = this.runs.get(runId);
    if (cache === undefined) {
      cache = new CatalogCache();
      this.runs.set(runId, cache);
      for (const oldest of this.runs.keys()) {
        if (this.runs.size <= this.keep) break;
        this.runs.delete(oldest);
      }
    }
    return cache;
  }
}

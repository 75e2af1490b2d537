/**
 * What the nightly handlers are given rather than build: the store, the notifier, the account-region reader (AWS or
 * the simulator), account discovery and the clock. The Lambda entries build them once from the environment; the CLI
 * and the tests build them around dynalite, the simulator and an outbox, and run the very same handlers.
 */
import type { MemberAccount } from '../../adapters/accounts.ts';
import type { AccountRegionReader } from '../audit-account-region.ts';
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
  /**
   * The account-region reader of a run (EKS through the member read role, assumed as the run; the region catalogs
   * read once per region per run; the per-account-region concurrency and pacing): built by the composition roots.
   */
  readonly readerForRun: (runId: string) => AccountRegionReader;
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
  'store' | 'readerForRun' | 'tagPrefix' | 'soakDays' | 'waveIndex'
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

/**
 * What the upgrade tasks need from the outside world: the fleet store, the notifier, EKS and CloudWatch clients
 * signing with the upgrade role of each member account, the region catalogs, the clock and the workflow's settings.
 * Built by the composition roots (functions/handlers/upgrade/aws-deps.ts).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { RegionCatalog } from '../../adapters/eks-catalog.ts';
import type { ClusterUpdater } from '../ports/cluster-updater.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { FleetStore } from '../ports/fleet-store.ts';

/** The ports and settings of every upgrade task. */
export interface UpgradeTaskDeps {
  readonly store: FleetStore;
  readonly notifier: Notifier;
  /** EKS client for a member account-region, signing with the upgrade role there. */
  readonly eksFor: (accountId: string, region: string) => EKSClient;
  /** The upgrade calls on one cluster of a member account-region, through the same role. */
  readonly updaterFor: (accountId: string, region: string, clusterName: string) => ClusterUpdater;
  /** CloudWatch client for a member account-region (the bake's health alarms), signing with the same role. */
  readonly cloudWatchFor: (accountId: string, region: string) => CloudWatchClient;
  /** The region's support calendar and add-on catalog, read through that account's client. */
  readonly catalogFor: (accountId: string, region: string) => Promise<RegionCatalog>;
  /** The workflow's clock (the simulator's clock in local runs). */
  readonly clock: () => Date;
  readonly tagPrefix: string;
  readonly soakDays: number;
  readonly lockTtlSeconds: number;
  readonly updateTimeoutSeconds: number;
  /** The fleet-wide cap on upgrades running at once, re-checked at pre-flight (as the dispatcher applies it). */
  readonly maxConcurrentUpgrades: number;
  /** Days a failed upgrade holds its cluster back, re-checked at pre-flight (as the dispatcher applies it). */
  readonly failureHoldDays: number;
  /** The bake of a cluster without a `bake` tag (DESIGN §4: 24h unless configured; 0 keeps the one-run hop). */
  readonly defaultBakeMs: number;
}

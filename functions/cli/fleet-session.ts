/**
 * Where the fleet comes from: the built-in simulator serving a fleet file, or real AWS with the default
 * credential chain. Either way the same SDK clients, broker and inventory code run.
 */
import { auditFleet } from '../application/audit-fleet.ts';
import type { FleetAudit } from '../application/audit-fleet.ts';
import { EksAccountRegionReader } from '../adapters/account-region-reader.ts';
import { CatalogCache } from '../adapters/eks-catalog.ts';
import { readFleet } from '../adapters/fleet-reader.ts';
import type { FleetRead } from '../adapters/fleet-reader.ts';
import { CredentialBroker, discoverMemberAccounts } from '../adapters/accounts.ts';
import type { MemberAccount } from '../adapters/accounts.ts';
import { partitionOf } from '../core/naming.ts';
import { closeConnection, createConnection, organizationsClient, stsClient } from '../adapters/aws-clients.ts';
import type { AwsConnection } from '../adapters/aws-clients.ts';
import { DEFAULT_REGIONS } from '../adapters/fleet-reader.ts';
import { loadFleetFile, startSimulator } from '../sim/index.ts';
import type { FleetFile, Simulator } from '../sim/index.ts';
import type { CliOptions } from './options.ts';

export interface FleetSession {
  readonly connection: AwsConnection;
  readonly broker: CredentialBroker;
  readonly accounts: readonly MemberAccount[];
  readonly regions: readonly string[];
  readonly simulator: Simulator | null;
  /** Reads the whole fleet (inventory + catalogs), never throwing for a member's fault. */
  read(onProgress?: (done: number, total: number) => void): Promise<FleetRead>;
  /** Audits the whole fleet — every account-region read and judged — never throwing for a member's fault. */
  audit(now: Date, onProgress?: (done: number, total: number) => void): Promise<FleetAudit>;
  close(): Promise<void>;
}

/** Regions named in a fleet file, sorted. */
export function fleetRegions(fleet: FleetFile): string[] {
  return [...new Set(fleet.accounts.flatMap((account) => Object.keys(account.regions)))].sort();
}

/** Opens a session against the simulator (`--simulate`) or real AWS. */
export async function openFleetSession(
  options: Pick<CliOptions, 'simulate' | 'accounts' | 'organizationalUnits' | 'regions' | 'role' | 'tagPrefix'>,
  clock: { now: Date; fleet?: FleetFile; updateDurationMs?: number },
): Promise<FleetSession> {
  let simulator: Simulator | null = null;
  let defaultRegions: readonly string[] = DEFAULT_REGIONS;
  if (options.simulate !== null) {
    const fleet = clock.fleet ?? (await loadFleetFile(options.simulate));
    simulator = await startSimulator({
      fleet,
      now: () => clock.now,
      updateDurationMs: clock.updateDurationMs ?? 0,
    });
    defaultRegions = fleetRegions(fleet);
  }
  // Real AWS: STS and Organizations are called in the caller's configured region, whose partition names the roles.
  const homeRegion = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const connection = createConnection(
    simulator === null ? { homeRegion } : { endpoint: simulator.endpoint, credentials: simulator.hubCredentials },
  );
  try {
    const broker = new CredentialBroker({
      sts: stsClient(connection),
      roleName: options.role,
      partition: partitionOf(connection.homeRegion),
    });
    const accounts = await discoverMemberAccounts(organizationsClient(connection), options);
    const regions = options.regions ?? defaultRegions;
    return {
      connection,
      broker,
      accounts,
      regions,
      simulator,
      read: (onProgress) =>
        readFleet({
          connection,
          accounts,
          regions,
          broker,
          tagPrefix: options.tagPrefix,
          ...(onProgress === undefined ? {} : { onProgress }),
        }),
      audit: (now, onProgress) =>
        auditFleet({
          reader: new EksAccountRegionReader({
            connection,
            broker,
            catalogs: new CatalogCache(),
            tagPrefix: options.tagPrefix,
          }),
          accountIds: accounts.map((account) => account.id),
          regions,
          now,
          tagPrefix: options.tagPrefix,
          ...(onProgress === undefined ? {} : { onProgress }),
        }),
      close: async () => {
        closeConnection(connection);
        await simulator?.close();
      },
    };
  } catch (error) {
    closeConnection(connection);
    await simulator?.close();
    throw error;
  }
}

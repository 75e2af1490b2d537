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
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { paginateListAccounts } from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { loadFleetFile, startSimulator } from '../sim/index.ts';
import type { FleetFile, Simulator } from '../sim/index.ts';
import type { CliOptions } from './options.ts';
import { DEFAULT_OWNER_TAGS, DEFAULT_REGIONS } from '../core/defaults.ts';

export interface FleetSession {
  readonly connection: AwsConnection;
  readonly broker: CredentialBroker;
  readonly accounts: readonly MemberAccount[];
  readonly regions: readonly string[];
  readonly simulator: Simulator | null;
  /** Reads the whole fleet (inventory + catalogs), never throwing for a member's fault. */
  read(onProgress?: (done: number, total: number) => void): Promise<FleetRead>;
  /**
   * Audits the whole fleet — every account-region read and judged — never throwing for a member's fault. Each
   * cluster carries its account's name and its owner.
   */
  audit(now: Date, onProgress?: (done: number, total: number, clusters: number) => void): Promise<FleetAudit>;
  close(): Promise<void>;
}

/** Regions named in a fleet file, sorted. */
export function fleetRegions(fleet: FleetFile): string[] {
  return [...new Set(fleet.accounts.flatMap((account) => Object.keys(account.regions)))].sort();
}

/**
 * The accounts with their Organizations names: an explicit `--accounts` list carries none, so it is named from one
 * ListAccounts when the caller may call it (the management or a delegated administrator account); otherwise the
 * names stay unknown and the audit goes on.
 */
async function namedAccounts(
  client: OrganizationsClient,
  accounts: readonly MemberAccount[],
): Promise<MemberAccount[]> {
  if (accounts.every((account) => account.name !== null)) return [...accounts];
  const names = new Map<string, string>();
  try {
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const account of page.Accounts ?? []) {
        if (account.Id !== undefined && account.Name !== undefined) names.set(account.Id, account.Name);
      }
    }
  } catch {
    return [...accounts];
  }
  return accounts.map((account) => ({ ...account, name: account.name ?? names.get(account.id) ?? null }));
}

/** Opens a session against the simulator (`--simulate`) or real AWS. */
export async function openFleetSession(
  options: Pick<CliOptions, 'simulate' | 'accounts' | 'organizationalUnits' | 'regions' | 'role' | 'tagPrefix'> &
    Partial<Pick<CliOptions, 'profile' | 'homeRegion' | 'ownerTags'>>,
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
  // `--profile` picks the shared-config profile of the hub credentials; `--region` the home region.
  const homeRegion =
    options.homeRegion ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const profile = options.profile ?? null;
  const connection = createConnection(
    simulator === null
      ? { homeRegion, ...(profile === null ? {} : { credentials: fromNodeProviderChain({ profile }) }) }
      : { endpoint: simulator.endpoint, credentials: simulator.hubCredentials },
  );
  try {
    const broker = new CredentialBroker({
      sts: stsClient(connection),
      roleName: options.role,
      partition: partitionOf(connection.homeRegion),
    });
    const organizations = organizationsClient(connection);
    const accounts = await namedAccounts(organizations, await discoverMemberAccounts(organizations, options));
    const accountNames = new Map(accounts.map((account) => [account.id, account.name]));
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
      audit: async (now, onProgress) => {
        const audited = await auditFleet({
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
          ownerTags: options.ownerTags ?? DEFAULT_OWNER_TAGS,
          ...(onProgress === undefined ? {} : { onProgress }),
        });
        const clusters = audited.report.clusters.map((c) => ({
          ...c,
          accountName: accountNames.get(c.accountId) ?? null,
        }));
        return { ...audited, report: { ...audited.report, clusters } };
      },
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

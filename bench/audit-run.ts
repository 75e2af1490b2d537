/**
 * The measured run: the product's real audit path — credentials per account, every account-region read in
 * parallel with its own pacing and concurrency, catalogs once per region, then the report — against the simulator.
 * It runs in a process of its own (`audit-host.ts`) with the V8 heap budget of the profile, so the peak RSS measured
 * is the auditor's alone.
 */
import { CredentialBroker } from '../functions/adapters/accounts.ts';
import type { MemberAccount } from '../functions/adapters/accounts.ts';
import { closeConnection, createConnection, stsClient } from '../functions/adapters/aws-clients.ts';
import { EksAccountRegionReader } from '../functions/adapters/account-region-reader.ts';
import { CatalogCache } from '../functions/adapters/eks-catalog.ts';
import { auditFleet } from '../functions/application/audit-fleet.ts';
import type { AuditError } from '../functions/core/report-types.ts';
import { awaitExit, forkHost, request } from './ipc.ts';
import type { BenchProfile } from './profiles.ts';

/** Where the simulator is and who the hub is. */
export interface SimEndpoint {
  readonly endpoint: string;
  readonly hubCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** What the measured run produced. */
export interface AuditRunResult {
  readonly wallMs: number;
  /** Clusters in the report. */
  readonly clusters: number;
  /** Reads that failed after every retry (accounts, account-regions, clusters), with their causes. */
  readonly errors: readonly AuditError[];
}

/** The request the auditor process serves. */
export interface AuditHostRequest {
  readonly type: 'run';
  readonly sim: SimEndpoint;
  readonly profile: BenchProfile;
  readonly accounts: readonly MemberAccount[];
  readonly regions: readonly string[];
}

/** The auditor process's reply: the run and its own peak RSS. */
export interface AuditHostResult extends AuditRunResult {
  readonly type: 'result';
  readonly peakRssMb: number;
}

/** The read role the benchmark assumes in every member account (any valid name serves the simulator). */
export const BENCH_ROLE = 'fleet-auditor-read';

/** Runs the audit of `accounts` × `regions` as tuned in `profile.client`, timing it from the first call to the report. */
export async function runAudit(
  sim: SimEndpoint,
  profile: BenchProfile,
  accounts: readonly MemberAccount[],
  regions: readonly string[],
): Promise<AuditRunResult> {
  const connection = createConnection({
    endpoint: sim.endpoint,
    credentials: sim.hubCredentials,
    maxSockets: profile.client.maxSockets,
  });
  try {
    const broker = new CredentialBroker({ sts: stsClient(connection), roleName: BENCH_ROLE });
    const started = performance.now();
    const { report } = await auditFleet({
      reader: new EksAccountRegionReader({
        connection,
        broker,
        catalogs: new CatalogCache(),
        tagPrefix: profile.tagPrefix,
        callsPerAccountRegion: profile.client.callsPerAccountRegion,
        ratePerAccountRegion: profile.client.ratePerAccountRegion,
      }),
      accountIds: accounts.map((account) => account.id),
      regions,
      now: new Date(profile.now),
      tagPrefix: profile.tagPrefix,
      accountRegionsInParallel: profile.client.accountRegionsInParallel,
    });
    const wallMs = performance.now() - started;
    return { wallMs, clusters: report.clusters.length, errors: report.errors };
  } finally {
    closeConnection(connection);
  }
}

/** Runs {@link runAudit} in a fresh auditor process with `--max-old-space-size` set to the profile's heap budget. */
export async function runAuditInChild(
  sim: SimEndpoint,
  profile: BenchProfile,
  accounts: readonly MemberAccount[],
  regions: readonly string[],
): Promise<AuditHostResult> {
  const child = forkHost(new URL('./audit-host.ts', import.meta.url), [
    `--max-old-space-size=${profile.client.heapBudgetMb}`,
  ]);
  try {
    const message: AuditHostRequest = { type: 'run', sim, profile, accounts, regions };
    return await request<AuditHostResult>(child, message);
  } finally {
    await awaitExit(child);
  }
}

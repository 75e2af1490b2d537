/**
 * The whole-fleet audit of the CLI, `plan` and the benchmark: {@link auditAccountRegion} mapped over every
 * account-region with bounded concurrency. Each account-region is judged against the waves of the whole fleet, so
 * judging waits until every account-region has been read (or failed); the reads themselves overlap.
 */
import { CLUSTER_NOT_ASSESSED, assembleReport, waveMembers } from '../core/audit-report.ts';
import type { AuditError, AuditReport, AuditWarning } from '../core/report-types.ts';
import { unreadableAccountRegions } from '../core/waves.ts';
import { auditAccountRegion, unreadClusterError } from './audit-account-region.ts';
import type {
  AccountRegion,
  AccountRegionAudit,
  AccountRegionRead,
  AccountRegionReader,
  WaveContext,
} from './audit-account-region.ts';
import { DEFAULT_SOAK_DAYS } from '../core/defaults.ts';

/** Port: the reader of a whole fleet — account-regions, plus the one AssumeRole per account that opens them. */
export interface FleetReader extends AccountRegionReader {
  /** Assumes the read role in the account; throws when the account cannot be entered. */
  openAccount(accountId: string): Promise<void>;
  /** The code and message of a read failure, for the report's `errors`. */
  errorOf(error: unknown, where: string): { readonly code: string; readonly message: string };
}

/** What the whole-fleet audit is given. */
interface FleetAuditOptions {
  readonly reader: FleetReader;
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
  readonly now: Date;
  /** When the report was produced (the real clock); defaults to `now`. */
  readonly generatedAt?: Date;
  readonly tagPrefix: string;
  /** Tag keys naming a cluster's owner (default `team`, `owner`). */
  readonly ownerTags?: readonly string[];
  readonly soakDays?: number;
  /** Account-regions read at once (default 32). */
  readonly accountRegionsInParallel?: number;
  /** Called after each account-region is read, for a progress indicator (with the clusters read so far). */
  readonly onProgress?: (done: number, total: number, clusters: number) => void;
}

/** The whole fleet audited: the report, and each account-region's audit (for `upgrade`, which needs the reads). */
export interface FleetAudit {
  readonly report: AuditReport;
  readonly accountRegions: readonly AccountRegionAudit[];
}

function byAccountRegion(a: AuditError, b: AuditError): number {
  return a.accountId.localeCompare(b.accountId) || (a.region ?? '').localeCompare(b.region ?? '');
}

/** The code and message of a failure: an Error's `message` is not enumerable, so spreading it would lose it. */
function codeAndMessage(failure: {
  readonly code: string;
  readonly message: string;
}): Pick<AuditError, 'code' | 'message'> {
  return { code: failure.code, message: failure.message };
}

/** The warnings of every account-region read, each once (a region's catalog warning is shared), in a fixed order. */
function collectWarnings(reads: readonly { readonly warnings?: readonly AuditWarning[] }[]): AuditWarning[] {
  const unique = new Map<string, AuditWarning>();
  for (const warning of reads.flatMap((read) => read.warnings ?? [])) {
    unique.set(`${warning.accountId ?? ''}/${warning.region ?? ''}/${warning.code}`, warning);
  }
  return [...unique.values()].sort(
    (a, b) =>
      (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
      (a.region ?? '').localeCompare(b.region ?? '') ||
      a.code.localeCompare(b.code),
  );
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Runs `task`s with at most `concurrency` at once. */
function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((go) => waiting.push(go));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Audits every account-region of the fleet; never throws for a member's fault. An account that cannot be entered
 * is one error (region null); an account-region that cannot be read is one error; a cluster that cannot be read or
 * judged is one error; everything else is in the report.
 */
export async function auditFleet(options: FleetAuditOptions): Promise<FleetAudit> {
  const { reader } = options;
  const readErrors: AuditError[] = [];
  const open: string[] = [];
  const enter = limiter(16);
  await Promise.all(
    options.accountIds.map((accountId) =>
      enter(async () => {
        try {
          await reader.openAccount(accountId);
          open.push(accountId);
        } catch (error) {
          readErrors.push({ accountId, region: null, ...codeAndMessage(reader.errorOf(error, `${accountId}/*`)) });
        }
      }),
    ),
  );
  const pairs: AccountRegion[] = options.accountIds
    .filter((accountId) => open.includes(accountId))
    .flatMap((accountId) => options.regions.map((region) => ({ accountId, region })));

  // Judging needs the whole fleet's waves: each account-region's audit waits here once read, outside the read
  // limit, until every account-region is read or has failed.
  const reads: AccountRegionRead[] = [];
  const allRead = deferred();
  let done = 0;
  let clustersRead = 0;
  const settle = (clusters = 0): void => {
    done += 1;
    clustersRead += clusters;
    options.onProgress?.(done, pairs.length, clustersRead);
    if (done === pairs.length) allRead.resolve();
  };
  let context: WaveContext | null = null;
  const fleetContext = (): WaveContext => {
    context ??= {
      now: options.now,
      tagPrefix: options.tagPrefix,
      fleet: waveMembers(
        reads.flatMap((read) => read.inventory.clusters),
        options.tagPrefix,
      ),
      soakDays: options.soakDays ?? DEFAULT_SOAK_DAYS,
      ...(options.ownerTags === undefined ? {} : { ownerTags: options.ownerTags }),
      unreadable: unreadableAccountRegions([
        ...readErrors,
        ...reads.flatMap((read) => read.inventory.failed.map((unread) => unreadClusterError(read, unread))),
      ]),
    };
    return context;
  };
  const slot = limiter(options.accountRegionsInParallel ?? 32);
  const audited = await Promise.all(
    pairs.map(async (pair) => {
      let read = false;
      try {
        return await auditAccountRegion(
          pair,
          { read: (accountRegion) => slot(() => reader.read(accountRegion)) },
          async (result) => {
            read = true;
            reads.push(result);
            settle(result.inventory.clusters.length);
            await allRead.promise;
            return fleetContext();
          },
        );
      } catch (error) {
        if (read) throw error;
        readErrors.push({ ...pair, ...codeAndMessage(reader.errorOf(error, `${pair.accountId}/${pair.region}`)) });
        settle();
        return null;
      }
    }),
  );
  const accountRegions = audited.flatMap((audit) => (audit === null ? [] : [audit]));
  readErrors.sort(byAccountRegion);
  const clusterErrors = accountRegions.flatMap((audit) => audit.errors);
  const unreadErrors = clusterErrors.filter((error) => error.code !== CLUSTER_NOT_ASSESSED);
  const notAssessed = clusterErrors.filter((error) => error.code === CLUSTER_NOT_ASSESSED);
  return {
    report: assembleReport({
      clusters: accountRegions.flatMap((audit) => audit.judged.map(({ report }) => report)),
      errors: [...[...readErrors, ...unreadErrors].sort(byAccountRegion), ...notAssessed],
      warnings: collectWarnings(accountRegions.map((audit) => audit.read)),
      now: options.now,
      ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
    }),
    accountRegions,
  };
}

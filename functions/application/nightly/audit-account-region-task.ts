/**
 * AuditAccountRegion, one Map iteration of the nightly audit: reads one account-region (AssumeRole through the broker,
 * catalogs once per region per run), judges every cluster with the core against the whole fleet's waves (read from
 * the sparse wave index once per run and container, and the account-regions of this run already recorded unreadable), saves each report as the cluster's latest state, and marks the
 * clusters a complete read no longer found as deleted.
 *
 * Failure handling:
 * - a member fault (access denied, a refused request) is recorded here — the account-region's clusters marked stale, the
 *   account-region FAILED with code and message — and the iteration ends normally;
 * - a transient fault (throttling past the SDK's retries, an endpoint or DynamoDB that does not answer) is thrown
 *   as its named error so the state machine's Retry applies, and its Catch records the failure after that;
 * - an account-region read in part (some clusters could not be described) saves what was read, marks only the unread
 *   clusters stale, deletes nothing, and is recorded FAILED so the digest says so.
 */
import { AdapterError } from '../../adapters/aws-errors.ts';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import { auditAccountRegion } from '../audit-account-region.ts';
import type { AccountRegionAudit, WaveContextSource } from '../audit-account-region.ts';
import { fleetWaveMembers, gatedRolloutGroups, unreadableWithStoredGroups } from '../../core/stored-wave-members.ts';
import { parseOptInTags } from '../../core/opt-in-tags.ts';
import type { LockLease } from '../../core/lock-lease.ts';
import type { UnreadableAccountRegion } from '../../core/waves.ts';
import type { AuditAccountRegionDeps } from './nightly-deps.ts';
import { auditAccountRegionEventSchema, parseEvent } from './nightly-events.ts';
import type { AuditAccountRegionEvent } from './nightly-events.ts';
import { RunWaveIndex } from './run-wave-index.ts';
import { recordAccountRegionFailure } from './record-account-region-failure.ts';
import type { AccountRegionResult } from './record-account-region-failure.ts';

/**
 * Errors AuditAccountRegion throws for the state machine to retry (`Retry.ErrorEquals` of the AuditAccountRegion state lists
 * them, and a test keeps the two in step). Everything else a member causes is recorded, not thrown.
 */
export const RETRYABLE_ACCOUNT_REGION_ERRORS: readonly string[] = Object.freeze([
  'ThrottledError',
  'EndpointUnreachableError',
  'StoreUnavailableError',
  'StoreThrottledError',
]);

/** True for an error the state machine should retry. */
function isRetryableAccountRegionError(error: unknown): boolean {
  return error instanceof Error && RETRYABLE_ACCOUNT_REGION_ERRORS.includes(error.name);
}

/**
 * The account-regions of this run already recorded FAILED, other than this one: parts of the fleet scope whose lower-wave
 * clusters cannot be confirmed. Best effort — account-regions audited later in the same run are not known yet; FinishRun
 * re-checks the wave rule with every failed account-region of the run before any upgrade is dispatched.
 */
async function unreadableSoFar(
  input: AuditAccountRegionEvent,
  deps: AuditAccountRegionDeps,
): Promise<UnreadableAccountRegion[]> {
  // The sparse index of the run's failed account-regions: O(failed account-regions), not every outcome of the run.
  const failed = await deps.store.listFailedAccountRegions(input.runId);
  return failed.filter((target) => !(target.accountId === input.accountId && target.region === input.region));
}

/** The wave context of a nightly account-region: the stored fleet's waves, this run's unreadable parts, the locks. */
function storedWaves(input: AuditAccountRegionEvent, deps: AuditAccountRegionDeps): WaveContextSource {
  return async (read) => {
    const { clusters, failed } = read.inventory;
    // Only a cluster in a wave above 0 is gated by the rest of the fleet: read the other opted-in clusters of those
    // clusters' rollout groups alone, from the group's partition of the sparse wave index, once per run and container
    // (see README "Scale").
    const groups = gatedRolloutGroups(clusters.map((cluster) => parseOptInTags(cluster.tags, deps.tagPrefix)));
    const waveIndex = deps.waveIndex ?? new RunWaveIndex();
    const [stored, others] =
      groups.length > 0
        ? await Promise.all([
            waveIndex.forGroups(input.runId, groups, (group) => deps.store.listWaveFacts(group)),
            unreadableSoFar(input, deps),
          ])
        : [[], []];
    const unread = new Set(failed.map((failure) => failure.name));
    // Other unreadable account-regions hold only the rollout groups last known there (or all, if never read): their stored
    // clusters are read once per run. Clusters of this account-region that could not be described may be lower-wave clusters
    // of any group nobody has seen yet.
    const known = await waveIndex.atAccountRegions(input.runId, others, (t) =>
      deps.store.listClustersOfAccountRegion(t.accountId, t.region),
    );
    const scoped = unreadableWithStoredGroups(others, known);
    const unreadable = unread.size === 0 ? scoped : [...scoped, { accountId: input.accountId, region: input.region }];
    const fleet = fleetWaveMembers(stored, { ...input, unread }, clusters, deps.tagPrefix);
    const optedIn = new Set(fleet.map((member) => member.arn));
    const locks = new Map<string, LockLease>();
    await mapLimited(
      clusters.filter((cluster) => optedIn.has(cluster.arn)),
      WRITE_CONCURRENCY,
      async (cluster) => {
        const lease = await deps.store.getLock(cluster.arn);
        if (lease !== null) locks.set(cluster.arn, lease);
      },
    );
    return { now: new Date(input.now), tagPrefix: deps.tagPrefix, fleet, soakDays: deps.soakDays, unreadable, locks };
  };
}

/**
 * Audits one account-region for a run and records how it went. Returns the account-region's outcome; member faults are
 * recorded and returned, not thrown.
 *
 * @throws NightlyEventError on a malformed event; one of {@link RETRYABLE_ACCOUNT_REGION_ERRORS} for the state machine to
 *   retry; any store error it cannot record around.
 */
export async function auditAccountRegionTask(
  event: unknown,
  deps: AuditAccountRegionDeps,
): Promise<AccountRegionResult> {
  const telemetry = deps.telemetry;
  const input = parseEvent('AuditAccountRegion', auditAccountRegionEventSchema, event);
  const { runId, accountId, region, now } = input;
  const reader = deps.readerForRun(runId);
  let audit: AccountRegionAudit;
  try {
    audit = await auditAccountRegion({ accountId, region }, reader, storedWaves(input, deps));
  } catch (error) {
    if (isRetryableAccountRegionError(error) || !(error instanceof AdapterError)) throw error;
    telemetry.count('ClustersAudited', 0);
    return recordAccountRegionFailure(deps, {
      runId,
      now,
      accountId,
      region,
      code: error.code,
      message: error.message,
    });
  }
  const { judged, errors, unjudged } = audit;
  const { failed } = audit.read.inventory;
  // The per-cluster errors after the unread ones: clusters read but not judgeable (CLUSTER_NOT_ASSESSED).
  const notAssessed = errors.slice(failed.length);
  await mapLimited(judged, WRITE_CONCURRENCY, ({ report, cluster }) =>
    deps.store.saveClusterAudit(report, runId, now, { versionSince: cluster.versionSince }),
  );
  let deleted: string[] = [];
  let stale = 0;
  if (unjudged.size === 0) {
    const seen = new Set(judged.map(({ report }) => report.arn));
    deleted = await deps.store.markDeletedIfMissing(accountId, region, seen, runId, now);
  } else {
    const reasons = [
      ...failed.map(({ name, error }) => `${name}: ${error.code}: ${error.message}`),
      ...notAssessed.map(({ code, message }) => `${code}: ${message}`),
    ].join('; ');
    stale = await deps.store.markAccountRegionStale(accountId, region, runId, reasons, now, unjudged);
  }
  const first = errors[0];
  const total = judged.length + unjudged.size;
  const what = failed.length === 0 ? 'assessed' : notAssessed.length === 0 ? 'read' : 'read or assessed';
  await deps.store.recordAccountRegionOutcome(runId, {
    accountId,
    region,
    status: first === undefined ? 'OK' : 'FAILED',
    clusters: judged.length,
    ...(first === undefined
      ? {}
      : {
          errorCode: first.code,
          errorMessage: `${unjudged.size} of ${total} clusters could not be ${what}: ${[
            ...failed.map(({ name, error }) => `${name} (${error.message})`),
            ...notAssessed.map(({ message }) => message),
          ].join('; ')}`,
        }),
  });
  telemetry.count('ClustersAudited', judged.length);
  telemetry.count('TargetsFailed', first === undefined ? 0 : 1);
  telemetry.info('account-region audited', {
    runId,
    accountId,
    region,
    clusters: judged.length,
    deleted,
    unjudged: unjudged.size,
  });
  return {
    accountId,
    region,
    status: first === undefined ? 'OK' : 'FAILED',
    clusters: judged.length,
    stale,
    deleted: deleted.length,
    ...(first === undefined ? {} : { code: first.code }),
  };
}

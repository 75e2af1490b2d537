/**
 * The fault tests' arrangement. Each fault test runs the real nightly pipeline (state machine, handlers, DynamoDB,
 * simulator) twice on one store: a clean night on BEFORE (run once per file, its table copied for each test), then a
 * night on NOW with the fault injected. A reference
 * store ran the same two nights without any fault. The faulty night must then equal the reference, except for what
 * the fault made unreadable: those clusters keep their BEFORE record (stale, with the cause), a cluster deleted
 * mid-run keeps its record marked deleted, none of them is alerted, and the upgrade decisions of the others may only
 * grow more cautious (lower waves that cannot be read cannot be confirmed).
 */
import '../handlers/quiet-powertools.ts';
import { createHash } from 'node:crypto';
import { BatchWriteCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { StoredCluster, StoredRun } from '../../functions/application/ports/fleet-store.ts';
import { fleetRegions } from '../../functions/cli/fleet-session.ts';
import type { OutgoingMessage } from '../../functions/core/messages.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import { runNightlyLocally } from '../../functions/local/nightly-pipeline.ts';
import type { NightlyRunOutput } from '../../functions/local/nightly-pipeline.ts';
import { generateFleet } from '../../functions/sim/index.ts';
import type { FleetFile, SimCall } from '../../functions/sim/index.ts';
import { faultError } from '../../functions/sim/service-errors.ts';
import type { NightlyWorld, WorldOptions } from '../handlers/nightly-fixtures.ts';

/** The clean night every store starts from. */
export const BEFORE = '2026-10-01T12:00:00.000Z';
/** The night under test, 52 days later: several clusters cross a new deadline threshold. */
export const NOW = '2026-11-22T12:00:00.000Z';

/** 3 accounts × 2 regions × 3 clusters, with node groups, add-ons, insights and opt-in tags. */
export const FAULT_FLEET: FleetFile = generateFleet({
  accounts: 3,
  regionsPerAccount: 2,
  clustersPerRegion: 3,
  nodegroupsPerCluster: 2,
  addonsPerCluster: 3,
  seed: 17,
});

/** Every region of the fleet: each account is audited in each. */
export const REGIONS: readonly string[] = fleetRegions(FAULT_FLEET);

/** What one night left behind. */
export interface Night {
  readonly runId: string;
  readonly executionStatus: 'SUCCEEDED' | 'FAILED';
  readonly result: NightlyRunOutput | null;
  readonly run: StoredRun | null;
  /** Every stored cluster after the night, by ARN. */
  readonly stored: ReadonlyMap<string, StoredCluster>;
  /** The ARNs this night sent a deadline alert for. */
  readonly alerted: ReadonlySet<string>;
  readonly digests: readonly OutgoingMessage[];
}

/** A fleet's cluster ARN, as the simulator names it. */
export function clusterArn(accountId: string, region: string, name: string): string {
  return `arn:aws:eks:${region}:${accountId}:cluster/${name}`;
}

/** The ARNs of every cluster of the fleet that `pick(accountId, region)` selects. */
export function arnsWhere(pick: (accountId: string, region: string) => boolean): Set<string> {
  const arns = new Set<string>();
  for (const account of FAULT_FLEET.accounts) {
    for (const [region, { clusters }] of Object.entries(account.regions)) {
      if (!pick(account.id, region)) continue;
      for (const cluster of clusters) arns.add(clusterArn(account.id, region, cluster.name));
    }
  }
  return arns;
}

/** Runs one nightly execution through the real handlers, over every region of the fault fleet. */
export async function runNight(world: NightlyWorld, runId: string, now: string): Promise<Night> {
  const sentBefore = world.notifier.messages.length;
  const { execution, result } = await runNightlyLocally({
    deps: { ...world.deps, regions: REGIONS },
    input: { now, runId },
  });
  const messages = world.notifier.messages.slice(sentBefore);
  const stored = new Map((await world.store.listClusters()).map((c) => [c.report.arn, c]));
  return {
    runId,
    executionStatus: execution.status,
    result,
    run: await world.store.getRun(runId),
    stored,
    alerted: new Set(
      messages.flatMap((m) => (m.attributes.type === 'DEADLINE_THRESHOLD' ? [m.event.cluster?.arn ?? ''] : [])),
    ),
    digests: messages.filter((m) => m.attributes.type === 'DIGEST'),
  };
}

/** Builds worlds (a fresh table unless `store` is given) — `useNightlyWorld()` of the handler fixtures. */
export type WorldFactory = (options?: WorldOptions) => Promise<NightlyWorld>;

/** The clean night on BEFORE and every item it left in its table. */
interface SeedNight {
  readonly seed: Night;
  readonly items: readonly Record<string, unknown>[];
}

/** The seed night of each test file's world factory: it is the same clean night for every test, so it runs once. */
const seedNights = new WeakMap<WorldFactory, Promise<SeedNight>>();

async function seedNight(world: WorldFactory): Promise<SeedNight> {
  let seeded = seedNights.get(world);
  if (seeded === undefined) {
    seeded = (async (): Promise<SeedNight> => {
      const seedWorld = await world({ fleet: FAULT_FLEET, now: BEFORE });
      const seed = await runNight(seedWorld, 'seed', BEFORE);
      return { seed, items: await scanTable(seedWorld.dynamo, seedWorld.tableName) };
    })();
    seedNights.set(world, seeded);
  }
  return seeded;
}

async function scanTable(dynamo: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: dynamo }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...(page.Items ?? []));
  }
  return items;
}

async function writeItems(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await dynamo.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }
}

/**
 * The clean night on BEFORE, then the night on NOW with `faulty` options, on one store. The clean night runs once per
 * test file; each test's faulty night starts from its own copy of the table that night left, so tests stay independent.
 */
export async function seedThenFault(
  world: WorldFactory,
  faulty: WorldOptions,
  arm?: (faultyWorld: NightlyWorld) => void,
): Promise<{ seed: Night; night: Night }> {
  const { seed, items } = await seedNight(world);
  const faultyWorld = await world({ fleet: FAULT_FLEET, ...faulty, now: NOW });
  await writeItems(faultyWorld.dynamo, faultyWorld.tableName, items);
  arm?.(faultyWorld);
  const night = await runNight(faultyWorld, 'night', NOW);
  return { seed, night };
}

/** The reference: the same two nights, no fault. */
export async function referenceNight(world: WorldFactory): Promise<Night> {
  const { night } = await seedThenFault(world, {});
  return night;
}

/** What the fault made unreadable, and the cause each such cluster's stale mark must name. */
export interface Unread {
  /** Clusters whose account or region could not be read: kept stale, with `cause` in the stale reason. */
  readonly stale: ReadonlySet<string>;
  readonly cause?: string;
  /** Clusters deleted mid-run: kept, marked deleted. */
  readonly deleted?: ReadonlySet<string>;
}

/**
 * The faulty night against the reference: the run completed; every cluster it could read is stored as the
 * reference stored it (see `expectSameReport`) and alerted exactly when the reference alerted it; every record of the
 * seed night is still there; clusters it could not read keep their seed record, marked as the fault requires, and
 * are not alerted; the digest names the cause.
 */
export function expectToleratedFault(reference: Night, seed: Night, night: Night, unread: Unread): void {
  const deleted = unread.deleted ?? new Set<string>();
  const unreadable = new Set([...unread.stale, ...deleted]);
  expect(night.executionStatus).toBe('SUCCEEDED');
  expect(night.digests).toHaveLength(1);

  // Nothing stored is lost: every record of the seed night is still there.
  expect([...night.stored.keys()].sort()).toEqual([...seed.stored.keys()].sort());

  for (const [arn, expected] of reference.stored) {
    const actual = night.stored.get(arn);
    if (unreadable.has(arn)) {
      expect(actual?.report, arn).toEqual(seed.stored.get(arn)?.report);
      expect(actual?.runId, arn).toBe('seed');
    } else {
      expectSameReport(actual?.report, expected.report, arn, unreadable.size > 0);
      expect({ runId: actual?.runId, stale: actual?.stale, deletedAt: actual?.deletedAt }, arn).toEqual({
        runId: 'night',
        stale: false,
        deletedAt: null,
      });
    }
  }
  // The failure reaches the people reading the digest, with its cause.
  if (unread.cause !== undefined) expect(night.digests[0]?.event.text).toContain(unread.cause);
  for (const arn of unread.stale) {
    expect(night.stored.get(arn), arn).toMatchObject({ stale: true, staleRunId: 'night', deletedAt: null });
    expect(night.stored.get(arn)?.staleReason, arn).toContain(unread.cause ?? '');
  }
  for (const arn of deleted) {
    expect(night.stored.get(arn), arn).toMatchObject({ deletedRunId: 'night', stale: false });
  }

  // Alerts: the reference's, less those of clusters this night could not read.
  expect([...night.alerted].sort()).toEqual([...reference.alerted].filter((arn) => !unreadable.has(arn)).sort());
}

/**
 * A cluster read by the faulty night is recorded as the reference recorded it. When part of the fleet could not be
 * read, only its upgrade decision may differ, and only towards caution: lower waves that cannot be confirmed may
 * block it (more blockers, never eligible where the reference was not), while what was observed — versions, node
 * groups, add-ons, findings, deadline, severity — and the upgrade path stay the same.
 */
function expectSameReport(
  actual: ClusterReport | undefined,
  expected: ClusterReport,
  arn: string,
  partOfFleetUnread: boolean,
): void {
  if (!partOfFleetUnread || actual === undefined) {
    expect(actual, arn).toEqual(expected);
    return;
  }
  const { upgrade: actualUpgrade, ...observed } = actual;
  const { upgrade: expectedUpgrade, ...expectedObserved } = expected;
  expect(observed, arn).toEqual(expectedObserved);
  const plan = (u: ClusterReport['upgrade']): unknown => ({
    optedIn: u.optedIn,
    target: u.target,
    path: u.path,
    wave: u.wave,
    nextWindowStart: u.nextWindowStart,
  });
  expect(plan(actualUpgrade), arn).toEqual(plan(expectedUpgrade));
  expect(actualUpgrade.eligible && !expectedUpgrade.eligible, `${arn} became eligible`).toBe(false);
  expect(
    actualUpgrade.blockers.map((b) => b.code),
    arn,
  ).toEqual(expect.arrayContaining(expectedUpgrade.blockers.map((b) => b.code)));
}

/** A 32-bit number in [0, 1) from `text`, the same on every run. */
function uniform(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * A `beforeRequest` hook that answers `rate` of all attempts with the service's throttling error (EKS
 * ThrottlingException 429, STS Throttling), as AWS does. Which attempts is decided by a hash of the call and its
 * attempt number, so the same calls are throttled whatever order the concurrent run sends them in.
 */
export function throttleShare(rate: number, seed: string): { hook: (call: SimCall) => void; throttled: () => number } {
  const attempts = new Map<string, number>();
  let throttled = 0;
  return {
    hook: (call: SimCall): void => {
      const key = `${call.service}|${call.operation}|${call.accountId}|${call.region}|${JSON.stringify(call.params)}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (uniform(`${seed}|${attempt}|${key}`) < rate) {
        throttled += 1;
        throw faultError(call.service, 'throttle');
      }
    },
    throttled: () => throttled,
  };
}

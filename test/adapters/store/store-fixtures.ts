/**
 * Shared arrangements of the fleet-store tests: a cluster report to store, and a local DynamoDB (started once per
 * test file) that hands each test a store on a table of its own.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoFleetStore } from '../../../functions/adapters/store/fleet-store.ts';
import type { FleetStore } from '../../../functions/application/ports/fleet-store.ts';
import { ensureTable, startLocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import type { ClusterReport } from '../../../functions/core/report-types.ts';

/** The account most test clusters live in. */
export const ACCOUNT = '111122223333';

/** A 1.29 cluster report named `name` in ACCOUNT / eu-west-1, with `overrides` applied. */
export function report(name: string, overrides: Partial<ClusterReport> = {}): ClusterReport {
  const region = overrides.region ?? 'eu-west-1';
  const accountId = overrides.accountId ?? ACCOUNT;
  return {
    accountId,
    region,
    name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
    version: '1.29',
    platformVersion: 'eks.12',
    status: 'ACTIVE',
    supportType: 'EXTENDED',
    supportStatus: 'STANDARD_SUPPORT',
    endOfStandardSupport: '2025-03-23',
    endOfExtendedSupport: '2026-03-23',
    deadline: { date: '2025-03-23', consequence: 'EXTENDED_BILLING', daysRemaining: 40 },
    severity: 'WARNING',
    extendedSupportMonthlyUsd: 0,
    nodegroups: [{ name: 'ng-1', version: '1.28', releaseVersion: null, status: 'ACTIVE', skew: 1 }],
    addons: [
      { name: 'vpc-cni', version: 'v1.18.3', compatible: true, compatibleWithNext: false, recommendedForNext: null },
    ],
    findings: [{ code: 'DEADLINE_APPROACHING', severity: 'WARNING', message: 'standard support ends in 40 days' }],
    upgrade: {
      optedIn: false,
      target: null,
      path: [],
      eligible: false,
      blockers: [{ code: 'NOT_OPTED_IN', message: 'no fleet-auditor/auto-upgrade tag' }],
      nextWindowStart: null,
      wave: 0,
      rolloutGroup: 'default',
    },
    ...overrides,
  };
}

/** Options of the store a test gets from {@link useLocalStore}. */
export interface FreshStoreOptions {
  readonly historyTtlDays?: number;
}

/**
 * Starts a local DynamoDB before the file's tests and closes it after them; returns a function that creates a new
 * table and a store on it, so tests do not see each other's items.
 */
export function useLocalStore(): (options?: FreshStoreOptions) => Promise<FleetStore> {
  let local: LocalDynamo;
  let tables = 0;

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterAll(async () => {
    await local.close();
  });

  return async (options = {}): Promise<FleetStore> => {
    tables += 1;
    const tableName = `fleet-test-${tables}`;
    await ensureTable(local.client, tableName);
    return new DynamoFleetStore({ client: local.client, tableName, ...options });
  };
}

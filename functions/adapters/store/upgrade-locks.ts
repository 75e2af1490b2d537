/**
 * Upgrade locks (DESIGN §6): one lease per cluster, won by a conditional write under the core's lease rules
 * (`core/lock-lease.ts`), owned by a named holder, renewed while working and released on every exit path. The
 * item's TTL lets DynamoDB remove a lock its holder abandoned.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidLockLeaseError, decideAcquire } from '../../core/lock-lease.ts';
import type { LockLease } from '../../core/lock-lease.ts';
import type { FleetTable } from './fleet-table.ts';
import { instantOf, str } from './items.ts';
import type { Item } from './items.ts';
import { StoreError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type { AcquireLockResult } from '../../application/ports/fleet-store.ts';

const ACQUIRE_ATTEMPTS = 4;

/** The upgrade-lock part of the fleet store. */
export class UpgradeLocks {
  private readonly table: FleetTable;

  constructor(table: FleetTable) {
    this.table = table;
  }

  /**
   * Takes the upgrade lock of a cluster for `ttlSeconds` under the core's lease rule (`decideAcquire`: free,
   * expired or already ours → ACQUIRED), made atomic by a conditional put that re-checks the same rule.
   *
   * @throws InvalidLockLeaseError when `holder` is empty or `ttlSeconds` is not positive.
   */
  async acquireLock(arn: string, holder: string, now: Date, ttlSeconds: number): Promise<AcquireLockResult> {
    const op = 'acquireLock';
    const nowIso = instantOf(op, 'now', now);
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt += 1) {
      const current = await this.getLock(arn);
      const decision = decideAcquire(current, holder, now, ttlSeconds);
      const lease = decision.lease;
      if (lease === null) {
        if (current === null) break; // not reachable under the core's rule: a free lock is always ACQUIRED
        return { acquired: false, heldBy: current, code: 'HELD', reason: decision.reason };
      }
      const won = await this.table.conditional(op, () =>
        this.table.client.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: lockItem(arn, lease),
            ConditionExpression: 'attribute_not_exists(pk) OR leaseExpiresAt <= :now OR holder = :holder',
            ExpressionAttributeValues: { ':now': nowIso, ':holder': holder },
          }),
        ),
      );
      if (won) return { acquired: true, lease, code: 'ACQUIRED', reason: decision.reason };
      // Someone changed the lock between our read and our write: decide again on what is there now.
    }
    throw new StoreError(op, `the lock of ${arn} kept changing; gave up after ${ACQUIRE_ATTEMPTS} attempts`);
  }

  /**
   * Extends `holder`'s lease to `now + ttlSeconds`. False when the lease is someone else's, gone, or already
   * expired (as the core's `decideRenew` rules: an expired lease must be acquired again).
   */
  async renewLock(arn: string, holder: string, now: Date, ttlSeconds: number): Promise<boolean> {
    const op = 'renewLock';
    checkLeaseRequest(holder, ttlSeconds);
    const nowIso = instantOf(op, 'now', now);
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    return this.table.conditional(op, () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.lock(arn),
          UpdateExpression: 'SET leaseExpiresAt = :expiresAt, #ttl = :ttl',
          ConditionExpression: 'holder = :holder AND leaseExpiresAt > :now',
          ExpressionAttributeNames: { '#ttl': TABLE_SCHEMA.ttlAttribute },
          ExpressionAttributeValues: {
            ':expiresAt': expiresAt,
            ':ttl': leaseTtl(expiresAt),
            ':holder': holder,
            ':now': nowIso,
          },
        }),
      ),
    );
  }

  /** Releases the lock if `holder` holds it (expired or not); false when it is someone else's or already free. */
  async releaseLock(arn: string, holder: string): Promise<boolean> {
    return this.table.conditional('releaseLock', () =>
      this.table.client.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: itemKeys.lock(arn),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      ),
    );
  }

  /**
   * Every upgrade lock in the table, active or expired (sparse index `LOCKS`, eventually consistent): what the
   * fleet-wide cap counts. Locks written before the index existed are found once renewed or taken again.
   */
  async listLocks(): Promise<{ readonly arn: string; readonly lease: LockLease }[]> {
    const { sparse } = TABLE_SCHEMA;
    const items = await this.table.queryAll('listLocks', {
      IndexName: sparse.indexName,
      KeyConditionExpression: `${sparse.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': itemKeys.locksPartition() },
    });
    return items.map((item) => ({
      arn: str(item, 'arn'),
      lease: {
        holder: str(item, 'holder'),
        acquiredAt: str(item, 'acquiredAt'),
        expiresAt: str(item, 'leaseExpiresAt'),
      },
    }));
  }

  /** The stored lease of a cluster's lock (possibly expired: judge with the core's `isLeaseActive`), or null. */
  async getLock(arn: string): Promise<LockLease | null> {
    const item = await this.table.getItem('getLock', itemKeys.lock(arn));
    if (item === undefined) return null;
    return {
      holder: str(item, 'holder'),
      acquiredAt: str(item, 'acquiredAt'),
      expiresAt: str(item, 'leaseExpiresAt'),
    };
  }
}

function checkLeaseRequest(holder: string, ttlSeconds: number): void {
  if (holder.trim() === '') throw new InvalidLockLeaseError('a lock holder must have a name');
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new InvalidLockLeaseError(`a lease TTL must be a positive number of seconds, not ${ttlSeconds}`);
  }
}

/** The TTL of a lock item: its lease's expiry in epoch seconds, rounded up so DynamoDB never removes it early. */
function leaseTtl(expiresAt: string): number {
  return Math.ceil(Date.parse(expiresAt) / 1000);
}

function lockItem(arn: string, lease: LockLease): Item {
  return {
    ...itemKeys.lock(arn),
    // In the sparse index, so the fleet-wide cap is counted from the locks, not the whole table.
    [TABLE_SCHEMA.sparse.partitionKey]: itemKeys.locksPartition(),
    [TABLE_SCHEMA.sparse.sortKey]: arn,
    arn,
    holder: lease.holder,
    acquiredAt: lease.acquiredAt,
    leaseExpiresAt: lease.expiresAt,
    [TABLE_SCHEMA.ttlAttribute]: leaseTtl(lease.expiresAt),
  };
}

/**
 * Upgrade locks as leases (kured style): a named holder owns the lock until `expiresAt`, renews it while working,
 * and releases it on every exit path. An expired lease is free, so a crashed holder cannot block upgrades forever.
 * These functions decide; the store makes the decision stick with a conditional write.
 */
import { DomainError, type DomainErrorOptions } from './errors.ts';
import type { IsoInstant } from './types.ts';

/** A lock owned by `holder` from `acquiredAt` until `expiresAt` (exclusive). */
export interface LockLease {
  readonly holder: string;
  readonly acquiredAt: IsoInstant;
  readonly expiresAt: IsoInstant;
}

/** A lease request that makes no sense: an empty holder or a TTL that is not a positive number of seconds. */
export class InvalidLockLeaseError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super('INVALID_LOCK_LEASE', message, options);
    this.name = 'InvalidLockLeaseError';
  }
}

/** Decision of {@link decideAcquire}; `lease` is the lease to write when ACQUIRED, else null. */
interface AcquireDecision {
  readonly code: 'ACQUIRED' | 'HELD';
  readonly lease: LockLease | null;
  readonly reason: string;
}

/** Decision of {@link decideRenew}; `lease` is the lease to write when RENEWED, else null. */
interface RenewDecision {
  readonly code: 'RENEWED' | 'NOT_HOLDER' | 'EXPIRED';
  readonly lease: LockLease | null;
  readonly reason: string;
}

/** Decision of {@link decideRelease}. */
interface ReleaseDecision {
  readonly code: 'RELEASED' | 'NOT_HOLDER' | 'ALREADY_FREE';
  readonly reason: string;
}

function checkRequest(holder: string, ttlSeconds: number): void {
  if (holder.trim() === '') throw new InvalidLockLeaseError('a lock holder must have a name');
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new InvalidLockLeaseError(`a lease TTL must be a positive number of seconds, not ${ttlSeconds}`);
  }
}

function leaseUntil(holder: string, acquiredAt: IsoInstant, now: Date, ttlSeconds: number): LockLease {
  return { holder, acquiredAt, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() };
}

/**
 * Whether `lease` still binds at `now`: it expires at `expiresAt` (a lease expiring exactly now is free). An
 * unreadable `expiresAt` counts as expired, so a corrupt record cannot block upgrades forever.
 */
export function isLeaseActive(lease: LockLease, now: Date): boolean {
  const expiresAt = Date.parse(lease.expiresAt);
  return !Number.isNaN(expiresAt) && expiresAt > now.getTime();
}

/**
 * Whether `holder` may take the lock: free or expired → ACQUIRED (a fresh lease); held by `holder` itself →
 * ACQUIRED (re-entrant: same `acquiredAt`, expiry extended); held by someone else → HELD, naming who and until when.
 *
 * @throws InvalidLockLeaseError when `holder` is empty or `ttlSeconds` is not positive.
 */
export function decideAcquire(
  current: LockLease | null,
  holder: string,
  now: Date,
  ttlSeconds: number,
): AcquireDecision {
  checkRequest(holder, ttlSeconds);
  if (current === null || !isLeaseActive(current, now)) {
    const lease = leaseUntil(holder, now.toISOString(), now, ttlSeconds);
    const was =
      current === null ? 'the lock was free' : `the lease of ${current.holder} expired at ${current.expiresAt}`;
    return { code: 'ACQUIRED', lease, reason: `${was}; ${holder} holds it until ${lease.expiresAt}` };
  }
  if (current.holder === holder) {
    const lease = leaseUntil(holder, current.acquiredAt, now, ttlSeconds);
    return { code: 'ACQUIRED', lease, reason: `${holder} already held the lock; extended until ${lease.expiresAt}` };
  }
  return {
    code: 'HELD',
    lease: null,
    reason: `the lock is held by ${current.holder} since ${current.acquiredAt}, until ${current.expiresAt}`,
  };
}

/**
 * Whether `holder` may extend its lease: only its own lease that has not expired is RENEWED. An expired lease is
 * not revived (EXPIRED): someone else may have acted on it being free, so the holder must acquire again.
 *
 * @throws InvalidLockLeaseError when `holder` is empty or `ttlSeconds` is not positive.
 */
export function decideRenew(current: LockLease | null, holder: string, now: Date, ttlSeconds: number): RenewDecision {
  checkRequest(holder, ttlSeconds);
  if (current === null) {
    return { code: 'EXPIRED', lease: null, reason: `${holder} holds no lease: it expired or was released` };
  }
  if (current.holder !== holder) {
    return { code: 'NOT_HOLDER', lease: null, reason: `the lease belongs to ${current.holder}, not ${holder}` };
  }
  if (!isLeaseActive(current, now)) {
    return {
      code: 'EXPIRED',
      lease: null,
      reason: `the lease of ${holder} expired at ${current.expiresAt}; acquire the lock again`,
    };
  }
  const lease = leaseUntil(holder, current.acquiredAt, now, ttlSeconds);
  return { code: 'RENEWED', lease, reason: `${holder} renewed its lease until ${lease.expiresAt}` };
}

/**
 * Whether `holder` may release the lock: only its own lease (expired or not) is RELEASED; another holder's lease is
 * left alone (NOT_HOLDER); no lease is ALREADY_FREE, so releasing on every exit path is always safe.
 */
export function decideRelease(current: LockLease | null, holder: string): ReleaseDecision {
  if (current === null) return { code: 'ALREADY_FREE', reason: 'there is no lease to release' };
  if (current.holder !== holder) {
    return { code: 'NOT_HOLDER', reason: `the lease belongs to ${current.holder}, not ${holder}; left in place` };
  }
  return { code: 'RELEASED', reason: `${holder} released its lease` };
}

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import {
  decideAcquire,
  decideRelease,
  decideRenew,
  InvalidLockLeaseError,
  isLeaseActive,
  type LockLease,
} from '../../functions/core/lock-lease.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const lease = (holder: string, expiresAt: string): LockLease => ({
  holder,
  acquiredAt: '2026-11-22T11:00:00.000Z',
  expiresAt,
});

describe('isLeaseActive', () => {
  it.each([
    ['expires later', '2026-11-22T12:00:00.001Z', true],
    ['expires exactly now', '2026-11-22T12:00:00.000Z', false],
    ['expired', '2026-11-22T11:59:59.999Z', false],
    ['has an unreadable expiry', 'soon', false],
  ])('a lease that %s is active: %s', (_label, expiresAt, active) => {
    expect(isLeaseActive(lease('run-1', expiresAt), NOW)).toBe(active);
  });
});

describe('decideAcquire', () => {
  it('acquires a free lock with a fresh lease', () => {
    expect(decideAcquire(null, 'run-2', NOW, 900)).toEqual({
      code: 'ACQUIRED',
      lease: { holder: 'run-2', acquiredAt: '2026-11-22T12:00:00.000Z', expiresAt: '2026-11-22T12:15:00.000Z' },
      reason: 'the lock was free; run-2 holds it until 2026-11-22T12:15:00.000Z',
    });
  });

  it('acquires a lock whose lease expires exactly now', () => {
    const decision = decideAcquire(lease('run-1', '2026-11-22T12:00:00.000Z'), 'run-2', NOW, 900);
    expect(decision.code).toBe('ACQUIRED');
    expect(decision.lease).toEqual({
      holder: 'run-2',
      acquiredAt: '2026-11-22T12:00:00.000Z',
      expiresAt: '2026-11-22T12:15:00.000Z',
    });
    expect(decision.reason).toMatch(/the lease of run-1 expired at 2026-11-22T12:00:00.000Z/);
  });

  it('re-enters for the same holder, keeping acquiredAt and extending the expiry', () => {
    expect(decideAcquire(lease('run-1', '2026-11-22T12:05:00.000Z'), 'run-1', NOW, 900)).toEqual({
      code: 'ACQUIRED',
      lease: { holder: 'run-1', acquiredAt: '2026-11-22T11:00:00.000Z', expiresAt: '2026-11-22T12:15:00.000Z' },
      reason: 'run-1 already held the lock; extended until 2026-11-22T12:15:00.000Z',
    });
  });

  it('reports a lock held by another holder, naming who and until when', () => {
    expect(decideAcquire(lease('run-1', '2026-11-22T12:05:00.000Z'), 'run-2', NOW, 900)).toEqual({
      code: 'HELD',
      lease: null,
      reason: 'the lock is held by run-1 since 2026-11-22T11:00:00.000Z, until 2026-11-22T12:05:00.000Z',
    });
  });

  it.each([
    ['', 900, /must have a name/],
    ['  ', 900, /must have a name/],
    ['run-1', 0, /positive number of seconds, not 0/],
    ['run-1', -5, /not -5/],
    ['run-1', Number.NaN, /not NaN/],
  ])('refuses holder %j with TTL %s', (holder, ttl, message) => {
    expect(() => decideAcquire(null, holder, NOW, ttl)).toThrow(message);
  });

  it('throws an InvalidLockLeaseError, a DomainError with a code, keeping a cause', () => {
    const error = new InvalidLockLeaseError('bad', { cause: 'root' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ name: 'InvalidLockLeaseError', code: 'INVALID_LOCK_LEASE', cause: 'root' });
    expect(() => decideRenew(null, 'run-1', NOW, 0)).toThrow(InvalidLockLeaseError);
  });
});

describe('decideRenew', () => {
  it('renews the holder’s own live lease', () => {
    expect(decideRenew(lease('run-1', '2026-11-22T12:01:00.000Z'), 'run-1', NOW, 600)).toEqual({
      code: 'RENEWED',
      lease: { holder: 'run-1', acquiredAt: '2026-11-22T11:00:00.000Z', expiresAt: '2026-11-22T12:10:00.000Z' },
      reason: 'run-1 renewed its lease until 2026-11-22T12:10:00.000Z',
    });
  });

  it.each([
    ['there is no lease', null, 'EXPIRED', /holds no lease/],
    ['its lease expired exactly now', lease('run-1', '2026-11-22T12:00:00.000Z'), 'EXPIRED', /acquire the lock again/],
    ['another holder owns the lease', lease('run-9', '2026-11-22T12:05:00.000Z'), 'NOT_HOLDER', /belongs to run-9/],
  ])('refuses when %s', (_label, current, code, reason) => {
    const decision = decideRenew(current, 'run-1', NOW, 600);
    expect(decision.code).toBe(code);
    expect(decision.lease).toBeNull();
    expect(decision.reason).toMatch(reason);
  });
});

describe('decideRelease', () => {
  it.each([
    ['its own live lease', lease('run-1', '2026-11-22T12:05:00.000Z'), 'RELEASED', 'run-1 released its lease'],
    ['its own expired lease', lease('run-1', '2026-11-22T11:05:00.000Z'), 'RELEASED', 'run-1 released its lease'],
    [
      'another holder’s lease',
      lease('run-9', '2026-11-22T12:05:00.000Z'),
      'NOT_HOLDER',
      'the lease belongs to run-9, not run-1; left in place',
    ],
    ['no lease', null, 'ALREADY_FREE', 'there is no lease to release'],
  ])('for %s says %s', (_label, current, code, reason) => {
    expect(decideRelease(current, 'run-1')).toEqual({ code, reason });
  });
});

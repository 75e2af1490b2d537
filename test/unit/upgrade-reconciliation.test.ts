import { describe, expect, it } from 'vitest';
import { EXECUTION_RETENTION_DAYS, decideReconcile } from '../../functions/core/upgrade-reconciliation.ts';
import type { ExecutionStatus } from '../../functions/core/upgrade-reconciliation.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const running = { executionName: 'web-1-35-20261121-abc', startedAt: '2026-11-21T12:00:00.000Z', status: 'RUNNING' };

describe('decideReconcile', () => {
  it.each<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'closes a RUNNING record whose execution ended %s, naming the status',
    (status) => {
      const decision = decideReconcile(running, status, NOW);

      expect(decision).toMatchObject({ action: 'RECONCILE', code: 'EXECUTION_ENDED' });
      expect(decision.reason).toContain(`ended ${status}`);
    },
  );

  it.each<ExecutionStatus>(['RUNNING', 'PENDING_REDRIVE'])('leaves a record whose execution is %s', (status) => {
    expect(decideReconcile(running, status, NOW)).toMatchObject({ action: 'LEAVE', code: 'EXECUTION_RUNNING' });
  });

  it('leaves a record whose execution succeeded: the workflow records its own end (a baking hop stays open)', () => {
    expect(decideReconcile(running, 'SUCCEEDED', NOW)).toMatchObject({ action: 'LEAVE', code: 'EXECUTION_SUCCEEDED' });
  });

  it.each(['SUCCEEDED', 'FAILED'])('leaves a record already %s, whatever the execution says', (status) => {
    const decision = decideReconcile({ ...running, status }, 'ABORTED', NOW);

    expect(decision).toMatchObject({ action: 'LEAVE', code: 'RECORD_CLOSED' });
    expect(decision.reason).toContain(`already ${status}`);
  });

  it('leaves a record whose execution is unknown while the service would still know it', () => {
    expect(decideReconcile(running, 'NOT_FOUND', NOW)).toMatchObject({ action: 'LEAVE', code: 'EXECUTION_NOT_FOUND' });
  });

  it('closes a record whose execution was forgotten after the retention: it surely ended', () => {
    const old = new Date(NOW.getTime() - (EXECUTION_RETENTION_DAYS + 1) * 86_400_000).toISOString();

    expect(decideReconcile({ ...running, startedAt: old }, 'NOT_FOUND', NOW)).toMatchObject({
      action: 'RECONCILE',
      code: 'EXECUTION_FORGOTTEN',
    });
  });
});

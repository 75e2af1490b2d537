/**
 * What `fleet-auditor nightly` prints about upgrades after the messages: one line per upgrade started, then one per
 * cluster held back, each with its code and reason.
 */
import { describe, expect, it } from 'vitest';
import { upgradeLines } from '../../functions/cli/nightly-command.ts';
import type { HeldByWaves } from '../../functions/core/upgrade-candidates.ts';
import type { DispatchEntry } from '../../functions/application/upgrade/start-upgrades.ts';

function entry(name: string, fields: Partial<DispatchEntry> & Pick<DispatchEntry, 'code'>): DispatchEntry {
  return {
    accountId: '222222222222',
    region: 'eu-west-1',
    name,
    arn: `arn:aws:eks:eu-west-1:222222222222:cluster/${name}`,
    reason: 'eligible: upgrade 1.33 → 1.34 → 1.35',
    fromVersion: '1.33',
    target: '1.35',
    executionName: `${name}-1-35-20261122-00000000`,
    executionArn: null,
    outcome: null,
    ...fields,
  };
}

const dispatch = (...entries: DispatchEntry[]) => ({
  runId: 'run-1',
  running: 0,
  started: 0,
  entries,
  entriesTotal: entries.length,
});

const payments: HeldByWaves = {
  accountId: '222222222222',
  region: 'eu-west-1',
  name: 'payments-api',
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments-api',
  rolloutGroup: 'default',
  code: 'WAVE_NOT_READY',
  reason: 'wave 1 of rollout group default waits before the hop to 1.34: canary (wave 0) runs 1.33, not yet 1.34',
};

describe('upgradeLines', () => {
  it.each<[string, DispatchEntry, string]>([
    [
      'a local upgrade that succeeded',
      entry('dev-sandbox', { code: 'STARTED', outcome: { status: 'SUCCEEDED', error: null, cause: null } }),
      'upgrade dev-sandbox 1.33 → 1.35: STARTED, SUCCEEDED',
    ],
    [
      'a local upgrade that failed, with its named error',
      entry('flaky', { code: 'STARTED', outcome: { status: 'FAILED', error: 'UpdateFailedError', cause: 'x' } }),
      'upgrade flaky 1.33 → 1.35: STARTED, FAILED (UpdateFailedError)',
    ],
    ['an upgrade that runs on elsewhere', entry('remote', { code: 'STARTED' }), 'upgrade remote 1.33 → 1.35: STARTED'],
    [
      'a duplicate start',
      entry('twice', { code: 'ALREADY_STARTED', reason: 'execution twice-1-35 exists' }),
      'upgrade twice 1.33 → 1.35: ALREADY_STARTED: execution twice-1-35 exists',
    ],
    [
      'a start that failed',
      entry('denied', { code: 'START_FAILED', reason: 'MemberAccessDeniedError: not allowed' }),
      'upgrade denied 1.33 → 1.35: START_FAILED: MemberAccessDeniedError: not allowed',
    ],
    [
      'a cluster over the cap',
      entry('x', { code: 'CAP_REACHED', reason: 'the fleet-wide cap of 5 is reached' }),
      'held x: CAP_REACHED: the fleet-wide cap of 5 is reached',
    ],
    [
      'a cluster held after a failure',
      entry('y', { code: 'HELD_AFTER_FAILURE', executionName: null, reason: 'the upgrade 1.33 → 1.35 failed' }),
      'held y: HELD_AFTER_FAILURE: the upgrade 1.33 → 1.35 failed',
    ],
  ])('prints %s', (_label, dispatched, line) => {
    expect(upgradeLines({ heldByWaves: [], dispatch: dispatch(dispatched) })).toEqual([line]);
  });

  it('prints the upgrades first, then the clusters held by waves, then those the dispatcher held', () => {
    const lines = upgradeLines({
      heldByWaves: [payments],
      dispatch: dispatch(
        entry('x', { code: 'CAP_REACHED', reason: 'cap reached' }),
        entry('dev-sandbox', { code: 'STARTED', outcome: { status: 'SUCCEEDED', error: null, cause: null } }),
      ),
    });

    expect(lines).toEqual([
      'upgrade dev-sandbox 1.33 → 1.35: STARTED, SUCCEEDED',
      `held payments-api: WAVE_NOT_READY: ${payments.reason}`,
      'held x: CAP_REACHED: cap reached',
    ]);
  });

  it('prints nothing when the run started and held nothing, or its output has no upgrade part', () => {
    expect(upgradeLines({ heldByWaves: [], dispatch: dispatch() })).toEqual([]);
    expect(upgradeLines({})).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { summarize } from '../../functions/core/audit-report.ts';
import { buildDigest } from '../../functions/core/digest.ts';
import type { DigestCluster, DigestDetail } from '../../functions/core/digest.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import {
  OUT_OF_SCOPE,
  TARGET_UNREADABLE,
  isOutOfScope,
  judgeScope,
  runScope,
  staleMark,
} from '../../functions/core/run-scope.ts';
import { reportFromStoredFleet, reportTonight } from '../../functions/core/stored-fleet-report.ts';
import { report } from '../adapters/store/store-fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const LAST_SEEN = '2026-11-01T12:00:00.000Z';
const SCOPE = runScope([
  { accountId: '111122223333', region: 'eu-west-1' },
  { accountId: '111122223333', region: 'us-east-1' },
]);

/** A 1.29 cluster on extended support, billed $70 a month. */
function billed(name: string, overrides: Partial<ClusterReport> = {}): ClusterReport {
  return report(name, { extendedSupportMonthlyUsd: 70, ...overrides });
}

describe('judgeScope', () => {
  it('keeps a cluster whose account-region the run scheduled in scope', () => {
    expect(judgeScope(report('a'), SCOPE)).toMatchObject({ code: 'IN_SCOPE' });
  });

  it('puts a cluster of a region the run no longer audits out of scope, naming the region', () => {
    const decision = judgeScope(report('a', { region: 'ap-south-1' }), SCOPE);

    expect(decision.code).toBe(OUT_OF_SCOPE);
    expect(decision.reason).toContain('region ap-south-1 is no longer audited');
  });

  it('puts a cluster of an account the run no longer audits out of scope, naming the account', () => {
    const decision = judgeScope(report('a', { accountId: '999999999999' }), SCOPE);

    expect(decision.code).toBe(OUT_OF_SCOPE);
    expect(decision.reason).toContain('account 999999999999 is no longer audited');
  });
});

describe('staleMark', () => {
  it('marks nothing for a cluster read tonight', () => {
    expect(staleMark({ report: report('a'), stale: false, auditedAt: LAST_SEEN }, SCOPE)).toBeNull();
  });

  it('marks an out-of-scope cluster OUT_OF_SCOPE with its last-seen date, before its stored stale flag', () => {
    const stored = { report: report('a', { accountId: '9' }), stale: true, auditedAt: LAST_SEEN, staleReason: 'x' };

    expect(staleMark(stored, SCOPE)).toMatchObject({ code: OUT_OF_SCOPE, lastSeen: LAST_SEEN });
  });

  it('marks a stale cluster TARGET_UNREADABLE with its stored reason, or a default one', () => {
    const stored = { report: report('a'), stale: true, auditedAt: LAST_SEEN };

    expect(staleMark({ ...stored, staleReason: 'MEMBER_ACCESS_DENIED: no' }, SCOPE)).toEqual({
      code: TARGET_UNREADABLE,
      lastSeen: LAST_SEEN,
      reason: 'MEMBER_ACCESS_DENIED: no',
    });
    expect(staleMark({ ...stored, staleReason: null }, null)?.reason).toContain('could not be read');
  });

  it('cannot mark a cluster whose last read is unknown', () => {
    expect(staleMark({ report: report('a', { accountId: '9' }), stale: true }, SCOPE)).toBeNull();
  });
});

describe('reportTonight with the run scope', () => {
  it('re-judges an out-of-scope cluster at tonight and marks it, though its stored flag says fresh', () => {
    const stored = { report: billed('gone', { accountId: '999999999999' }), stale: false, auditedAt: LAST_SEEN };

    const out = reportTonight(stored, NOW, SCOPE);

    expect(out.stale).toMatchObject({ code: OUT_OF_SCOPE, lastSeen: LAST_SEEN });
    expect(out.deadline?.daysRemaining).not.toBe(40);
    expect(isOutOfScope(out)).toBe(true);
  });

  it('keeps an in-scope fresh cluster exactly as stored', () => {
    const stored = { report: report('here'), stale: false, auditedAt: LAST_SEEN };

    expect(reportTonight(stored, NOW, SCOPE)).toBe(stored.report);
  });
});

describe('summarize', () => {
  it('counts an out-of-scope cluster but leaves it out of the extended-support cost', () => {
    const inScope = billed('a');
    const gone = { ...billed('b'), stale: { code: OUT_OF_SCOPE, lastSeen: LAST_SEEN, reason: 'gone' } } as const;
    const unreadable = {
      ...billed('c'),
      stale: { code: TARGET_UNREADABLE, lastSeen: LAST_SEEN, reason: 'denied' },
    } as const;

    const summary = summarize([inScope, gone, unreadable], 0);

    expect(summary.clusters).toBe(3);
    expect(summary.extendedSupportMonthlyUsd).toBe(140);
  });
});

describe('reportFromStoredFleet with the scheduled account-regions', () => {
  it('marks the clusters of an account the run did not schedule and leaves them out of the cost', () => {
    const out = reportFromStoredFleet({
      clusters: [
        { report: billed('here'), stale: false, deletedAt: null, auditedAt: NOW.toISOString() },
        { report: billed('gone', { accountId: '999999999999' }), stale: false, deletedAt: null, auditedAt: LAST_SEEN },
      ],
      outcomes: [{ accountId: '111122223333', region: 'eu-west-1', status: 'OK' }],
      regions: ['eu-west-1'],
      now: NOW,
      generatedAt: NOW,
      scheduled: [{ accountId: '111122223333', region: 'eu-west-1' }],
    });

    expect(out.clusters.map((c) => [c.name, c.stale?.code ?? null, c.stale?.lastSeen ?? null])).toEqual([
      ['here', null, null],
      ['gone', OUT_OF_SCOPE, LAST_SEEN],
    ]);
    expect(out.summary.clusters).toBe(2);
    expect(out.summary.extendedSupportMonthlyUsd).toBe(70);
  });
});

describe('the digest of a fleet with an out-of-scope cluster', () => {
  const here: DigestCluster = {
    report: billed('here'),
    auditedAt: NOW.toISOString(),
    stale: false,
    staleSince: null,
    staleReason: null,
  };
  const gone: DigestCluster = {
    report: reportTonight(
      { report: billed('gone', { accountId: '999999999999' }), stale: false, auditedAt: LAST_SEEN },
      NOW,
      SCOPE,
    ),
    auditedAt: LAST_SEEN,
    stale: false,
    staleSince: null,
    staleReason: null,
  };
  const digest = buildDigest({
    runId: 'r',
    now: NOW,
    clusters: [here, gone],
    failedTargets: [],
    deleted: [],
    alertsSent: 0,
  });
  const detail = digest.event.detail as unknown as DigestDetail;

  it('lists it as stale with OUT_OF_SCOPE, its last-seen date and why, and counts it', () => {
    expect(detail.staleClusters).toEqual([
      expect.objectContaining({
        name: 'gone',
        accountId: '999999999999',
        code: OUT_OF_SCOPE,
        lastAuditedAt: LAST_SEEN,
        reason: expect.stringContaining('account 999999999999 is no longer audited') as unknown,
      }),
    ]);
    expect(detail.staleClustersTotal).toBe(1);
    expect(detail.outOfScopeClustersTotal).toBe(1);
    expect(detail.mostUrgent.find((c) => c.name === 'gone')?.stale).toBe(true);
  });

  it('leaves it out of the cost and says so in the text', () => {
    expect(detail.extendedSupportMonthlyUsd).toBe(70);
    expect(digest.event.text).toContain('1 cluster no longer audited (out of scope) left out of the cost.');
    expect(digest.event.text).toContain(`gone (999999999999, eu-west-1) 1.29`);
    expect(digest.event.text).toContain(`[out of scope: last read ${LAST_SEEN}]`);
    expect(digest.event.text).toContain(`last read ${LAST_SEEN}, out of scope: account 999999999999`);
  });

  it('lists an unreadable stale cluster as TARGET_UNREADABLE with its stored reason', () => {
    const stale: DigestCluster = { ...here, stale: true, staleSince: LAST_SEEN, staleReason: 'denied' };
    const out = buildDigest({ runId: 'r', now: NOW, clusters: [stale], failedTargets: [], deleted: [], alertsSent: 0 })
      .event.detail as unknown as DigestDetail;

    expect(out.staleClusters[0]).toMatchObject({ code: TARGET_UNREADABLE, reason: 'denied', staleSince: LAST_SEEN });
    expect(out.outOfScopeClustersTotal).toBe(0);
  });
});

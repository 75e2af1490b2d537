import { describe, expect, it } from 'vitest';
import {
  DIGEST_TOP_CLUSTERS,
  buildDigest,
  compareUrgency,
  digestDetail,
  groupFailedAccountRegions,
} from '../../functions/core/digest.ts';
import type { DigestCluster, DigestDetail, DigestInput } from '../../functions/core/digest.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import type { Severity } from '../../functions/core/types.ts';
import { report } from '../adapters/store/store-fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const AUDITED = '2026-11-22T12:00:00.000Z';

function cluster(
  name: string,
  severity: Severity,
  daysRemaining: number | null,
  overrides: Partial<ClusterReport> = {},
): ClusterReport {
  return report(name, {
    severity,
    deadline: daysRemaining === null ? null : { date: '2026-12-01', consequence: 'AUTO_UPGRADE', daysRemaining },
    ...overrides,
  });
}

function fresh(r: ClusterReport): DigestCluster {
  return { report: r, auditedAt: AUDITED, stale: false, staleSince: null, staleReason: null };
}

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return { runId: 'run-1', now: NOW, clusters: [], failedTargets: [], deleted: [], alertsSent: 0, ...overrides };
}

function detailOf(i: DigestInput): DigestDetail {
  return buildDigest(i).event.detail as unknown as DigestDetail;
}

describe('compareUrgency', () => {
  it.each([
    ['a more severe cluster first', cluster('z', 'EXPIRED', 100), cluster('a', 'CRITICAL', 1)],
    ['fewer days first at equal severity', cluster('z', 'WARNING', 40), cluster('a', 'WARNING', 80)],
    [
      'a cluster without a deadline before one with a deadline',
      cluster('z', 'EXPIRED', null),
      cluster('a', 'EXPIRED', -300),
    ],
    ['account, region, name at equal severity and days', cluster('a', 'OK', 300), cluster('b', 'OK', 300)],
    ['account, region, name when neither has a deadline', cluster('a', 'EXPIRED', null), cluster('b', 'EXPIRED', null)],
  ])('puts %s', (_rule, first, second) => {
    expect(compareUrgency(first, second)).toBeLessThan(0);
    expect(compareUrgency(second, first)).toBeGreaterThan(0);
  });
});

describe('groupFailedAccountRegions', () => {
  it('joins the regions of one account failing alike, sorted, and keeps different causes apart', () => {
    const denied = { accountId: '333333333333', code: 'MEMBER_ACCESS_DENIED', message: 'cannot assume' };

    expect(
      groupFailedAccountRegions([
        { ...denied, region: 'us-east-1' },
        { ...denied, region: 'eu-west-1' },
        { ...denied, region: 'eu-west-1' },
        { accountId: '111111111111', region: 'us-east-1', code: 'THROTTLED', message: 'slow down' },
        { accountId: '111111111111', region: null, code: 'ENDPOINT_UNREACHABLE', message: 'no answer' },
      ]),
    ).toEqual([
      { accountId: '111111111111', regions: [], code: 'ENDPOINT_UNREACHABLE', message: 'no answer' },
      { accountId: '111111111111', regions: ['us-east-1'], code: 'THROTTLED', message: 'slow down' },
      { ...denied, regions: ['eu-west-1', 'us-east-1'] },
    ]);
  });
});

describe('buildDigest', () => {
  it('counts clusters by severity, sums the extended-support bill and says how many alerts the run sent', () => {
    const digest = buildDigest(
      input({
        clusters: [
          fresh(cluster('a', 'EXPIRED', -3)),
          fresh(cluster('b', 'WARNING', 200, { extendedSupportMonthlyUsd: 365 })),
          fresh(cluster('c', 'WARNING', 60, { extendedSupportMonthlyUsd: 365 })),
          fresh(cluster('d', 'OK', 400)),
        ],
        alertsSent: 2,
      }),
    );

    expect(digest.subject).toBe('EKS digest 2026-11-22: 4 clusters, 1 EXPIRED, 2 WARNING');
    expect(digest.attributes).toEqual({ type: 'DIGEST', severity: 'EXPIRED', accountId: 'ALL' });
    expect(digest.event).toMatchObject({
      schemaVersion: 1,
      type: 'DIGEST',
      detail: {
        runId: 'run-1',
        now: '2026-11-22T12:00:00.000Z',
        clusters: 4,
        bySeverity: { OK: 1, NOTICE: 0, WARNING: 2, CRITICAL: 0, EXPIRED: 1 },
        extendedSupportMonthlyUsd: 730,
        alertsSent: 2,
      },
    });
    expect(digest.event.cluster).toBeUndefined();
    expect(digest.event.text).toMatch(
      /^EKS fleet digest for 2026-11-22 \(run run-1\): 4 clusters \(1 EXPIRED, 2 WARNING, 1 OK\)\. Extended support costs \$730\/month\. 2 deadline alerts sent by this run\./,
    );
  });

  it('names the ten most urgent clusters, most urgent first', () => {
    const clusters = Array.from({ length: 12 }, (_, i) =>
      fresh(cluster(`c${String(i).padStart(2, '0')}`, 'NOTICE', 100 + i)),
    );
    clusters.push(fresh(cluster('worst', 'CRITICAL', 3)));

    const detail = detailOf(input({ clusters }));

    expect(detail.mostUrgent).toHaveLength(DIGEST_TOP_CLUSTERS);
    expect(detail.mostUrgent.map((c) => c.name).slice(0, 3)).toEqual(['worst', 'c00', 'c01']);
    expect(buildDigest(input({ clusters })).event.text).toContain(
      '  1. CRITICAL worst (111122223333, eu-west-1) 1.29: automatic upgrade in 3 days (2026-12-01)',
    );
  });

  it.each([
    [cluster('a', 'EXPIRED', -3), 'automatic upgrade deadline 2026-12-01 passed'],
    [cluster('a', 'EXPIRED', null), 'version 1.29 is not in the support calendar'],
    [cluster('a', 'CRITICAL', 1), 'automatic upgrade in 1 day (2026-12-01)'],
    [
      cluster('a', 'WARNING', 40, {
        deadline: { date: '2026-12-31', consequence: 'EXTENDED_BILLING', daysRemaining: 40 },
      }),
      'extended-support billing in 40 days (2026-12-31)',
    ],
    [
      cluster('a', 'WARNING', 200, { extendedSupportMonthlyUsd: 365 }),
      'automatic upgrade in 200 days (2026-12-01), $365/month',
    ],
  ])('describes the deadline of %#', (r, words) => {
    expect(buildDigest(input({ clusters: [fresh(r)] })).event.text).toContain(words);
  });

  it('lists the account-regions it could not read and the stale clusters with their last known state', () => {
    const stale: DigestCluster = {
      report: cluster('legacy', 'CRITICAL', 10, { accountId: '333333333333', region: 'us-east-1' }),
      auditedAt: '2026-11-21T12:00:00.000Z',
      stale: true,
      staleSince: '2026-11-22T12:00:00.000Z',
      staleReason: 'MEMBER_ACCESS_DENIED: cannot assume',
    };
    const failedTargets = ['us-east-1', 'eu-west-1'].map((region) => ({
      accountId: '333333333333',
      region,
      code: 'MEMBER_ACCESS_DENIED',
      message: 'cannot assume',
    }));

    const digest = buildDigest(input({ clusters: [fresh(cluster('ok', 'OK', 400)), stale], failedTargets }));

    expect(digest.subject).toBe('EKS digest 2026-11-22: 2 clusters, 1 CRITICAL; 2 regions unreadable');
    expect(digest.event.detail).toMatchObject({
      failedTargets: [{ accountId: '333333333333', regions: ['eu-west-1', 'us-east-1'] }],
      staleClusters: [
        {
          name: 'legacy',
          lastAuditedAt: '2026-11-21T12:00:00.000Z',
          staleSince: '2026-11-22T12:00:00.000Z',
          reason: 'MEMBER_ACCESS_DENIED: cannot assume',
        },
      ],
      mostUrgent: [
        { name: 'legacy', stale: true },
        { name: 'ok', stale: false },
      ],
    });
    expect(digest.event.text).toContain('2 account-regions could not be read; their clusters are stale.');
    expect(digest.event.text).toContain(
      'Could not be read:\n  333333333333 (eu-west-1, us-east-1): MEMBER_ACCESS_DENIED: cannot assume',
    );
    expect(digest.event.text).toContain('[stale: last read 2026-11-21T12:00:00.000Z]');
    expect(digest.event.text).toContain(
      'Stale (last known state kept):\n  legacy (333333333333, us-east-1) 1.29 CRITICAL, last read 2026-11-21T12:00:00.000Z, stale since 2026-11-22T12:00:00.000Z: MEMBER_ACCESS_DENIED: cannot assume',
    );
  });

  it('keeps a ten-cluster, four-severity subject with unreadable regions whole, within 100 characters', () => {
    const severities: Severity[] = ['EXPIRED', 'EXPIRED', 'CRITICAL', 'WARNING', 'WARNING', 'WARNING', 'WARNING'];
    const clusters = [...severities, 'WARNING', 'NOTICE', 'OK'].map((severity, i) =>
      fresh(cluster(`c${i}`, severity as Severity, 100)),
    );
    const failedTargets = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'].map((region) => ({
      accountId: '567890123456',
      region,
      code: 'MEMBER_ACCESS_DENIED',
      message: 'cannot assume',
    }));

    const { subject } = buildDigest(input({ clusters, failedTargets }));

    expect(subject).toBe(
      'EKS digest 2026-11-22: 10 clusters, 2 EXPIRED, 1 CRITICAL, 5 WARNING, 1 NOTICE; 4 regions unreadable',
    );
    expect(subject.length).toBeLessThanOrEqual(100);
  });

  it('says "all regions" for a whole account that failed, and lists stale clusters by place, plainly when no reason is known', () => {
    const x: DigestCluster = { ...fresh(cluster('x', 'OK', 400)), stale: true };
    const w: DigestCluster = { ...fresh(cluster('w', 'OK', 500)), stale: true };
    const digestInput = input({
      clusters: [x, w],
      failedTargets: [{ accountId: '333333333333', region: null, code: 'THROTTLED', message: 'slow' }],
    });

    const text = buildDigest(digestInput).event.text;

    expect(digestDetail(digestInput).staleClusters.map((c) => c.name)).toEqual(['w', 'x']);

    expect(text).toContain('  333333333333 (all regions): THROTTLED: slow');
    expect(text).toMatch(/^ {2}x \(111122223333, eu-west-1\) 1\.29 OK, last read 2026-11-22T12:00:00\.000Z$/m);
    expect(text).toContain('1 account-region could not be read');
  });

  it('lists the clusters the run found deleted', () => {
    const deleted = [{ accountId: '111122223333', region: 'eu-west-1', name: 'gone', arn: 'arn:gone' }];

    const digest = buildDigest(input({ deleted }));

    expect(digestDetail(input({ deleted })).deletedClusters).toEqual(deleted);
    expect(digest.event.text).toContain('No longer found (marked deleted):\n  gone (111122223333, eu-west-1)');
  });

  it('reports an empty fleet as OK, in one sentence', () => {
    const digest = buildDigest(input());

    expect(digest.subject).toBe('EKS digest 2026-11-22: 0 clusters');
    expect(digest.attributes.severity).toBe('OK');
    expect(digest.event.text).toBe(
      'EKS fleet digest for 2026-11-22 (run run-1): 0 clusters. Extended support costs $0/month. 0 deadline alerts sent by this run.',
    );
  });

  it('keeps the subject within the 100 characters SNS allows', () => {
    const many = (severity: Severity, n: number): DigestCluster[] =>
      Array.from({ length: n }, (_, i) => fresh(cluster(`${severity}-${i}`, severity, 10)));
    const failedTargets = Array.from({ length: 120 }, (_, i) => ({
      accountId: String(100000000000 + i),
      region: 'us-east-1',
      code: 'THROTTLED',
      message: 'slow',
    }));

    const digest = buildDigest(
      input({
        clusters: [...many('EXPIRED', 101), ...many('CRITICAL', 202), ...many('WARNING', 303), ...many('NOTICE', 404)],
        failedTargets,
      }),
    );

    expect(digest.subject.length).toBeLessThanOrEqual(100);
    expect(digest.subject).toMatch(/^EKS digest 2026-11-22: 1010 clusters, 101 EXPIRED/);
  });
});

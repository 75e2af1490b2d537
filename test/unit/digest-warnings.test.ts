import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../functions/core/digest.ts';
import type { DigestCluster, DigestDetail, DigestInput } from '../../functions/core/digest.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import { report } from '../adapters/store/store-fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

function fresh(r: ClusterReport): DigestCluster {
  return { report: r, auditedAt: NOW.toISOString(), stale: false, staleSince: null, staleReason: null };
}

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return { runId: 'run-1', now: NOW, clusters: [], failedTargets: [], deleted: [], alertsSent: 0, ...overrides };
}

describe('the digest warnings part', () => {
  it('names what degraded and the clusters read only in part', () => {
    const partial = report('billing', {
      partial: [{ operation: 'ListInsights', code: 'ACCESS_DENIED', message: 'ListInsights …: HTTP 403' }],
    });
    const digest = buildDigest(
      input({
        clusters: [fresh(report('whole')), fresh(partial)],
        warnings: [
          {
            accountId: null,
            region: 'eu-west-1',
            code: 'CALENDAR_FALLBACK',
            message: 'the bundled support calendar is used: DescribeClusterVersions in eu-west-1: HTTP 404',
          },
        ],
      }),
    );
    const detail = digest.event.detail as unknown as DigestDetail;
    expect(detail.partialClusters).toEqual([`billing (${partial.accountId}, eu-west-1)`]);
    expect(detail.warnings?.map((w) => w.code)).toEqual(['CALENDAR_FALLBACK']);
    expect(digest.event.text).toContain(
      'Warnings:\n  eu-west-1: CALENDAR_FALLBACK: the bundled support calendar is used: DescribeClusterVersions in eu-west-1: HTTP 404\n' +
        `  read in part (no upgrade until known): billing (${partial.accountId}, eu-west-1)`,
    );
  });

  it('has no warnings part when nothing degraded', () => {
    const digest = buildDigest(input({ clusters: [fresh(report('whole'))] }));
    expect(digest.event.text).not.toContain('Warnings:');
    expect(digest.event.detail).not.toHaveProperty('warnings');
    expect(digest.event.detail).not.toHaveProperty('partialClusters');
  });
});

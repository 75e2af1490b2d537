import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { assessCluster } from '../../functions/core/cluster-assessment.ts';
import { reassessAt } from '../../functions/core/reassess.ts';
import type { ClusterState } from '../../functions/core/types.ts';

function cluster(version: string): ClusterState {
  return {
    accountId: '210987654321',
    region: 'us-east-1',
    name: 'payments-api',
    arn: 'arn:aws:eks:us-east-1:210987654321:cluster/payments-api',
    version,
    platformVersion: 'eks.1',
    status: 'ACTIVE',
    supportType: 'EXTENDED',
    tags: {},
    autoMode: false,
    nodegroups: [],
    addons: [],
    fargateProfiles: [],
    insights: [],
    updateInProgress: false,
    versionSince: null,
  };
}

function seen(version: string, at: string): ReturnType<typeof assessCluster> {
  return assessCluster(cluster(version), {
    calendar: BUNDLED_CALENDAR,
    catalog: {},
    now: new Date(at),
    fleet: [],
  });
}

describe('reassessAt', () => {
  it('moves a 1.34 cluster last seen 10 days before billing into extended-support billing 18 days later', () => {
    const stored = seen('1.34', '2026-11-22T12:00:00Z');
    expect(stored).toMatchObject({ severity: 'CRITICAL', extendedSupportMonthlyUsd: 0 });

    const now = reassessAt(stored, new Date('2026-12-20T12:00:00Z'));

    expect(now).toMatchObject({
      supportStatus: 'EXTENDED_SUPPORT',
      deadline: { date: '2027-12-02', consequence: 'AUTO_UPGRADE', daysRemaining: 347 },
      severity: 'WARNING',
      extendedSupportMonthlyUsd: 365,
    });
    expect(now.findings).toBe(stored.findings);
  });

  it('is exactly the assessment at the same instant', () => {
    const at = '2026-11-22T12:00:00Z';
    expect(reassessAt(seen('1.31', at), new Date(at))).toEqual(seen('1.31', at));
  });

  it('leaves a report without calendar dates as it is', () => {
    const stored = seen('1.22', '2026-11-22T12:00:00Z');
    expect(reassessAt(stored, new Date('2027-01-01T00:00:00Z'))).toBe(stored);
  });
});

import { describe, expect, it } from 'vitest';
import { escapeHtml, formatHtml } from '../../functions/cli/format-html.ts';
import { DETAIL_LIMIT, OPEN_LIMIT, URGENT_COUNT } from '../../functions/cli/html/clusters.ts';
import { TIMELINE_CLUSTER_ROWS } from '../../functions/cli/html/timeline.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';
import { SEVERITIES } from '../../functions/core/types.ts';
import type { Severity } from '../../functions/core/types.ts';

const HOSTILE = '<script>alert(1)</script>';
const ATTRIBUTE = '"onmouseover="alert(1)';

function cluster(name: string, overrides: Partial<ClusterReport> = {}): ClusterReport {
  return {
    accountId: '111111111111',
    region: 'eu-west-1',
    name,
    arn: `arn:aws:eks:eu-west-1:111111111111:cluster/${name}`,
    version: '1.32',
    platformVersion: 'eks.10',
    status: 'ACTIVE',
    supportType: 'EXTENDED',
    supportStatus: 'EXTENDED_SUPPORT',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
    deadline: { date: '2027-03-23', consequence: 'AUTO_UPGRADE', daysRemaining: 121 },
    severity: 'WARNING',
    extendedSupportMonthlyUsd: 365,
    nodegroups: [{ name: 'ng-1', version: '1.31', releaseVersion: null, status: 'ACTIVE', skew: 1 }],
    addons: [],
    findings: [{ code: 'EXTENDED_SUPPORT_BILLING', severity: 'WARNING', message: 'billed for extended support' }],
    upgrade: {
      optedIn: false,
      target: '1.34',
      path: ['1.33', '1.34'],
      eligible: false,
      blockers: [{ code: 'NOT_OPTED_IN', message: 'not opted in' }],
      nextWindowStart: null,
      wave: 0,
      rolloutGroup: 'default',
    },
    ...overrides,
  };
}

function report(clusters: ClusterReport[], extra: Partial<AuditReport> = {}): AuditReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, clusters.filter((c) => c.severity === s).length]));
  return {
    schemaVersion: 1,
    generatedAt: '2026-11-22T12:00:00.000Z',
    now: '2026-11-22T12:00:00.000Z',
    summary: {
      clusters: clusters.length,
      bySeverity: bySeverity as Record<Severity, number>,
      errors: extra.errors?.length ?? 0,
      extendedSupportMonthlyUsd: clusters.reduce((sum, c) => sum + c.extendedSupportMonthlyUsd, 0),
    },
    clusters,
    errors: [],
    ...extra,
  };
}

function many(count: number): ClusterReport[] {
  const severities: Severity[] = ['EXPIRED', 'CRITICAL', 'WARNING', 'NOTICE', 'OK'];
  return Array.from({ length: count }, (_, i) =>
    cluster(`c-${i}`, {
      accountId: String(200_000_000_000 + (i % 7)),
      version: `1.${29 + (i % 5)}`,
      severity: severities[i % 5] as Severity,
      findings: [{ code: 'INSIGHT_WARNING', severity: 'NOTICE', message: `long finding text ${i}` }],
    }),
  );
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('formatHtml', () => {
  it('escapes every member-controlled string: names, regions, tags, messages, account names, owners, errors, warnings', () => {
    const hostile = cluster(HOSTILE, {
      region: ATTRIBUTE,
      version: HOSTILE,
      findings: [{ code: 'INVALID_OPT_IN_TAG', severity: 'WARNING', message: `tag wave=${ATTRIBUTE} ${HOSTILE}` }],
      upgrade: {
        ...cluster('x').upgrade,
        optedIn: true,
        blockers: [
          { code: 'INVALID_OPT_IN_TAG', message: `tag fleet-auditor/wave=${ATTRIBUTE} is invalid ${HOSTILE}` },
        ],
      },
      nodegroups: [{ name: HOSTILE, version: '1.31', releaseVersion: null, status: 'ACTIVE', skew: 1 }],
    });
    const withExtras = { ...hostile, accountName: ATTRIBUTE, owner: HOSTILE };
    const html = formatHtml(
      report([withExtras], {
        errors: [{ accountId: HOSTILE, region: ATTRIBUTE, code: 'ACCESS_DENIED', message: HOSTILE }],
        ...{ warnings: [{ accountId: null, region: null, code: 'CALENDAR_FALLBACK', message: HOSTILE }] },
      }),
    );

    expect(html).not.toContain('<script');
    expect(html).not.toContain('"onmouseover=');
    expect(html).not.toContain('<b><script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;onmouseover=&quot;alert(1)');
    expect(html.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it('puts the unreadable account-regions before the summary cards, and the cards show the summary', () => {
    const html = formatHtml(
      report([cluster('a'), cluster('b', { severity: 'EXPIRED', extendedSupportMonthlyUsd: 0 })], {
        errors: [{ accountId: '999999999999', region: null, code: 'MEMBER_ACCESS_DENIED', message: 'cannot assume' }],
      }),
    );

    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|https?:\/\//);
    expect(html.indexOf('id="errors"')).toBeGreaterThan(0);
    expect(html.indexOf('id="errors"')).toBeLessThan(html.indexOf('class="cards"'));
    expect(html).toContain('1 account/region not audited');
    expect(html).toContain('999999999999</b> · all regions');
    expect(html).toMatch(/id="card-usd">.*\$365<small>\/month/);
    expect(html).toContain('$4,380 a year · 1 cluster billed');
    expect(html).toMatch(/data-severity="EXPIRED"><span class="sev EXPIRED">EXPIRED<\/span><div class="v">1</);
    expect(html).toMatch(/data-severity="WARNING"><span class="sev WARNING">WARNING<\/span><div class="v">1</);
  });

  it('draws one timeline row per cluster for a small fleet, one per version for a large one, with today marked', () => {
    const small = formatHtml(report([cluster('a'), cluster('b')]));
    const large = formatHtml(report(many(TIMELINE_CLUSTER_ROWS + 1)));

    expect(small.match(/<div class="tl-row"><div class="tl-label">/g)).toHaveLength(2);
    expect(small).toContain('Today 2026-11-22');
    expect(large.match(/<div class="tl-row"><div class="tl-label">/g)).toHaveLength(5);
    expect(large).toContain('<b>Kubernetes 1.29</b>');
  });

  it('rolls up by account (with unreadable accounts) and, when the report has owners, by owner', () => {
    const owned = [
      { ...cluster('a'), owner: 'payments', accountName: 'payments-prod' },
      { ...cluster('b', { severity: 'CRITICAL' }), owner: null, accountName: 'payments-prod' },
    ];
    const html = formatHtml(
      report(owned, { errors: [{ accountId: '333333333333', region: 'us-east-1', code: 'X', message: 'y' }] }),
    );
    const without = formatHtml(report([cluster('a')]));

    expect(html).toContain('<b>payments-prod</b> <small>111111111111</small>');
    expect(html).toContain('<td><b>333333333333</b></td>');
    expect(html).toContain('<b>payments</b>');
    expect(html).toContain('no owner tag');
    expect(without).toContain('This report carries no owners');
  });

  it('shows what to do next per cluster, and the newer plan fields when present', () => {
    const baking = {
      ...cluster('b', { upgrade: { ...cluster('x').upgrade, optedIn: true, blockers: [] } }),
      strategy: { recommended: 'IN_PLACE' as const, reasons: [] },
      rollback: { available: true, toVersion: '1.31', until: '2026-11-28T00:00:00.000Z', blockers: [] },
      upgrade: {
        ...cluster('x').upgrade,
        optedIn: true,
        phase: 'BAKING' as const,
        bakeUntil: '2026-11-23T00:00:00.000Z',
      },
    };
    const blueGreen = { ...cluster('g'), strategy: { recommended: 'BLUE_GREEN' as const, reasons: [] } };
    const html = formatHtml(report([cluster('a'), baking, blueGreen]), { tagPrefix: 'acme/' });

    expect(html).toContain('data-code="UPGRADE_NODEGROUPS">Upgrade node group ng-1 (1.31) to 1.32');
    expect(html).toContain('Or opt in with tag acme/auto-upgrade=true');
    expect(html).toContain('<span class="tag NOTICE">BAKING until 2026-11-23T00:00</span>');
    expect(html).toContain('<span class="tag">rollback to 1.31 until 2026-11-28</span>');
    expect(html).toContain('blue/green recommended');
    expect(html).toContain('data-code="PLAN_BLUE_GREEN"');
  });

  it('opens every account of a small fleet and lists the most urgent clusters first in a large one', () => {
    const small = formatHtml(report(many(OPEN_LIMIT)));
    const large = formatHtml(report(many(OPEN_LIMIT + 1)));

    expect(small).not.toContain('id="urgent"');
    expect(small.match(/<details class="acct" open/g)).toHaveLength(7);
    expect(large).toContain(`Act first: the ${URGENT_COUNT} most urgent clusters`);
    expect(large).not.toContain('<details class="acct" open');
  });

  it('keeps rows of a very large fleet short: no reasons and no finding texts, under 600 bytes a cluster', () => {
    const count = Math.max(DETAIL_LIMIT + 1, 2000);
    const html = formatHtml(report(many(count)));

    expect(html).not.toContain(`long finding text ${count - 1}`);
    expect(html).toContain('every message is in <code>--format json</code>');
    expect(Buffer.byteLength(html) / count).toBeLessThan(600);
  });

  it('says so when there are no clusters', () => {
    const html = formatHtml(report([]));

    expect(html).toContain('No clusters were found.');
    expect(html).not.toContain('id="timeline"');
  });
});

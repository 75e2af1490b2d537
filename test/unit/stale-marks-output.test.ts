import { describe, expect, it } from 'vitest';
import { formatHtml } from '../../functions/cli/format-html.ts';
import { formatTable } from '../../functions/cli/format-table.ts';
import { assembleReport } from '../../functions/core/audit-report.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';
import { OUT_OF_SCOPE } from '../../functions/core/run-scope.ts';
import { report } from '../adapters/store/store-fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const LAST_SEEN = '2026-11-01T12:00:00.000Z';

function outOfScope(name: string): ClusterReport {
  return report(name, {
    accountId: '999999999999',
    extendedSupportMonthlyUsd: 70,
    stale: { code: OUT_OF_SCOPE, lastSeen: LAST_SEEN, reason: 'account 999999999999 is no longer audited' },
  });
}

function fleet(clusters: readonly ClusterReport[]): AuditReport {
  return assembleReport({ clusters, errors: [], now: NOW });
}

describe('a stored fleet report with marked clusters', () => {
  it('lists each as a STALE line in the table, and the cost total without it', () => {
    const text = formatTable(fleet([report('here', { extendedSupportMonthlyUsd: 70 }), outOfScope('gone')]), {
      colour: false,
    });

    expect(text).toContain(
      `STALE  gone (999999999999, eu-west-1) OUT_OF_SCOPE, last seen ${LAST_SEEN}: account 999999999999 is no longer audited`,
    );
    expect(text).not.toMatch(/STALE {2}here/);
    expect(text).toContain('2 clusters (2 WARNING); extended support $70/month');
  });

  it('names at most ten in the table and counts the rest', () => {
    const text = formatTable(fleet(Array.from({ length: 12 }, (_, i) => outOfScope(`c${i}`))), { colour: false });

    expect(text.split('\n').filter((line) => line.startsWith('STALE  c'))).toHaveLength(10);
    expect(text).toContain('STALE  … and 2 more');
  });

  it('shows them in the HTML report under the title, with code, last seen and reason', () => {
    const html = formatHtml(fleet([report('here'), outOfScope('gone')]));

    expect(html).toContain('<section class="alert warn" id="stale"><h2>1 cluster at their last known state</h2>');
    expect(html).toMatch(
      /gone · .*999999999999.* · eu-west-1 — <code>OUT_OF_SCOPE<\/code> last seen 2026-11-01 12:00 UTC/,
    );
  });

  it('has no stale section when nothing is marked', () => {
    expect(formatHtml(fleet([report('here')]))).not.toContain('id="stale"');
  });
});

/** Roll-ups: clusters, severities and money per account and per owner, worst first. */
import type { AuditReport, ClusterReport } from '../../core/report-types.ts';
import type { Severity } from '../../core/types.ts';
import { escapeHtml as e } from './escape.ts';
import { accountLabel, accountNames, countBySeverity, severityBar, URGENT_FIRST, usd } from './parts.ts';
import { clusterExtras, reportHasOwners } from './report-extras.ts';

interface Group {
  readonly label: string;
  readonly clusters: readonly ClusterReport[];
  readonly notAudited: number;
}

function rank(group: Group): number[] {
  const counts = countBySeverity(group.clusters);
  return [group.notAudited > 0 ? 1 : 0, ...URGENT_FIRST.map((s) => counts[s])];
}

function byWorst(a: Group, b: Group): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i += 1) {
    const d = (rb[i] ?? 0) - (ra[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function table(title: string, first: string, groups: readonly Group[], withErrors: boolean): string {
  const head = URGENT_FIRST.map((s: Severity) => `<th class="n" title="${s}">${s}</th>`).join('');
  const rows = [...groups].sort(byWorst).map((g) => {
    const counts = countBySeverity(g.clusters);
    const money = g.clusters.reduce((sum, c) => sum + c.extendedSupportMonthlyUsd, 0);
    const cells = URGENT_FIRST.map((s) => `<td class="n ${counts[s] === 0 ? 'z' : s}">${counts[s]}</td>`).join('');
    const errors = withErrors ? `<td class="n ${g.notAudited > 0 ? 'CRITICAL' : 'z'}">${g.notAudited}</td>` : '';
    return `<tr><td>${g.label}</td><td class="mix">${severityBar(counts, 'mini')}</td><td class="n">${g.clusters.length}</td>${cells}<td class="n">${money === 0 ? '–' : usd(money)}</td>${errors}</tr>`;
  });
  return (
    `<div><h3 class="mut" style="font-size:13px;margin:0 0 6px">${title}</h3><div class="scroll"><table>` +
    `<thead><tr><th>${first}</th><th class="mix">Mix</th><th class="n">Clusters</th>${head}<th class="n">$/month</th>${withErrors ? '<th class="n">Not audited</th>' : ''}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div></div>`
  );
}

/** Account and owner tables side by side (stacked on a phone). */
export function rollupHtml(report: AuditReport): string {
  const names = accountNames(report);
  const byAccount = new Map<string, ClusterReport[]>();
  for (const c of report.clusters) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
  const errorsByAccount = new Map<string, number>();
  for (const err of report.errors) errorsByAccount.set(err.accountId, (errorsByAccount.get(err.accountId) ?? 0) + 1);
  const accountIds = new Set([...byAccount.keys(), ...errorsByAccount.keys()]);
  const accounts: Group[] = [...accountIds].map((id) => ({
    label: accountLabel(id, names),
    clusters: byAccount.get(id) ?? [],
    notAudited: errorsByAccount.get(id) ?? 0,
  }));
  let owners: string;
  if (reportHasOwners(report)) {
    const byOwner = new Map<string, ClusterReport[]>();
    for (const c of report.clusters) {
      const owner = clusterExtras(c).owner ?? '';
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), c]);
    }
    const groups: Group[] = [...byOwner.entries()].map(([owner, clusters]) => ({
      label: owner === '' ? '<i class="mut">no owner tag</i>' : `<b>${e(owner)}</b>`,
      clusters,
      notAudited: 0,
    }));
    owners = table('By owner', 'Owner', groups, false);
  } else {
    owners =
      '<div><h3 class="mut" style="font-size:13px;margin:0 0 6px">By owner</h3><div class="panel mut">This report carries no owners. ' +
      'Tag clusters with <code>team</code> or <code>owner</code> and audit with a version that reports them.</div></div>';
  }
  return `<section id="rollup"><h2>Roll-up</h2><div class="two">${table('By account', 'Account', accounts, true)}${owners}</div></section>`;
}

/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core): the example fleet's report,
 * produced by the real CLI through the simulator, checked against the JSON report of the same audit, on a desktop
 * and on a 390 px phone; then a 5,000-cluster report for size, load time and layout. Screenshots go to
 * test-output/screenshots/ (git-ignored). Skipped only when /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../../functions/cli/format-html.ts';
import type { AuditReport, ClusterReport } from '../../functions/core/report-types.ts';
import { SEVERITIES } from '../../functions/core/types.ts';
import { runCli } from '../cli/cli-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const NOW = '2026-11-22T12:00:00Z';
const SHOTS = join('test-output', 'screenshots');

if (!HAS_CHROMIUM)
  console.warn(`html-report browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

async function audit(format: 'json' | 'html'): Promise<string> {
  const run = await runCli(NOW, ['audit', '--simulate', 'examples/fleet.json', '--now', NOW, '--format', format]);
  expect(run.code).toBe(0);
  return run.stdout;
}

/** A fleet of `count` clusters made from the example's rows (new names and accounts), one with a hostile name. */
function bigReport(base: AuditReport, count: number): AuditReport {
  const clusters: ClusterReport[] = [];
  for (let i = 0; i < count; i += 1) {
    const source = base.clusters[i % base.clusters.length] as ClusterReport;
    const accountId = String(100_000_000_000 + Math.floor(i / 100));
    clusters.push({ ...source, accountId, name: `${source.name}-${i}`, arn: `${source.arn}-${i}` });
  }
  clusters[7] = { ...(clusters[7] as ClusterReport), name: '<img src=x onerror="window.__xss=1">' };
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, clusters.filter((c) => c.severity === s).length]));
  return {
    ...base,
    clusters,
    summary: {
      ...base.summary,
      clusters: count,
      bySeverity: bySeverity as AuditReport['summary']['bySeverity'],
      extendedSupportMonthlyUsd: clusters.reduce((sum, c) => sum + c.extendedSupportMonthlyUsd, 0),
    },
  };
}

async function open(html: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

let browser: Browser;

describe.skipIf(!HAS_CHROMIUM)(
  `HTML report in chromium${HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} not installed)`}`,
  () => {
    let report: AuditReport;
    let html: string;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      report = JSON.parse(await audit('json')) as AuditReport;
      html = await audit('html');
      writeFileSync(join('test-output', 'example-report.html'), html);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('shows the summary of the JSON report, the unreadable account first, a timeline and every cluster (1280 px)', async () => {
      const requests: string[] = [];
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('request', (request) => requests.push(request.url()));
      await page.setContent(html, { waitUntil: 'load' });

      expect(requests).toEqual([]);
      const tile = (s: string): Promise<string> => page.locator(`.tile[data-severity="${s}"] .v`).innerText();
      for (const severity of SEVERITIES) expect(await tile(severity)).toBe(String(report.summary.bySeverity[severity]));
      expect(await page.locator('#card-clusters .v').innerText()).toBe(String(report.summary.clusters));
      expect(await page.locator('#card-errors .v').innerText()).toBe(String(report.summary.errors));
      expect(await page.locator('#card-usd .v').innerText()).toContain(
        `$${report.summary.extendedSupportMonthlyUsd.toLocaleString('en-US')}`,
      );
      const errors = await page.locator('#errors').boundingBox();
      const cards = await page.locator('.cards').boundingBox();
      expect(errors?.y).toBeLessThan(cards?.y ?? 0);
      expect(await page.locator('#errors').innerText()).toContain(report.errors[0]?.accountId ?? 'missing');
      expect(await page.locator('#timeline .tl-row:not(.tl-axis)').count()).toBe(report.clusters.length);
      expect(await page.locator('#timeline .today').count()).toBe(report.clusters.length);
      expect(await page.locator('#timeline .tday').innerText()).toBe('Today 2026-11-22');
      expect(await page.locator('#clusters .cl:not(.hdr)').count()).toBe(report.clusters.length);
      const accounts = new Set([...report.clusters.map((c) => c.accountId), ...report.errors.map((e) => e.accountId)]);
      expect(await page.locator('#rollup tbody tr').first().locator('td').count()).toBeGreaterThan(5);
      expect(await page.locator('#rollup table').first().locator('tbody tr').count()).toBe(accounts.size);
      const batch = page.locator('#clusters .cl', { hasText: 'payments-batch' });
      expect(await batch.locator('ol.na li').first().innerText()).toMatch(
        /^Upgrade node group workers \(1\.29\) to 1\.31/,
      );
      expect(await batch.locator(':scope > .sev').innerText()).toBe('EXPIRED');
      const colours = await page.evaluate<string[]>(
        `['EXPIRED', 'CRITICAL', 'WARNING', 'NOTICE', 'OK'].map(
        (s) => getComputedStyle(document.querySelector('.legend .sev.' + s)).backgroundColor)`,
      );
      expect(new Set(colours).size).toBe(5);
      await page.screenshot({ path: join(SHOTS, 'example-desktop-1280.png'), fullPage: true });
      await page.close();
    }, 60_000);

    it('fits a 390 px phone without horizontal scrolling; wide tables scroll inside their own box', async () => {
      const page = await open(html, 390);

      const widths = await page.evaluate<{ page: number }>('({ page: document.documentElement.scrollWidth })');
      expect(widths.page).toBeLessThanOrEqual(390);
      const table = await page
        .locator('#rollup .scroll')
        .first()
        .evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
      expect(table.client).toBeLessThanOrEqual(390);
      expect(await page.locator('#timeline .tl-track').first().isVisible()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'example-mobile-390.png'), fullPage: true });
      await page.close();
    }, 60_000);

    it('opens a 5,000-cluster report quickly, folded by account, escaped, and still 390 px wide', async () => {
      const big = formatHtml(bigReport(report, 5000));
      writeFileSync(join('test-output', 'report-5000.html'), big);
      expect(Buffer.byteLength(big)).toBeLessThan(3_000_000);

      const started = Date.now();
      const page = await open(big, 390);
      const loadMs = Date.now() - started;

      expect(loadMs).toBeLessThan(10_000);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(await page.locator('#clusters details.acct').count()).toBe(50);
      expect(await page.locator('#clusters details.acct[open]').count()).toBe(0);
      expect(await page.locator('#urgent .cl:not(.hdr)').count()).toBe(20);
      expect(await page.locator('#timeline .tl-row:not(.tl-axis)').count()).toBe(
        new Set(report.clusters.map((c) => c.version)).size,
      );
      expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
      const names = await page.evaluate<string[]>(
        `[...document.querySelectorAll('#clusters .nm b')].map((b) => b.textContent)`,
      );
      expect(names).toContain('<img src=x onerror="window.__xss=1">');
      await page.locator('#clusters details.acct summary').first().click();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: join(SHOTS, 'fleet-5000-desktop-1280.png') });
      await page.close();
    }, 60_000);
  },
);

/**
 * What the CLI reports and how it exits (DESIGN §5.1, §5.2 additions): exit 1 when nothing could be read, exit 3
 * for `--fail-on`, account names and owners in every format, the upgrade policy, up-to-date clusters, CSV errors,
 * CSV formula neutralisation and terminal-safe text, and progress on standard error only.
 */
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../functions/cli/format-csv.ts';
import { Progress, auditProgress } from '../../functions/cli/progress.ts';
import { terminalSafe } from '../../functions/cli/terminal-text.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';
import type { AuditReport } from '../../functions/core/report-types.ts';
import { runCli, writeFleetFile } from './cli-harness.ts';

const NOW = '2026-11-22T12:00:00Z';
const EVIL = 'web\x1b[2J\x1b[H\x1b]0;pwned\x07\x9b31m';

const FLEET: FleetFile = {
  accounts: [
    {
      id: '222222222222',
      name: 'shop-prod',
      regions: {
        'eu-west-1': {
          clusters: [
            { name: 'current', version: '1.36', tags: { team: 'payments', owner: 'alice' } },
            { name: 'old', version: '1.31', supportType: 'EXTENDED', tags: { owner: '=HYPERLINK("http://x")' } },
          ],
        },
      },
    },
    { id: '333333333333', name: 'denied', fault: 'ACCESS_DENIED', regions: { 'eu-west-1': { clusters: [] } } },
  ],
};

const base = (fleet: FleetFile = FLEET): string[] => ['--simulate', writeFleetFile(fleet), '--now', NOW];

describe('exit codes', () => {
  it('exits 1 when no account-region could be read at all, after printing the errors', async () => {
    const fleet: FleetFile = { accounts: [FLEET.accounts[1] as FleetFile['accounts'][number]] };

    const { code, stdout, stderr } = await runCli(NOW, ['audit', ...base(fleet)]);

    expect(code).toBe(1);
    expect(stdout).toContain('ERROR  333333333333');
    expect(stderr).toMatch(/^fleet-auditor: no account-region could be read: 1 error, first 333333333333/);
    expect((await runCli(NOW, ['plan', ...base(fleet)])).code).toBe(1);
    expect((await runCli(NOW, ['upgrade', 'web', '--dry-run', ...base(fleet)])).code).toBe(1);
  });

  it('exits 0 when some account-regions were read, and 3 with --fail-on at or below the worst cluster', async () => {
    const args = base();

    expect((await runCli(NOW, ['audit', ...args])).code).toBe(0);
    const failing = await runCli(NOW, ['audit', ...args, '--fail-on', 'critical', '-o', 'json']);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toBe('fleet-auditor: 1 cluster is at or above CRITICAL (--fail-on)\n');
    expect(JSON.parse(failing.stdout)).toHaveProperty('schemaVersion', 1);
    expect((await runCli(NOW, ['audit', ...args, '--fail-on', 'EXPIRED'])).code).toBe(0);
    expect((await runCli(NOW, ['plan', ...args, '--fail-on', 'WARNING'])).code).toBe(3);
  });
});

describe('owners, account names and policy', () => {
  it('puts accountName and owner in the JSON report, and the policy in the table', async () => {
    const json = await runCli(NOW, ['audit', ...base(), '-o', 'json']);
    const table = await runCli(NOW, ['audit', ...base()]);
    const report = JSON.parse(json.stdout) as AuditReport;

    expect(report.clusters.map((c) => [c.name, c.accountName, c.owner])).toEqual([
      ['current', 'shop-prod', 'payments'],
      ['old', 'shop-prod', '=HYPERLINK("http://x")'],
    ]);
    expect(table.stdout.split('\n')[0]).toMatch(/ACCOUNT +REGION +CLUSTER +OWNER +VERSION +POLICY +SUPPORT/);
    expect(table.stdout).toMatch(/shop-prod \(222222222222\) +eu-west-1 +current +payments +1\.36 +extended/);
    expect(table.stdout).toMatch(/old +=HYPERLINK\("http:\/\/x"\) +1\.31 +extended/);
  });

  it('names the accounts of an explicit --accounts list from Organizations', async () => {
    const { stdout } = await runCli(NOW, ['audit', ...base(), '--accounts', '222222222222', '-o', 'json']);
    expect((JSON.parse(stdout) as AuditReport).clusters[0]?.accountName).toBe('shop-prod');
  });

  it('honours --owner-tags', async () => {
    const { stdout } = await runCli(NOW, ['audit', ...base(), '--owner-tags', 'owner', '-o', 'json']);
    expect((JSON.parse(stdout) as AuditReport).clusters[0]?.owner).toBe('alice');
  });

  it('shows a cluster at the newest version as up to date, not blocked or manual', async () => {
    const table = await runCli(NOW, ['audit', ...base()]);
    const plan = await runCli(NOW, ['plan', ...base()]);

    expect(table.stdout).toMatch(/current .* up to date$/m);
    expect(plan.stdout).toMatch(/^current .* up to date/m);
    expect(plan.stdout).not.toContain('AT_TARGET');
  });
});

describe('CSV', () => {
  it('lists the unreadable account-regions in a second section, and neutralises formula cells', async () => {
    const { stdout } = await runCli(NOW, ['audit', ...base(), '-o', 'csv']);
    const [clusters, errors] = stdout.split('\r\n\r\n');

    expect(clusters?.split('\r\n')[0]).toMatch(/,accountName,owner$/);
    expect(clusters).toContain(`,shop-prod,"'=HYPERLINK(""http://x"")"`);
    expect(errors?.split('\r\n')[0]).toBe('errorAccountId,errorRegion,errorCode,errorMessage');
    expect(errors).toMatch(/^333333333333,,MEMBER_ACCESS_DENIED,cannot assume .*: access denied$/m);
  });

  it('prefixes every text cell that starts like a formula, and leaves numbers alone', () => {
    const report = {
      clusters: [],
      errors: ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'safe'].map((message) => ({
        accountId: '111111111111',
        region: null,
        code: 'X',
        message,
      })),
    } as unknown as AuditReport;
    const rows = formatCsv(report).split('\r\n').slice(3, 10);

    expect(rows).toEqual([
      "111111111111,,X,'=1+1",
      "111111111111,,X,'+1",
      "111111111111,,X,'-1",
      "111111111111,,X,'@SUM(A1)",
      "111111111111,,X,'\tx",
      `111111111111,,X,"'\rx"`,
      '111111111111,,X,safe',
    ]);
  });
});

describe('terminal output', () => {
  it('strips escape sequences and C0/C1 controls from member-controlled text', () => {
    expect(terminalSafe(EVIL)).toBe('web31m');
    expect(terminalSafe('a\tb\nc\x00d\x7f')).toBe('a b cd');
  });

  it('never prints a member-controlled escape sequence in the table, plan or dry run', async () => {
    const fleet: FleetFile = {
      accounts: [
        {
          id: '222222222222',
          regions: {
            'eu-west-1': {
              clusters: [{ name: 'web', version: '1.34', tags: { team: EVIL, 'fleet-auditor/auto-upgrade': EVIL } }],
            },
          },
        },
      ],
    };
    const outputs = await Promise.all([
      runCli(NOW, ['audit', ...base(fleet)]),
      runCli(NOW, ['plan', ...base(fleet)]),
      runCli(NOW, ['upgrade', 'web', '--dry-run', ...base(fleet)]),
    ]);

    for (const { code, stdout } of outputs) {
      expect(code).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    expect(outputs[0]?.stdout).toContain('web31m');
  });
});

describe('progress', () => {
  function fakeStderr(isTTY: boolean): { text: string; write(t: string): boolean; isTTY: boolean } {
    return {
      text: '',
      isTTY,
      write(t: string) {
        this.text += t;
        return true;
      },
    };
  }

  it('writes a plain line at most every 5 seconds when standard error is not a terminal', () => {
    let ms = 0;
    const stderr = fakeStderr(false);
    const report = auditProgress(new Progress({ stream: stderr, clock: () => new Date(ms) }));

    report(1, 400, 8);
    ms = 4_999;
    report(2, 400, 15);
    ms = 5_000;
    report(120, 400, 950);
    ms = 7_000;
    report(200, 400, 1_500);
    ms = 10_000;
    report(400, 400, 3_000);

    expect(stderr.text).toBe(
      'audited 120/400 account-regions, 950 clusters\naudited 400/400 account-regions, 3000 clusters\n',
    );
  });

  it('rewrites one live line on a terminal and clears it when done', () => {
    const stderr = fakeStderr(true);
    const progress = new Progress({ stream: stderr, clock: () => new Date(0) });
    const report = auditProgress(progress);

    report(1, 2, 1);
    report(2, 2, 3);
    progress.finish();

    expect(stderr.text).toBe(
      '\r\x1b[2Kaudited 1/2 account-regions, 1 cluster\r\x1b[2Kaudited 2/2 account-regions, 3 clusters\r\x1b[2K',
    );
  });

  it('keeps progress off standard output during an audit', async () => {
    let stdout = '';
    let stderr = '';
    let ms = 0;
    const { main } = await import('../../functions/cli/main.ts');
    const code = await main(['audit', ...base(), '-o', 'json'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      // Each reading of the clock moves it 6 s on, so every account-region passes the interval.
      clock: () => new Date((ms += 6_000)),
    });

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('clusters');
    expect(stderr).toMatch(/^audited 1\/1 account-regions, 2 clusters$/m);
  });
});

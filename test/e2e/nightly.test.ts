/**
 * `fleet-auditor nightly --simulate FLEET --state DIR [--now ISO]` end to end, in-process: the real CLI, the
 * nightly state machine executed locally through the middy handlers, the simulator over HTTP, dynalite over HTTP
 * with its data in DIR, and the outbox file. The fleet's deadlines are worked out in test/handlers/nightly-fixtures.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import { startLocalDynamo } from '../../functions/adapters/store/local-dynamodb.ts';
import { NIGHTLY_TABLE_NAME } from '../../functions/cli/nightly-command.ts';
import { main } from '../../functions/cli/main.ts';
import { parseFleetFile } from '../../functions/sim/index.ts';
import type { FleetFile } from '../../functions/sim/index.ts';
import { EDGE, LATER, NOW, SHOP, arn, testFleet, withAccessDenied } from '../handlers/nightly-fixtures.ts';

interface OutboxLine {
  subject: string;
  attributes: { type: string; severity: string; accountId: string };
  event: { schemaVersion: number; type: string; detail: Record<string, unknown>; text: string };
}

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function workspace(fleet: FleetFile = testFleet()): Promise<{ fleetPath: string; state: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'nightly-e2e-'));
  dirs.push(dir);
  const fleetPath = join(dir, 'fleet.json');
  await writeFile(fleetPath, JSON.stringify(fleet));
  return { fleetPath, state: join(dir, 'state') };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    clock: () => new Date('2030-01-01T00:00:00Z'),
  });
  return { code, stdout, stderr };
}

async function nightly(
  fleetPath: string,
  state: string,
  now: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return cli(['nightly', '--simulate', fleetPath, '--state', state, '--now', now]);
}

async function outbox(state: string): Promise<OutboxLine[]> {
  const text = await readFile(join(state, 'outbox.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxLine);
}

const thresholds = (lines: OutboxLine[]): string[] =>
  lines
    .filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD')
    .map((l) => l.subject)
    .sort();
const digests = (lines: OutboxLine[]): OutboxLine[] => lines.filter((l) => l.attributes.type === 'DIGEST');

describe('fleet-auditor nightly', () => {
  it('sends each threshold once: again at the same --now only a digest, at a later --now exactly the newly crossed thresholds', async () => {
    const { fleetPath, state } = await workspace();

    const first = await nightly(fleetPath, state, NOW);
    const afterFirst = await outbox(state);
    const second = await nightly(fleetPath, state, NOW);
    const afterSecond = await outbox(state);
    const third = await nightly(fleetPath, state, LATER);
    const afterThird = await outbox(state);

    expect([first.code, second.code, third.code]).toEqual([0, 0, 0]);
    expect(first.stderr + second.stderr + third.stderr).toBe('');
    expect(thresholds(afterFirst)).toEqual([
      '[CRITICAL] EKS billing 1.31: 4 days to 2026-11-26',
      '[CRITICAL] EKS billing 1.31: extended-support billing since 2025-11-26',
      '[CRITICAL] EKS web 1.34: 10 days to 2026-12-02',
      '[EXPIRED] EKS old 1.29: deadline 2026-03-23 passed',
      '[WARNING] EKS cdn 1.33: extended-support billing since 2026-07-29',
    ]);
    expect(digests(afterFirst)).toHaveLength(1);
    expect(afterSecond.slice(afterFirst.length).map((l) => l.attributes.type)).toEqual(['DIGEST']);
    const newest = afterThird.slice(afterSecond.length);
    expect(thresholds(newest)).toEqual([
      '[CRITICAL] EKS billing 1.31: 1 day to 2026-11-26',
      '[CRITICAL] EKS web 1.34: 7 days to 2026-12-02',
    ]);
    expect(digests(newest)).toHaveLength(1);
  });

  it('prints the audit table from the stored reports, then one line per message sent', async () => {
    const { fleetPath, state } = await workspace();

    const { stdout } = await nightly(fleetPath, state, NOW);

    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+ACCOUNT\s+REGION\s+CLUSTER/);
    expect(lines[1]).toMatch(/^EXPIRED\s+222222222222\s+eu-west-1\s+old\s+-\s+1\.29/);
    expect(stdout).toContain('4 clusters (1 EXPIRED, 2 CRITICAL, 1 WARNING); extended support $730/month; 0 errors');
    expect(lines.filter((l) => l.startsWith('→ '))).toEqual([
      expect.stringMatching(/^→ \[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^→ \[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^→ \[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^→ \[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      expect.stringMatching(/^→ \[(CRITICAL|EXPIRED|WARNING)\] EKS /),
      '→ EKS digest 2026-11-22: 4 clusters, 1 EXPIRED, 2 CRITICAL, 1 WARNING',
      '→ EKS cdn upgrade 1.33 to 1.36 started',
      '→ EKS cdn upgrade 1.33 to 1.36 succeeded',
    ]);
    expect(stdout).toMatch(/run 20261122T120000Z-[0-9a-f]{8}: 4 account-regions, 0 failed; 8 message\(s\) sent to /);
    expect(lines.filter((l) => /^(upgrade|held) /.test(l))).toEqual([
      'upgrade cdn 1.33 → 1.36: STARTED, SUCCEEDED',
      'held web: WAVE_NOT_READY: wave 1 of rollout group default waits before the hop to 1.35: cdn (wave 0) runs 1.33, not yet 1.35',
    ]);
    expect(lines.at(-1)).toBe(
      'held web: WAVE_NOT_READY: wave 1 of rollout group default waits before the hop to 1.35: cdn (wave 0) runs 1.33, not yet 1.35',
    );
  });

  it('upgrades the opted-in cluster to its target, then starts nothing for it the next night', async () => {
    const { fleetPath, state } = await workspace();

    await nightly(fleetPath, state, NOW);
    const second = await nightly(fleetPath, state, NOW);

    const fleet = parseFleetFile(JSON.parse(await readFile(join(state, 'fleet.json'), 'utf8')));
    const cdn = fleet.accounts
      .flatMap((a) => Object.values(a.regions).flatMap((r) => r.clusters))
      .find((c) => c.name === 'cdn');
    expect(cdn?.version).toBe('1.36');
    expect(cdn?.nodegroups?.every((ng) => ng.version === '1.36')).toBe(true);
    const upgrades = (await outbox(state)).filter((l) => l.event.type.startsWith('UPGRADE_'));
    expect(upgrades.map((l) => l.event.type)).toEqual(['UPGRADE_STARTED', 'UPGRADE_SUCCEEDED']);
    expect(second.stdout).toMatch(/cdn\s+-\s+1\.36 .* up to date/);
  });

  it('writes versioned events to the outbox: subject, filter attributes and the JSON event', async () => {
    const { fleetPath, state } = await workspace();

    await nightly(fleetPath, state, NOW);

    const lines = await outbox(state);
    const billing = lines.find((l) => l.subject.includes('billing'));
    expect(billing).toMatchObject({
      attributes: { type: 'DEADLINE_THRESHOLD', severity: 'CRITICAL', accountId: SHOP },
      event: {
        schemaVersion: 1,
        type: 'DEADLINE_THRESHOLD',
        cluster: { accountId: SHOP, region: 'us-east-1', name: 'billing', version: '1.31' },
        detail: { threshold: 7, deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 } },
      },
    });
    expect(digests(lines)[0]?.attributes).toEqual({ type: 'DIGEST', severity: 'EXPIRED', accountId: 'ALL' });
  });

  it('saves the fleet to DIR/fleet.json and serves it to the next run', async () => {
    const { fleetPath, state } = await workspace();
    await nightly(fleetPath, state, NOW);
    const saved = parseFleetFile(JSON.parse(await readFile(join(state, 'fleet.json'), 'utf8')));
    const gone = {
      ...saved,
      accounts: saved.accounts.map((a) => (a.id === EDGE ? { ...a, regions: { 'us-east-1': { clusters: [] } } } : a)),
    };
    await writeFile(join(state, 'fleet.json'), JSON.stringify(gone));

    const { stdout } = await nightly(fleetPath, state, LATER);

    expect(saved.accounts.map((a) => a.id)).toEqual([SHOP, EDGE]);
    expect(stdout).not.toMatch(/\bcdn\b/);
    const lastDigest = digests(await outbox(state)).at(-1);
    expect(lastDigest?.event.detail['deletedClusters']).toEqual([
      { accountId: EDGE, region: 'us-east-1', name: 'cdn', arn: arn(EDGE, 'us-east-1', 'cdn') },
    ]);
  });

  it('keeps the last records of an account that starts denying access, marked stale, and names it in the digest', async () => {
    const { fleetPath, state } = await workspace();
    await nightly(fleetPath, state, NOW);
    const saved = parseFleetFile(JSON.parse(await readFile(join(state, 'fleet.json'), 'utf8')));
    await writeFile(join(state, 'fleet.json'), JSON.stringify(withAccessDenied(saved, EDGE)));

    const { code, stdout } = await nightly(fleetPath, state, LATER);

    expect(code).toBe(0);
    expect(stdout).toContain('ERROR  444444444444 (all regions)  MEMBER_ACCESS_DENIED: cannot assume');
    expect(stdout).toContain(
      'stale (last known state shown, account or region unreadable): cdn (444444444444, us-east-1)',
    );
    // The stale cluster's days remaining follow tonight's date, not the night it was last read.
    const daysLeft = Math.round((Date.parse('2027-07-29') - Date.parse(LATER.slice(0, 10))) / 86_400_000);
    expect(stdout).toMatch(
      new RegExp(`cdn\\s+-\\s+1\\.33\\s+\\w+\\s+\\w+ .*2027-07-29 auto-upgrade\\s+${daysLeft}\\s`),
    );
    const digest = digests(await outbox(state)).at(-1);
    expect(digest?.subject).toContain('2 regions unreadable');
    expect(digest?.event.detail).toMatchObject({
      failedTargets: [{ accountId: EDGE, regions: ['eu-west-1', 'us-east-1'], code: 'MEMBER_ACCESS_DENIED' }],
      staleClusters: [{ accountId: EDGE, name: 'cdn', version: '1.33', lastAuditedAt: NOW, staleSince: LATER }],
    });
    const local = await startLocalDynamo({ dir: state });
    try {
      const cdn = await new DynamoFleetStore({ client: local.client, tableName: NIGHTLY_TABLE_NAME }).getCluster(
        arn(EDGE, 'us-east-1', 'cdn'),
      );
      expect(cdn).toMatchObject({ stale: true, auditedAt: NOW, deletedAt: null, report: { version: '1.33' } });
    } finally {
      await local.close();
    }
  });

  it('upgrades no higher wave while the account of its lower wave cannot be read, and says why', async () => {
    // Arrange: canary (wave 0) sits in an account that denies access; prod (wave 1) is readable; both want 1.34
    const optIn = (wave: string): Record<string, string> => ({
      'fleet-auditor/auto-upgrade': 'true',
      'fleet-auditor/wave': wave,
      'fleet-auditor/target-version': '1.34',
    });
    const { fleetPath, state } = await workspace({
      accounts: [
        {
          id: '111111111112',
          fault: 'ACCESS_DENIED',
          regions: { 'eu-west-1': { clusters: [{ name: 'canary', version: '1.33', tags: optIn('0') }] } },
        },
        {
          id: '222222222222',
          regions: { 'eu-west-1': { clusters: [{ name: 'prod', version: '1.33', tags: optIn('1') }] } },
        },
      ],
    });

    // Act
    const { code, stdout } = await nightly(fleetPath, state, '2026-11-22T12:00:00Z');

    // Assert
    expect(code).toBe(0);
    expect(stdout).toContain(
      'held prod: WAVE_NOT_READY: wave 1 of rollout group default waits before the hop to 1.34: lower waves cannot be confirmed (an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read): ' +
        '1 account unreadable (111111111112)',
    );
    expect(stdout).not.toMatch(/^upgrade /m);
    const fleet = parseFleetFile(JSON.parse(await readFile(join(state, 'fleet.json'), 'utf8')));
    expect(fleet.accounts.find((a) => a.id === '222222222222')?.regions['eu-west-1']?.clusters[0]?.version).toBe(
      '1.33',
    );
    expect((await outbox(state)).filter((l) => l.event.type.startsWith('UPGRADE_'))).toEqual([]);
  });

  it('does not retry a failed upgrade the next night: it holds the cluster and names the failure', async () => {
    // Arrange: a 1.34 cluster opted in whose control-plane updates fail
    const flaky = { name: 'flaky', version: '1.34', fault: 'UPDATE_FAILS' as const };
    const { fleetPath, state } = await workspace({
      accounts: [
        {
          id: SHOP,
          regions: { 'eu-west-1': { clusters: [{ ...flaky, tags: { 'fleet-auditor/auto-upgrade': 'true' } }] } },
        },
      ],
    });

    // Act
    const first = await nightly(fleetPath, state, '2026-11-22T12:00:00Z');
    const second = await nightly(fleetPath, state, '2026-11-23T12:00:00Z');

    // Assert
    expect(first.stdout).toContain('upgrade flaky 1.34 → 1.36: STARTED, FAILED (UpdateFailedError)');
    expect(second.stdout).toMatch(
      /^held flaky: HELD_AFTER_FAILURE: the upgrade 1\.34 → 1\.36 failed at CONTROL_PLANE on 2026-11-22 \(UpdateFailedError: .*\); not retried until the cluster's version changes .* or 2026-11-29T12:00:00\.000Z, 7 days after the failure$/m,
    );
    expect(second.stdout).not.toMatch(/^upgrade /m);
    const upgrades = (await outbox(state)).filter((l) => l.event.type.startsWith('UPGRADE_'));
    expect(upgrades.map((l) => l.event.type)).toEqual(['UPGRADE_STARTED', 'UPGRADE_FAILED']);
  });

  it('refuses a second run on a DIR in use, so two runs over one DIR never send a threshold twice', async () => {
    const { fleetPath, state } = await workspace();

    const results = await Promise.all([nightly(fleetPath, state, NOW), nightly(fleetPath, state, NOW)]);

    const lines = await outbox(state);
    expect(results.map((r) => r.code)).toContain(0);
    for (const result of results.filter((r) => r.code !== 0)) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is in use by another fleet-auditor \(pid \d+ on /);
    }
    expect(thresholds(lines)).toHaveLength(5);
    expect(new Set(thresholds(lines)).size).toBe(5);
    expect(digests(lines)).toHaveLength(results.filter((r) => r.code === 0).length);
  });

  it.each([
    [['nightly', '--state', 'x'], /--simulate FLEET\.json/],
    [['nightly', '--simulate', 'examples/fleet.json'], /--state DIR/],
    [['nightly', '--simulate', 'does-not-exist.json', '--state', 'STATE'], /cannot read the file/],
  ])('exits 2 with a one-line reason on bad input %j', async (args, reason) => {
    const { state } = await workspace();

    const { code, stderr } = await cli(args.map((a) => (a === 'STATE' ? state : a)));

    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

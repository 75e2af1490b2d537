/**
 * Acceptance (issue: Plan B in place), end to end over several nights: `fleet-auditor nightly --simulate FLEET
 * --state DIR --now …` run once a night, the same DIR each time, on a fleet of four opted-in 1.33 clusters that want
 * 1.35 — healthy with a 24h bake, unhealthy after an upgrade, one whose rollback fails, and one with bake=0. Each
 * night's `nightly` resumes the bakes at its --now (the dispatcher's RESUMED executions), through the real CLI, the
 * nightly and upgrade state machines, the simulator and dynalite.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import type { FleetCluster, FleetFile } from '../../functions/sim/fleet-file.ts';
import { withOptedInSubresources } from '../fixtures/opted-in-subresources.ts';

const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const NIGHTS = ['2026-11-22T02:00:00Z', '2026-11-23T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z'];

interface OutboxLine {
  attributes: { type: string; severity: string };
  event: { type: string; cluster?: { name: string }; detail: Record<string, unknown>; text: string };
}

function cluster(name: string, tags: Record<string, string>, fault?: FleetCluster['fault']): FleetCluster {
  return withOptedInSubresources({
    name,
    version: '1.33',
    tags: { 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/target-version': '1.35', ...tags },
    nodegroups: [{ name: 'default', version: '1.33' }],
    addons: [
      { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' },
      { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
      { name: 'kube-proxy', version: 'v1.33.3-eksbuild.2' },
    ],
    ...(fault === undefined ? {} : { fault }),
  });
}

const FLEET: FleetFile = {
  accounts: [
    {
      id: ACCOUNT,
      name: 'workloads',
      regions: {
        [REGION]: {
          clusters: [
            cluster('steady', { 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'steady-5xx' }),
            cluster(
              'shaky',
              { 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'shaky-5xx' },
              'UNHEALTHY_AFTER_UPGRADE',
            ),
            cluster(
              'brittle',
              { 'fleet-auditor/bake': '24h', 'fleet-auditor/health-alarms': 'brittle-5xx' },
              'ROLLBACK_FAILS',
            ),
            cluster('quick', { 'fleet-auditor/bake': '0' }),
          ],
          alarms: [
            { name: 'steady-5xx', state: 'OK' },
            { name: 'shaky-5xx', state: 'OK' },
            // Fires from the start: the bake's first check rolls brittle back, and that rollback fails.
            { name: 'brittle-5xx', state: 'ALARM' },
          ],
        },
      },
    },
  ],
};

let dir = '';
const nights: { stdout: string; code: number; outbox: OutboxLine[]; fleet: FleetFile }[] = [];

async function outbox(): Promise<OutboxLine[]> {
  const text = await readFile(join(dir, 'state', 'outbox.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxLine);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-b-nights-'));
  const fleetPath = join(dir, 'fleet.json');
  await writeFile(fleetPath, JSON.stringify(FLEET));
  let seen = 0;
  for (const now of NIGHTS) {
    let stdout = '';
    let stderr = '';
    const code = await main(['nightly', '--simulate', fleetPath, '--state', join(dir, 'state'), '--now', now], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      clock: () => new Date(now),
    });
    if (code !== 0) throw new Error(`nightly at ${now} exited ${code}: ${stderr}`);
    const all = await outbox();
    const fleet = JSON.parse(await readFile(join(dir, 'state', 'fleet.json'), 'utf8')) as FleetFile;
    nights.push({ stdout, code, outbox: all.slice(seen), fleet });
    seen = all.length;
  }
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The cluster's control-plane and node-group versions after night `n` (1-based). */
function versionsAfter(n: number, name: string): [string, string[]] {
  const found = nights[n - 1]?.fleet.accounts[0]?.regions[REGION]?.clusters.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no cluster ${name} after night ${n}`);
  return [found.version, (found.nodegroups ?? []).map((ng) => ng.version)];
}

/** The upgrade and rollback messages of night `n` about one cluster. */
function messagesOf(n: number, name: string): OutboxLine[] {
  return (nights[n - 1]?.outbox ?? []).filter(
    (line) => line.event.cluster?.name === name && /^(UPGRADE|ROLLBACK)_/.test(line.event.type),
  );
}

const types = (lines: OutboxLine[]): string[] => lines.map((line) => line.event.type);

describe('Plan B in place over four nights', () => {
  it('a healthy cluster: control plane 1.34 and a bake, then node groups 1.34 and 1.35 baking, then 1.35 everywhere', () => {
    expect(versionsAfter(1, 'steady')).toEqual(['1.34', ['1.33']]);
    expect(types(messagesOf(1, 'steady'))).toEqual(['UPGRADE_STARTED', 'UPGRADE_BAKING']);
    expect(versionsAfter(2, 'steady')).toEqual(['1.35', ['1.34']]);
    expect(types(messagesOf(2, 'steady'))).toEqual(['UPGRADE_BAKING']);
    expect(nights[1]?.stdout).toMatch(/upgrade steady 1\.33 → 1\.35: RESUMED, SUCCEEDED/);
    expect(versionsAfter(3, 'steady')).toEqual(['1.35', ['1.35']]);
    expect(types(messagesOf(3, 'steady'))).toEqual(['UPGRADE_SUCCEEDED']);
    expect(types(messagesOf(4, 'steady'))).toEqual([]);
  });

  it('an unhealthy cluster: rolled back on night 2 naming the alarm, node groups untouched, then held', () => {
    expect(versionsAfter(1, 'shaky')).toEqual(['1.34', ['1.33']]);
    const night2 = messagesOf(2, 'shaky');
    expect(types(night2)).toEqual(['ROLLBACK_STARTED', 'ROLLBACK_SUCCEEDED']);
    expect(night2.map((line) => line.event.detail['reason'])).toEqual([
      expect.stringMatching(/alarm shaky-5xx in ALARM/),
      expect.stringMatching(/alarm shaky-5xx in ALARM/),
    ]);
    expect(versionsAfter(2, 'shaky')).toEqual(['1.33', ['1.33']]);
    for (const night of [3, 4]) {
      expect(types(messagesOf(night, 'shaky'))).toEqual([]);
      expect(versionsAfter(night, 'shaky')).toEqual(['1.33', ['1.33']]);
      expect(nights[night - 1]?.stdout).toMatch(/held shaky: HELD_AFTER_ROLLBACK: rolled back from 1\.34 to 1\.33/);
    }
  });

  it('a failed rollback: ROLLBACK_FAILED at ERROR, the lock released, the cluster held, no second attempt', () => {
    const night2 = messagesOf(2, 'brittle');
    expect(types(night2)).toEqual(['ROLLBACK_STARTED', 'ROLLBACK_FAILED']);
    expect(night2[1]?.attributes.severity).toBe('ERROR');
    expect(night2[1]?.event.text).toMatch(/brittle-5xx/);
    expect(nights[1]?.stdout).toMatch(/upgrade brittle 1\.33 → 1\.35: RESUMED, FAILED \(RollbackFailedError\)/);
    for (const night of [3, 4]) {
      expect(types(messagesOf(night, 'brittle'))).toEqual([]);
      expect(versionsAfter(night, 'brittle')).toEqual(['1.34', ['1.33']]);
      expect(nights[night - 1]?.stdout).toMatch(/held brittle: HELD_AFTER_ROLLBACK: its rollback FAILED/);
    }
  });

  it('the table shows each phase: baking until when, held after rollback with the signal, nothing once done', () => {
    const row = (n: number, name: string): string =>
      (nights[n - 1]?.stdout ?? '')
        .split('\n')
        .find((line) => new RegExp(`\\s${name}\\s`).test(line) && !line.startsWith('PHASE')) ?? '';
    expect(row(1, 'steady')).toMatch(/baking until \d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(nights[0]?.stdout).toMatch(/^PHASE {2}steady \(.*\): baking 1\.33 → 1\.34 until /m);
    expect(nights[1]?.stdout).toMatch(/^PHASE {2}steady \(.*\): baking 1\.34 → 1\.35 until /m);
    expect(nights[2]?.stdout).not.toMatch(/^PHASE {2}steady/m);
    for (const night of [2, 3, 4]) {
      expect(row(night, 'shaky')).toMatch(/held after rollback$/);
      expect(nights[night - 1]?.stdout).toMatch(
        /^PHASE {2}shaky \(.*\): held after rollback: rolled back from 1\.34 to 1\.33 on .*alarm shaky-5xx in ALARM/m,
      );
      expect(nights[night - 1]?.stdout).toMatch(
        /^PHASE {2}brittle \(.*\): held after rollback: its rollback from 1\.34 to 1\.33 FAILED/m,
      );
    }
    expect(nights[0]?.stdout).not.toMatch(/^PHASE {2}quick/m);
  });

  it('bake=0: the one-run hop, 1.33 → 1.35 on night 1', () => {
    expect(versionsAfter(1, 'quick')).toEqual(['1.35', ['1.35']]);
    expect(types(messagesOf(1, 'quick'))).toEqual(['UPGRADE_STARTED', 'UPGRADE_SUCCEEDED']);
    expect(types(messagesOf(2, 'quick'))).toEqual([]);
  });
});

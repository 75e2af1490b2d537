/**
 * OUT_OF_SCOPE end to end: `fleet-auditor nightly` twice on one state directory, with an account removed from the
 * fleet between the runs (it left the organization) or a region left out of `--regions`. The stored clusters the
 * second run did not audit are marked OUT_OF_SCOPE with their last-seen date in the table and the digest, are not
 * alerted on, and leave the cost total.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { parseFleetFile } from '../../functions/sim/index.ts';
import { LATER, NOW, SHOP, testFleet } from '../handlers/nightly-fixtures.ts';

interface OutboxLine {
  subject: string;
  attributes: { type: string; accountId: string };
  event: { detail: Record<string, unknown>; text: string };
}

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function workspace(): Promise<{ fleetPath: string; state: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'nightly-scope-'));
  dirs.push(dir);
  const fleetPath = join(dir, 'fleet.json');
  await writeFile(fleetPath, JSON.stringify(testFleet()));
  return { fleetPath, state: join(dir, 'state') };
}

async function nightly(fleetPath: string, state: string, now: string, extra: string[] = []): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await main(['nightly', '--simulate', fleetPath, '--state', state, '--now', now, ...extra], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    clock: () => new Date('2030-01-01T00:00:00Z'),
  });
  expect(code, stderr).toBe(0);
  return stdout;
}

async function outbox(state: string): Promise<OutboxLine[]> {
  const text = await readFile(join(state, 'outbox.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxLine);
}

const lastDigest = (lines: OutboxLine[]): OutboxLine | undefined =>
  lines.filter((l) => l.attributes.type === 'DIGEST').at(-1);

describe('nightly with a stored cluster the run did not audit', () => {
  it('marks the clusters of an account removed from the fleet OUT_OF_SCOPE, last seen the night before, out of the cost', async () => {
    const { fleetPath, state } = await workspace();
    await nightly(fleetPath, state, NOW);
    const first = lastDigest(await outbox(state));
    const sentBefore = (await outbox(state)).length;
    // The account leaves the organization: the saved fleet the next run starts from no longer has it.
    const saved = parseFleetFile(JSON.parse(await readFile(join(state, 'fleet.json'), 'utf8')));
    await writeFile(
      join(state, 'fleet.json'),
      JSON.stringify({ ...saved, accounts: saved.accounts.filter((a) => a.id !== SHOP) }),
    );

    const stdout = await nightly(fleetPath, state, LATER);

    const lines = await outbox(state);
    const second = lastDigest(lines);
    expect(first?.event.detail['extendedSupportMonthlyUsd']).toBeGreaterThan(0);
    expect(second?.event.detail['extendedSupportMonthlyUsd']).toBe(0);
    expect(second?.event.detail['outOfScopeClustersTotal']).toBe(3);
    expect(second?.event.detail['staleClusters']).toEqual(
      ['old', 'billing', 'web'].map((name) =>
        expect.objectContaining({ accountId: SHOP, name, code: 'OUT_OF_SCOPE', lastAuditedAt: NOW }),
      ),
    );
    expect(second?.event.text).toContain('3 clusters no longer audited (out of scope) left out of the cost.');
    // Nothing is alerted for a cluster the run did not read.
    expect(lines.slice(sentBefore).filter((l) => l.attributes.type === 'DEADLINE_THRESHOLD')).toEqual([]);
    expect(stdout).toContain(`STALE  billing (${SHOP}, us-east-1) OUT_OF_SCOPE, last seen ${NOW}: account ${SHOP}`);
    expect(stdout).toMatch(/extended support \$0\/month/);
  });

  it('marks the clusters of a region left out of --regions OUT_OF_SCOPE and keeps the others current', async () => {
    const { fleetPath, state } = await workspace();
    await nightly(fleetPath, state, NOW);

    const stdout = await nightly(fleetPath, state, LATER, ['--regions', 'us-east-1']);

    expect(stdout).toContain(`STALE  old (${SHOP}, eu-west-1) OUT_OF_SCOPE, last seen ${NOW}: region eu-west-1`);
    expect(stdout).not.toMatch(/STALE {2}(billing|web|cdn) /);
    const digest = lastDigest(await outbox(state));
    expect(digest?.event.detail['staleClusters']).toEqual([
      expect.objectContaining({ name: 'old', code: 'OUT_OF_SCOPE', lastAuditedAt: NOW }),
    ]);
  });
});

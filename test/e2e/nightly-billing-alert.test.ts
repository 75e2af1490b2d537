/**
 * The start of extended-support billing is alerted through the real CLI: `fleet-auditor nightly --simulate
 * examples/fleet.json --state DIR --now …` on three consecutive days over one DIR. payments-api (1.34, EXTENDED
 * policy) leaves standard support on 2026-12-02: the night before it hears "1 day to 2026-12-02", that night that
 * billing started, and the night after nothing more.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';

interface OutboxLine {
  subject: string;
  attributes: { type: string; severity: string; accountId: string };
  event: { type: string; cluster?: { name: string }; detail: Record<string, unknown>; text: string };
}

const EXAMPLE_FLEET = fileURLToPath(new URL('../../examples/fleet.json', import.meta.url));

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function nightly(state: string, now: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(['nightly', '--simulate', EXAMPLE_FLEET, '--state', state, '--now', now], {
    stdout: { write: () => undefined },
    stderr: { write: (text: string) => (stderr += text) },
    clock: () => new Date('2030-01-01T00:00:00Z'),
  });
  return { code, stderr };
}

async function outbox(state: string): Promise<OutboxLine[]> {
  const text = await readFile(join(state, 'outbox.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxLine);
}

describe('fleet-auditor nightly, when extended-support billing starts', () => {
  it('alerts payments-api 1 day before billing starts, once on the day it starts, and not again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nightly-billing-'));
    dirs.push(dir);
    const state = join(dir, 'state');
    const perNight: OutboxLine[][] = [];
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) {
      const earlier = perNight.flat().length;
      expect(await nightly(state, `${day}T12:00:00Z`)).toEqual({ code: 0, stderr: '' });
      perNight.push((await outbox(state)).slice(earlier));
    }
    const paymentsApi = (lines: OutboxLine[]): OutboxLine[] =>
      lines.filter((l) => l.event.type === 'DEADLINE_THRESHOLD' && l.event.cluster?.name === 'payments-api');

    const [dayBefore = [], billingDay = [], dayAfter = []] = perNight.map(paymentsApi);

    expect(dayBefore.map((l) => l.subject)).toEqual(['[CRITICAL] EKS payments-api 1.34: 1 day to 2026-12-02']);
    expect(billingDay.map((l) => l.subject)).toEqual([
      '[WARNING] EKS payments-api 1.34: extended-support billing since 2026-12-02',
    ]);
    expect(billingDay[0]?.event.detail).toEqual({
      threshold: 0,
      deadline: { date: '2026-12-02', consequence: 'EXTENDED_BILLING', daysRemaining: 0 },
      severity: 'WARNING',
    });
    expect(billingDay[0]?.event.text).toContain(
      'passed its deadline on 2026-12-02: extended-support billing starts ($0.60 instead of $0.10 per cluster-hour)',
    );
    expect(dayAfter).toEqual([]);
  });
});

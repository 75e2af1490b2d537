import { describe, expect, it } from 'vitest';
import {
  MAX_BAKE_MS,
  alarmWatched,
  bakeUntil,
  decideBake,
  parseBake,
  parseHealthAlarms,
} from '../../functions/core/bake.ts';
import { parseMaintenanceWindow } from '../../functions/core/maintenance-window.ts';
import { parseOptInTags } from '../../functions/core/opt-in-tags.ts';
import { DEFAULT_BAKE_MS } from '../../functions/core/defaults.ts';

const H = 3_600_000;

describe('parseBake', () => {
  it.each([
    ['0', 0],
    ['1h', H],
    ['12h', 12 * H],
    ['24h', 24 * H],
    ['3d', 72 * H],
    ['6d', MAX_BAKE_MS],
    ['144h', MAX_BAKE_MS],
  ])('accepts %s', (value, ms) => {
    expect(parseBake(value)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['7d', /at most 6d/],
    ['145h', /at most 6d/],
    ['012h', /must be 0/],
    ['12 h', /must be 0/],
    [' 12h', /must be 0/],
    ['12H', /must be 0/],
    ['1.5d', /must be 0/],
    ['30m', /must be 0/],
    ['', /must be 0/],
    ['-1d', /must be 0/],
    ['00', /must be 0/],
  ])('rejects %j', (value, reason) => {
    const parsed = parseBake(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('defaults to 24 hours', () => {
    expect(DEFAULT_BAKE_MS).toBe(24 * H);
  });
});

describe('parseHealthAlarms', () => {
  it.each([
    ['web-5xx', ['web-5xx']],
    ['web-5xx,web-latency', ['web-5xx', 'web-latency']],
    ['payments-*,web-5xx', ['payments-*', 'web-5xx']],
    ['Alarm with spaces inside', ['Alarm with spaces inside']],
  ])('accepts %j', (value, names) => {
    expect(parseHealthAlarms(value)).toEqual({ ok: true, value: names });
  });

  it.each([
    ['', /no empty entry/],
    ['a,,b', /no empty entry/],
    ['a,', /no empty entry/],
    ['a, b', /surrounding spaces/],
    ['*', /needs a prefix/],
    ['web-*-5xx', /only at its end/],
    [Array.from({ length: 101 }, (_, i) => `a${i}`).join(','), /at most 100/],
    ['x'.repeat(256), /longer than 255/],
  ])('rejects %j', (value, reason) => {
    const parsed = parseHealthAlarms(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('alarmWatched', () => {
  it.each([
    ['web-5xx', 'web-5xx', true],
    ['web-5xx', 'web-5xx-2', false],
    ['web-*', 'web-5xx', true],
    ['web-*', 'api-5xx', false],
  ])('%s watches %s: %s', (pattern, name, watched) => {
    expect(alarmWatched(pattern, name)).toBe(watched);
  });
});

describe('opt-in tags bake and health-alarms', () => {
  it('reads both tags into the policy', () => {
    const policy = parseOptInTags({ 'fleet-auditor/bake': '3d', 'fleet-auditor/health-alarms': 'web-*,api-5xx' });
    expect(policy.bakeMs).toBe(72 * H);
    expect(policy.healthAlarms).toEqual(['web-*', 'api-5xx']);
    expect(policy.invalid).toEqual([]);
  });

  it('reports a bad bake as INVALID_OPT_IN_TAG and keeps the default (absent)', () => {
    const policy = parseOptInTags({ 'fleet-auditor/bake': '7d' });
    expect(policy.bakeMs).toBeUndefined();
    expect(policy.invalid).toEqual([{ key: 'fleet-auditor/bake', value: '7d', reason: expect.stringMatching(/6d/) }]);
  });

  it('parses values strictly, without trimming', () => {
    const policy = parseOptInTags({ 'fleet-auditor/bake': '12h ', 'fleet-auditor/health-alarms': ' web' });
    expect(policy.invalid.map((tag) => tag.key)).toEqual(['fleet-auditor/bake', 'fleet-auditor/health-alarms']);
  });
});

describe('decideBake', () => {
  const start = '2026-12-01T02:00:00.000Z';
  const until = bakeUntil(start, 24 * H);
  const healthy = { verdict: 'HEALTHY', code: 'HEALTHY', reason: 'fine' } as const;

  it('computes the end of the bake', () => {
    expect(until).toBe('2026-12-02T02:00:00.000Z');
  });

  it.each([
    [
      'a bad signal rolls back at once, even mid-bake',
      '2026-12-01T10:00:00Z',
      { verdict: 'BAD', code: 'HEALTH_ALARM', reason: 'alarm web-5xx in ALARM' },
      null,
      'ROLL_BACK',
      'BAD_SIGNAL',
    ],
    [
      'a bad signal rolls back outside the window too',
      '2026-12-03T12:00:00Z',
      { verdict: 'BAD', code: 'ADDON_DEGRADED', reason: 'add-on coredns DEGRADED' },
      'Sat 02:00-06:00 UTC',
      'ROLL_BACK',
      'BAD_SIGNAL',
    ],
    [
      'unknown health keeps baking',
      '2026-12-05T02:00:00Z',
      { verdict: 'UNKNOWN', code: 'HEALTH_UNKNOWN', reason: 'alarms unreadable' },
      null,
      'KEEP_BAKING',
      'HEALTH_UNKNOWN',
    ],
    ['healthy before the end keeps baking', '2026-12-01T23:59:59Z', healthy, null, 'KEEP_BAKING', 'BAKING'],
    ['healthy at the end rolls the nodes', '2026-12-02T02:00:00Z', healthy, null, 'ROLL_NODES', 'BAKE_COMPLETE'],
    [
      'healthy, baked, outside the window waits for it',
      '2026-12-03T12:00:00Z',
      healthy,
      'Sat 02:00-06:00 UTC',
      'KEEP_BAKING',
      'OUTSIDE_WINDOW',
    ],
    [
      'healthy, baked, inside the window rolls the nodes',
      '2026-12-05T03:00:00Z',
      healthy,
      'Sat 02:00-06:00 UTC',
      'ROLL_NODES',
      'BAKE_COMPLETE',
    ],
  ] as const)('%s', (_name, now, health, window, action, code) => {
    const decision = decideBake({
      bakeUntil: until,
      now: new Date(now),
      health,
      window: window === null ? null : parseMaintenanceWindow(window),
    });
    expect(decision).toMatchObject({ action, code });
    expect(decision.reason.length).toBeGreaterThan(0);
  });

  it('names the signal in the reason of a rollback', () => {
    const decision = decideBake({
      bakeUntil: until,
      now: new Date(start),
      health: { verdict: 'BAD', code: 'HEALTH_ALARM', reason: 'alarm web-5xx in ALARM' },
      window: null,
    });
    expect(decision.reason).toBe('HEALTH_ALARM: alarm web-5xx in ALARM');
  });
});

import { describe, expect, it } from 'vitest';
import { parseMaintenanceWindow } from '../../functions/core/maintenance-window.ts';
import {
  describeInvalidTag,
  optInFindings,
  parseOptInTags,
  type OptInPolicy,
} from '../../functions/core/opt-in-tags.ts';
import { DEFAULT_TAG_PREFIX } from '../../functions/core/defaults.ts';

const SAFE_DEFAULTS: OptInPolicy = {
  autoUpgrade: false,
  target: null,
  window: null,
  wave: 0,
  freezeUntil: null,
  strategy: 'auto',
  rolloutGroup: 'default',
  invalid: [],
};

describe('parseOptInTags', () => {
  it('uses fleet-auditor/ as the default prefix', () => {
    expect(DEFAULT_TAG_PREFIX).toBe('fleet-auditor/');
  });

  it('returns the safe defaults for a cluster without tags', () => {
    expect(parseOptInTags({})).toEqual(SAFE_DEFAULTS);
  });

  it('ignores tags outside the prefix', () => {
    expect(parseOptInTags({ team: 'payments', 'kubernetes.io/cluster': 'owned', fleet: 'x' })).toEqual(SAFE_DEFAULTS);
  });

  it('reads every tag of a fully opted-in cluster', () => {
    const policy = parseOptInTags({
      'fleet-auditor/auto-upgrade': 'true',
      'fleet-auditor/target-version': '1.33',
      'fleet-auditor/maintenance-window': 'Mon-Fri 22:00-02:00 Europe/Berlin',
      'fleet-auditor/wave': '2',
      'fleet-auditor/freeze-until': '2026-12-31',
      'fleet-auditor/rollout-group': 'payments',
    });
    expect(policy).toEqual({
      autoUpgrade: true,
      target: '1.33',
      window: parseMaintenanceWindow('Mon-Fri 22:00-02:00 Europe/Berlin'),
      wave: 2,
      freezeUntil: '2026-12-31',
      strategy: 'auto',
      rolloutGroup: 'payments',
      invalid: [],
    });
  });

  it.each([
    ['true', true],
    ['false', false],
  ])('reads auto-upgrade %j as %s', (value, expected) => {
    const policy = parseOptInTags({ 'fleet-auditor/auto-upgrade': value });
    expect(policy.autoUpgrade).toBe(expected);
    expect(policy.invalid).toEqual([]);
  });

  it.each([
    ['TRUE', /case-sensitive, as IAM compares them: write "true"/],
    ['True', /case-sensitive, as IAM compares them: write "true"/],
    ['False', /case-sensitive, as IAM compares them: write "false"/],
    [' true', /leading or trailing spaces; IAM compares tag values exactly \(no trimming\), so write "true"/],
    ['true ', /leading or trailing spaces.*write "true"/],
    ['\ttrue\n', /leading or trailing spaces.*write "true"/],
  ])('rejects auto-upgrade %j as IAM would: not opted in, INVALID_OPT_IN_TAG with the reason', (value, reason) => {
    const key = 'fleet-auditor/auto-upgrade';
    const policy = parseOptInTags({ [key]: value });
    expect(policy.autoUpgrade).toBe(false);
    expect(policy.invalid).toEqual([{ key, value, reason: expect.stringMatching(reason) }]);
    expect(optInFindings(policy)).toEqual([expect.objectContaining({ code: 'INVALID_OPT_IN_TAG' })]);
  });

  it.each([
    ['target-version', ' 1.33', /leading or trailing spaces.*write "1.33"/],
    ['target-version', 'Latest', /case-sensitive: write "latest"/],
    ['wave', '1 ', /leading or trailing spaces.*write "1"/],
    ['freeze-until', ' 2026-12-31', /leading or trailing spaces.*write "2026-12-31"/],
    ['maintenance-window', 'Sat 02:00-06:00 UTC ', /leading or trailing spaces.*write "Sat 02:00-06:00 UTC"/],
    ['rollout-group', ' payments', /leading or trailing spaces.*write "payments"/],
  ])('parses every tag strictly: rejects %s=%j', (name, value, reason) => {
    const key = `fleet-auditor/${name}`;
    const policy = parseOptInTags({ [key]: value });
    expect(policy.invalid).toEqual([{ key, value, reason: expect.stringMatching(reason) }]);
    expect({ ...policy, invalid: [] }).toEqual(SAFE_DEFAULTS);
  });

  it.each(['payments', 'team-a.prod', 'A_1', 'x'.repeat(63)])('reads rollout-group %j', (value) => {
    expect(parseOptInTags({ 'fleet-auditor/rollout-group': value })).toEqual({ ...SAFE_DEFAULTS, rolloutGroup: value });
  });

  it.each([
    ['', /1–63 letters, digits/],
    ['team a', /1–63 letters, digits/],
    ['payments/prod', /1–63 letters, digits/],
    ['x'.repeat(64), /at most 63 characters \(this one has 64\)/],
  ])('rejects rollout-group %j, keeping the default group', (value, reason) => {
    const key = 'fleet-auditor/rollout-group';
    const policy = parseOptInTags({ [key]: value });
    expect(policy.rolloutGroup).toBe('default');
    expect(policy.invalid).toEqual([{ key, value, reason: expect.stringMatching(reason) }]);
  });

  it.each([
    ['latest', 'latest'],
    ['1.9', '1.9'],
    ['1.33', '1.33'],
  ])('reads target-version %j as %j', (value, expected) => {
    expect(parseOptInTags({ 'fleet-auditor/target-version': value }).target).toBe(expected);
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['10', 10],
  ])('reads wave %j as %i', (value, expected) => {
    expect(parseOptInTags({ 'fleet-auditor/wave': value }).wave).toBe(expected);
  });

  it('reads tags under a configured prefix, and ignores the default one then', () => {
    const policy = parseOptInTags({ 'acme:auto-upgrade': 'true', 'fleet-auditor/wave': 'x' }, 'acme:');
    expect(policy).toEqual({ ...SAFE_DEFAULTS, autoUpgrade: true });
  });

  it.each([
    ['auto-upgrade', 'yes', /must be "true" or "false"/],
    ['auto-upgrade', '1', /must be "true" or "false"/],
    ['auto-upgrade', '', /must be "true" or "false"/],
    ['target-version', 'v1.31', /Kubernetes minor version such as "1.33", or "latest"/],
    ['target-version', '1.31.2', /Kubernetes minor version/],
    ['target-version', '1.x', /Kubernetes minor version/],
    ['target-version', '', /Kubernetes minor version/],
    ['maintenance-window', 'weekends', /found 1 part\(s\)/],
    ['maintenance-window', 'Sat 24:00-02:00 UTC', /24:00 is not allowed/],
    ['maintenance-window', 'Sat 02:00-06:00 Mars/Olympus', /unknown time zone/],
    ['wave', '01', /without leading zeros \(write "1"\)/],
    ['wave', '-1', /whole number ≥ 0/],
    ['wave', '1.5', /whole number ≥ 0/],
    ['wave', 'x', /whole number ≥ 0/],
    ['wave', '+1', /whole number ≥ 0/],
    ['wave', '', /whole number ≥ 0/],
    ['wave', '99999999999999999999', /whole number ≥ 0/],
    ['freeze-until', '2026-02-30', /real date written YYYY-MM-DD/],
    ['freeze-until', '2026-2-3', /real date written YYYY-MM-DD/],
    ['freeze-until', 'tomorrow', /real date written YYYY-MM-DD/],
    ['freeze-until', '2026-12-01T00:00:00Z', /a date YYYY-MM-DD \(UTC\), not an instant/],
  ])('rejects %s=%j, keeping the safe default', (name, value, reason) => {
    const key = `fleet-auditor/${name}`;
    const policy = parseOptInTags({ [key]: value });
    expect(policy.invalid).toEqual([{ key, value, reason: expect.stringMatching(reason) }]);
    expect({ ...policy, invalid: [] }).toEqual(SAFE_DEFAULTS);
  });

  it('turns auto-upgrade off when its value is invalid even though other tags are fine', () => {
    const policy = parseOptInTags({ 'fleet-auditor/auto-upgrade': 'yes', 'fleet-auditor/wave': '1' });
    expect(policy.autoUpgrade).toBe(false);
    expect(policy.wave).toBe(1);
  });

  it.each([
    ['fleet-auditor/auto-upgarde', /did you mean fleet-auditor\/auto-upgrade\?/],
    ['fleet-auditor/targetversion', /did you mean fleet-auditor\/target-version\?/],
    ['fleet-auditor/Wave', /keys are case-sensitive, write fleet-auditor\/wave/],
    ['Fleet-Auditor/auto-upgrade', /keys are case-sensitive, write fleet-auditor\/auto-upgrade/],
    ['fleet-auditor/colour', /known keys are fleet-auditor\/auto-upgrade, fleet-auditor\/target-version/],
    ['fleet-auditor/', /known keys are/],
  ])('reports the unknown key %j instead of ignoring it', (key, reason) => {
    const policy = parseOptInTags({ [key]: 'true' });
    expect(policy.invalid).toEqual([{ key, value: 'true', reason: expect.stringMatching(reason) }]);
    expect(policy.autoUpgrade).toBe(false);
  });

  it('lists every invalid tag, in key order, and keeps the value as written', () => {
    const policy = parseOptInTags({
      'fleet-auditor/wave': ' 01 ',
      'fleet-auditor/auto-upgrade': 'yes',
      'fleet-auditor/freeze-until': '2026-02-30',
    });
    expect(policy.invalid.map((tag) => [tag.key, tag.value])).toEqual([
      ['fleet-auditor/auto-upgrade', 'yes'],
      ['fleet-auditor/freeze-until', '2026-02-30'],
      ['fleet-auditor/wave', ' 01 '],
    ]);
  });
});

describe('optInFindings', () => {
  it('gives no finding for valid tags', () => {
    expect(optInFindings(parseOptInTags({ 'fleet-auditor/auto-upgrade': 'true' }))).toEqual([]);
  });

  it('gives one INVALID_OPT_IN_TAG warning per invalid tag, naming key, value and reason', () => {
    const policy = parseOptInTags({ 'fleet-auditor/auto-upgrade': 'yes', 'fleet-auditor/auto-upgarde': 'true' });
    const findings = optInFindings(policy);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toEqual({
      code: 'INVALID_OPT_IN_TAG',
      severity: 'WARNING',
      message:
        'tag fleet-auditor/auto-upgarde="true" is invalid: unknown tag key; did you mean fleet-auditor/auto-upgrade?; ' +
        'automatic upgrades are blocked until it is fixed',
    });
    expect(findings[1]?.message).toMatch(
      /^tag fleet-auditor\/auto-upgrade="yes" is invalid: must be "true" or "false"/,
    );
  });
});

describe('describeInvalidTag', () => {
  it('names key, quoted value and reason', () => {
    expect(describeInvalidTag({ key: 'k', value: 'v', reason: 'r' })).toBe('tag k="v" is invalid: r');
  });
});

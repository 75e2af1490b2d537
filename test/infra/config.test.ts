import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, rawConfigFromContext } from '../../infra/config.ts';
import { CDK_CONTEXT, CHECKED_IN_CONFIG } from './infra-fixtures.ts';

const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const MINIMAL = {
  hubAccountId: '111111111111',
  hubRegion: 'eu-west-1',
  regions: ['eu-west-1'],
  accounts: { organizationId: ORGANIZATION_ID },
};

function issuesOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('fills every default from a minimal configuration', () => {
    const config = parseConfig(MINIMAL);

    expect(config).toEqual({
      namespace: 'fleet-auditor',
      hubAccountId: '111111111111',
      hubRegion: 'eu-west-1',
      accounts: { ids: [], organizationalUnitIds: [], organizationId: ORGANIZATION_ID },
      regions: ['eu-west-1'],
      schedule: { expression: 'cron(0 2 * * ? *)', timeZone: 'UTC' },
      alertEmails: [],
      tagPrefix: 'fleet-auditor/',
      thresholds: { soakDays: 7, lockTtlSeconds: 14_400, failedTargetsAlarm: 1 },
      maxConcurrentUpgrades: 5,
      logRetentionDays: 90,
      memberStackSet: null,
    });
  });

  it('requires the organization id when no account list is configured (member trust uses aws:PrincipalOrgID)', () => {
    expect(issuesOf({ ...MINIMAL, accounts: {} })).toEqual([
      expect.stringMatching(/^accounts\.organizationId: is required/),
    ]);
    expect(issuesOf({ ...MINIMAL, accounts: { organizationId: 'o-X' } })).toEqual([
      expect.stringMatching(/^accounts\.organizationId: must be an Organizations id/),
    ]);
    expect(parseConfig({ ...MINIMAL, accounts: { ids: ['222222222222'] } }).accounts.organizationId).toBeNull();
  });

  it('accepts the configuration checked in to cdk.json', () => {
    expect(CHECKED_IN_CONFIG.hubAccountId).toMatch(/^\d{12}$/);
    expect(CHECKED_IN_CONFIG.regions.length).toBeGreaterThan(0);
  });

  it('accepts OU and root ids with a StackSet home, and the delegated-administrator mode', () => {
    const config = parseConfig({
      ...MINIMAL,
      accounts: { organizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'], organizationId: ORGANIZATION_ID },
      memberStackSet: { accountId: '999999999999', region: 'us-east-1', callAs: 'DELEGATED_ADMIN' },
    });

    expect(config.memberStackSet).toEqual({
      accountId: '999999999999',
      region: 'us-east-1',
      callAs: 'DELEGATED_ADMIN',
    });
    expect(config.accounts.organizationalUnitIds).toEqual(['ou-ab12-cdef3456', 'r-ab12']);
  });

  it.each([
    ['a short hub account id', { hubAccountId: '1234' }, 'hubAccountId: must be a 12-digit AWS account id'],
    ['a region that is not one', { hubRegion: 'europe' }, 'hubRegion: must be an AWS region name'],
    ['no region to audit', { regions: [] }, 'regions: must name at least one region'],
    ['an upper-case namespace', { namespace: 'Fleet_Auditor' }, 'namespace: must be lower-case letters'],
    ['a namespace too long for IAM role names', { namespace: 'a'.repeat(41) }, 'namespace: must be at most 40'],
    ['a member account id with 11 digits', { accounts: { ids: ['12345678901'] } }, 'accounts.ids.0: must be 12-digit'],
    ['a malformed OU id', { accounts: { organizationalUnitIds: ['ou-bad'] } }, 'accounts.organizationalUnitIds.0'],
    [
      'a root id with capitals',
      { accounts: { organizationalUnitIds: ['r-AB12'] } },
      'must be Organizations OU or root',
    ],
    ['a schedule in prose', { schedule: { expression: 'every night at 2' } }, 'schedule.expression: must be cron'],
    ['an unknown time zone', { schedule: { timeZone: 'Mars/Olympus_Mons' } }, 'schedule.timeZone: must be an IANA'],
    ['an e-mail address without a domain', { alertEmails: ['platform-team'] }, 'alertEmails.0: must be e-mail'],
    ['the reserved aws: tag prefix', { tagPrefix: 'aws:fleet/' }, 'tagPrefix: must not start with the reserved aws:'],
    ['a negative upgrade concurrency', { maxConcurrentUpgrades: -1 }, 'maxConcurrentUpgrades'],
    ['a log retention CloudWatch does not offer', { logRetentionDays: 42 }, 'logRetentionDays: must be one of'],
    ['a lock lease under a minute', { thresholds: { lockTtlSeconds: 30 } }, 'thresholds.lockTtlSeconds'],
    ['a misspelt field', { regoins: ['eu-west-1'] }, 'regoins'],
    [
      'a StackSet without organizational units',
      { memberStackSet: { accountId: '999999999999', region: 'us-east-1' } },
      'memberStackSet: needs accounts.organizationalUnitIds',
    ],
  ])('rejects %s, naming the field', (_label, patch, expected) => {
    const issues = issuesOf({ ...MINIMAL, ...patch });

    expect(issues.join('\n')).toContain(expected);
  });

  it('names every bad field at once, in one ConfigError', () => {
    const issues = issuesOf({ hubAccountId: 'x', hubRegion: 'y', regions: ['z'], accounts: { ids: ['1'] } });

    expect(issues).toHaveLength(4);
    expect(() => parseConfig({})).toThrow(ConfigError);
  });
});

describe('rawConfigFromContext', () => {
  it('overrides one nested field from the command line (-c fleetAuditor.accounts.ids=...)', () => {
    const raw = rawConfigFromContext({
      fleetAuditor: { ...MINIMAL, accounts: { ids: ['222222222222'], organizationalUnitIds: [] } },
      'fleetAuditor.accounts.ids': '444455556666, 777788889999',
    });

    expect(parseConfig(raw).accounts).toEqual({
      ids: ['444455556666', '777788889999'],
      organizationalUnitIds: [],
      organizationId: null,
    });
  });

  it.each([
    [
      'fleetAuditor.maxConcurrentUpgrades',
      '2',
      (c: ReturnType<typeof parseConfig>): unknown => c.maxConcurrentUpgrades,
      2,
    ],
    [
      'fleetAuditor.regions',
      'us-east-1,eu-central-1',
      (c: ReturnType<typeof parseConfig>): unknown => c.regions,
      ['us-east-1', 'eu-central-1'],
    ],
    [
      'fleetAuditor.schedule.timeZone',
      'Europe/Berlin',
      (c: ReturnType<typeof parseConfig>): unknown => c.schedule.timeZone,
      'Europe/Berlin',
    ],
    ['fleetAuditor.memberStackSet', 'null', (c: ReturnType<typeof parseConfig>): unknown => c.memberStackSet, null],
    [
      'fleetAuditor.alertEmails',
      '["a@example.com","b@example.com"]',
      (c: ReturnType<typeof parseConfig>): unknown => c.alertEmails,
      ['a@example.com', 'b@example.com'],
    ],
  ])('reads the command-line text %s=%s as the field expects', (key, value, pick, expected) => {
    const config = parseConfig(rawConfigFromContext({ fleetAuditor: MINIMAL, [key]: value }));

    expect(pick(config)).toEqual(expected);
  });

  it("takes the whole object as JSON text (-c fleetAuditor='{...}')", () => {
    const config = parseConfig(rawConfigFromContext({ fleetAuditor: JSON.stringify(MINIMAL) }));

    expect(config.hubAccountId).toBe('111111111111');
  });

  it('rejects text that is not JSON with a ConfigError', () => {
    expect(() => rawConfigFromContext({ fleetAuditor: '{hubAccountId: 1' })).toThrow(ConfigError);
    expect(() => rawConfigFromContext({ fleetAuditor: MINIMAL, 'fleetAuditor.thresholds': '{soakDays: 3' })).toThrow(
      /fleetAuditor.thresholds: is neither plain text nor valid JSON/,
    );
  });

  it("reads a JSON object given for one field (-c fleetAuditor.memberStackSet='{...}')", () => {
    const raw = rawConfigFromContext({
      fleetAuditor: { ...MINIMAL, accounts: { organizationalUnitIds: ['r-ab12'], organizationId: ORGANIZATION_ID } },
      'fleetAuditor.memberStackSet': '{"accountId":"999999999999","region":"eu-west-1"}',
    });

    expect(parseConfig(raw).memberStackSet).toEqual({ accountId: '999999999999', region: 'eu-west-1', callAs: 'SELF' });
  });

  it('leaves the context it was given unchanged', () => {
    const context = {
      fleetAuditor: { ...MINIMAL, schedule: { timeZone: 'UTC' } },
      'fleetAuditor.schedule.timeZone': 'Asia/Tokyo',
    };

    rawConfigFromContext(context);

    expect(context.fleetAuditor.schedule.timeZone).toBe('UTC');
  });

  it('reads the checked-in cdk.json context without overrides', () => {
    expect(parseConfig(rawConfigFromContext(CDK_CONTEXT))).toEqual(CHECKED_IN_CONFIG);
  });
});

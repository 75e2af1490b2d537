import { describe, expect, it } from 'vitest';
import {
  HUB_AUDIT_ROLE_NAME,
  HUB_UPGRADE_ROLE_NAME,
  MAX_NAMESPACE_LENGTH,
  READ_ROLE_NAME,
  UPGRADE_ROLE_NAME,
  namespaceProblem,
  roleArn,
  roleNames,
  partitionOf,
} from '../../functions/core/naming.ts';
import { DEFAULT_NAMESPACE } from '../../functions/core/defaults.ts';

/** IAM role names: at most 64 characters of letters, digits and `+=,.@_-`. */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

describe('roleArn', () => {
  it('names a role in the commercial partition by default', () => {
    expect(roleArn('123456789012', 'fleet-auditor-read')).toBe('arn:aws:iam::123456789012:role/fleet-auditor-read');
  });

  it.each([
    ['aws', 'arn:aws:iam::210987654321:role/fleet-auditor-upgrade'],
    ['aws-cn', 'arn:aws-cn:iam::210987654321:role/fleet-auditor-upgrade'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::210987654321:role/fleet-auditor-upgrade'],
    ['aws-iso', 'arn:aws-iso:iam::210987654321:role/fleet-auditor-upgrade'],
  ])('puts the %s partition into the ARN', (partition, expected) => {
    expect(roleArn('210987654321', 'fleet-auditor-upgrade', partition)).toBe(expected);
  });

  it('leaves the region empty, because IAM is a global service', () => {
    expect(roleArn('123456789012', READ_ROLE_NAME).split(':')[3]).toBe('');
  });

  it('keeps leading zeros of the account id (an account id is 12 digits, not a number)', () => {
    expect(roleArn('000123456789', READ_ROLE_NAME)).toBe('arn:aws:iam::000123456789:role/fleet-auditor-read');
  });

  it.each([
    ['the read role', READ_ROLE_NAME],
    ['the upgrade role', UPGRADE_ROLE_NAME],
    ['the hub audit role', HUB_AUDIT_ROLE_NAME],
    ['the hub upgrade role', HUB_UPGRADE_ROLE_NAME],
  ])('builds a well-formed IAM role ARN for %s', (_label, name) => {
    const arn = roleArn('123456789012', name);
    expect(arn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(arn.slice(arn.indexOf('/') + 1)).toMatch(IAM_ROLE_NAME);
  });
});

describe('role names', () => {
  it('are four distinct names, so hub and member roles never collide', () => {
    const names = [READ_ROLE_NAME, UPGRADE_ROLE_NAME, HUB_AUDIT_ROLE_NAME, HUB_UPGRADE_ROLE_NAME];
    expect(new Set(names).size).toBe(4);
  });

  it.each([
    ['READ_ROLE_NAME', READ_ROLE_NAME, 'fleet-auditor-read'],
    ['UPGRADE_ROLE_NAME', UPGRADE_ROLE_NAME, 'fleet-auditor-upgrade'],
    ['HUB_AUDIT_ROLE_NAME', HUB_AUDIT_ROLE_NAME, 'fleet-auditor-hub-audit'],
    ['HUB_UPGRADE_ROLE_NAME', HUB_UPGRADE_ROLE_NAME, 'fleet-auditor-hub-upgrade'],
  ])('%s is %s (deployed stacks depend on it staying so)', (_constant, value, expected) => {
    expect(value).toBe(expected);
  });
});

describe('namespaceProblem', () => {
  it.each([
    ['the default namespace', DEFAULT_NAMESPACE],
    ['a single word', 'eks'],
    ['words with digits', 'eks-audit-2'],
    ['the longest allowed namespace', `a${'b'.repeat(MAX_NAMESPACE_LENGTH - 1)}`],
  ])('accepts %s', (_label, namespace) => {
    expect(namespaceProblem(namespace)).toBeNull();
  });

  it.each([
    ['an empty namespace', '', 'must not be empty'],
    ['a namespace one character too long', 'a'.repeat(MAX_NAMESPACE_LENGTH + 1), 'must be at most 40 characters'],
    ['upper-case letters', 'Fleet-Auditor', 'lower-case letters'],
    ['a leading digit', '1fleet', 'starting with a letter'],
    ['a leading hyphen', '-fleet', 'starting with a letter'],
    ['a trailing hyphen', 'fleet-', 'single hyphens'],
    ['a double hyphen', 'fleet--auditor', 'single hyphens'],
    ['an underscore', 'fleet_auditor', 'single hyphens'],
    ['a space', 'fleet auditor', 'single hyphens'],
  ])('rejects %s, saying why', (_label, namespace, why) => {
    expect(namespaceProblem(namespace)).toContain(why);
  });
});

describe('roleNames', () => {
  it('yields the four default role-name constants for the default namespace', () => {
    expect(roleNames()).toStrictEqual({
      read: READ_ROLE_NAME,
      upgrade: UPGRADE_ROLE_NAME,
      hubAudit: HUB_AUDIT_ROLE_NAME,
      hubUpgrade: HUB_UPGRADE_ROLE_NAME,
    });
    expect(roleNames(DEFAULT_NAMESPACE)).toStrictEqual(roleNames());
  });

  it('derives every role name from the namespace', () => {
    expect(roleNames('eks-audit')).toStrictEqual({
      read: 'eks-audit-read',
      upgrade: 'eks-audit-upgrade',
      hubAudit: 'eks-audit-hub-audit',
      hubUpgrade: 'eks-audit-hub-upgrade',
    });
  });

  it('keeps every role name of the longest namespace within IAM limits', () => {
    const names = Object.values(roleNames('n'.repeat(MAX_NAMESPACE_LENGTH)));
    for (const name of names) expect(name).toMatch(IAM_ROLE_NAME);
  });

  it('refuses a namespace that cannot name a deployment, naming it and the problem', () => {
    expect(() => roleNames('Fleet')).toThrow(RangeError);
    expect(() => roleNames('')).toThrow('namespace "" must not be empty');
  });
});

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('puts %s in the %s partition', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NAMESPACE,
  HUB_AUDIT_ROLE_NAME,
  HUB_UPGRADE_ROLE_NAME,
  MAX_NAMESPACE_LENGTH,
  READ_ROLE_NAME,
  UPGRADE_ROLE_NAME,
  namespaceProblem,
  roleNames,
} from '../../functions/core/naming.ts';

describe('roleNames', () => {
  it('yields the well-known constants for the default namespace', () => {
    expect(roleNames()).toEqual({
      read: READ_ROLE_NAME,
      upgrade: UPGRADE_ROLE_NAME,
      hubAudit: HUB_AUDIT_ROLE_NAME,
      hubUpgrade: HUB_UPGRADE_ROLE_NAME,
    });
    expect(roleNames(DEFAULT_NAMESPACE)).toEqual(roleNames());
  });

  it('prefixes every role with another namespace, so two deployments can share an account', () => {
    expect(roleNames('eks-audit-staging')).toEqual({
      read: 'eks-audit-staging-read',
      upgrade: 'eks-audit-staging-upgrade',
      hubAudit: 'eks-audit-staging-hub-audit',
      hubUpgrade: 'eks-audit-staging-hub-upgrade',
    });
  });

  it('keeps every name within the 64 characters IAM allows at the longest namespace', () => {
    const names = Object.values(roleNames('a'.repeat(MAX_NAMESPACE_LENGTH)));

    expect(Math.max(...names.map((name) => name.length))).toBeLessThanOrEqual(64);
  });

  it.each(['', 'Fleet', 'fleet_auditor', '-fleet', 'fleet-', 'fleet--auditor', '1fleet', 'a'.repeat(41)])(
    'refuses the namespace "%s"',
    (namespace) => {
      expect(() => roleNames(namespace)).toThrow(RangeError);
    },
  );
});

describe('namespaceProblem', () => {
  it.each(['fleet-auditor', 'eks2', 'a', 'team-a-prod'])('accepts "%s"', (namespace) => {
    expect(namespaceProblem(namespace)).toBeNull();
  });

  it('says what is wrong with a bad namespace', () => {
    expect(namespaceProblem('Fleet')).toMatch(/lower-case letters/);
    expect(namespaceProblem('')).toBe('must not be empty');
  });
});

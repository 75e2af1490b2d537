import { describe, expect, it } from 'vitest';
import {
  executionHash,
  fingerprint,
  pollWaitSeconds,
  upgradeExecutionName,
  upgradeRequestToken,
} from '../../functions/core/upgrade-execution.ts';
import type { UpgradeAction } from '../../functions/core/upgrade-plan-steps.ts';

const ARN = 'arn:aws:eks:eu-west-1:222222222222:cluster/dev-sandbox';
const NOW = new Date('2026-11-22T02:30:00.000Z');

const CONTROL_PLANE: UpgradeAction = {
  phase: 'CONTROL_PLANE',
  kind: 'UpdateClusterVersion',
  fromVersion: '1.33',
  version: '1.34',
  reason: 'next minor',
};

describe('upgradeExecutionName', () => {
  it('names cluster, target and UTC day, then 64 bits of the SHA-256 of the ARN and target', () => {
    // sha256("arn:aws:eks:eu-west-1:222222222222:cluster/dev-sandbox\n1.35") = 4786e7da617d61f1…
    expect(upgradeExecutionName({ name: 'dev-sandbox', arn: ARN }, '1.35', NOW)).toBe(
      'dev-sandbox-1-35-20261122-4786e7da617d61f1',
    );
    expect(executionHash(ARN, '1.35')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same all day, so a second start that day is a duplicate', () => {
    const early = upgradeExecutionName({ name: 'dev-sandbox', arn: ARN }, '1.35', new Date('2026-11-22T00:00:00Z'));
    const late = upgradeExecutionName({ name: 'dev-sandbox', arn: ARN }, '1.35', new Date('2026-11-22T23:59:59Z'));
    const nextDay = upgradeExecutionName({ name: 'dev-sandbox', arn: ARN }, '1.35', new Date('2026-11-23T00:00:00Z'));

    expect(late).toBe(early);
    expect(nextDay).not.toBe(early);
  });

  it('keeps same-named clusters of other accounts (and regions) apart', () => {
    const otherAccount = ARN.replace('222222222222', '333333333333');
    const otherRegion = ARN.replace('eu-west-1', 'us-east-1');
    const names = [ARN, otherAccount, otherRegion].map((arn) =>
      upgradeExecutionName({ name: 'dev-sandbox', arn }, '1.35', NOW),
    );

    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^dev-sandbox-1-35-20261122-[0-9a-f]{16}$/);
  });

  it('differs with the target version, so another target the same day is a new execution', () => {
    expect(executionHash(ARN, '1.34')).not.toBe(executionHash(ARN, '1.35'));
  });

  it('fits Step Functions: at most 80 letters, digits, - and _', () => {
    const name = upgradeExecutionName({ name: `${'a'.repeat(99)}.x`, arn: ARN }, '1.35', NOW);
    const longTarget = upgradeExecutionName({ name: 'b'.repeat(100), arn: ARN }, `1.${'9'.repeat(60)}`, NOW);

    for (const candidate of [name, longTarget]) {
      expect(candidate.length).toBeLessThanOrEqual(80);
      expect(candidate).toMatch(/^[A-Za-z0-9_-]+$/);
      // The name part is shortened, never the hash.
      expect(candidate).toMatch(/-[0-9a-f]{16}$/);
    }
  });
});

describe('upgradeRequestToken', () => {
  it('is the same for a retried call and differs per hop and per action', () => {
    const token = upgradeRequestToken('exec-1', '1.34', CONTROL_PLANE);
    const addon: UpgradeAction = {
      phase: 'ADDONS',
      kind: 'UpdateAddon',
      addon: 'vpc-cni',
      fromVersion: 'v1.19.5',
      version: 'v1.20.1',
      reason: 'recommended',
    };
    const nodegroup: UpgradeAction = {
      phase: 'NODEGROUPS',
      kind: 'UpdateNodegroupVersion',
      nodegroup: 'default',
      fromVersion: '1.33',
      version: '1.34',
      reason: 'follows',
    };

    expect(upgradeRequestToken('exec-1', '1.34', CONTROL_PLANE)).toBe(token);
    expect(token).toMatch(/^fleet-auditor-[0-9a-f]{32}$/);
    expect(
      new Set([
        token,
        upgradeRequestToken('exec-2', '1.34', CONTROL_PLANE),
        upgradeRequestToken('exec-1', '1.35', { ...CONTROL_PLANE, version: '1.35' }),
        upgradeRequestToken('exec-1', '1.34', addon),
        upgradeRequestToken('exec-1', '1.34', nodegroup),
      ]).size,
    ).toBe(5);
  });
});

describe('fingerprint', () => {
  it.each([8, 16, 32])('gives %i hex characters', (chars) => {
    expect(fingerprint('x', chars)).toMatch(new RegExp(`^[0-9a-f]{${chars}}$`));
  });
});

describe('pollWaitSeconds', () => {
  it.each([
    [0, 30],
    [1, 60],
    [2, 120],
    [3, 240],
    [4, 300],
    [50, 300],
    [-1, 30],
  ])('after %i polls waits %i s', (polls, seconds) => {
    expect(pollWaitSeconds(polls)).toBe(seconds);
  });
});

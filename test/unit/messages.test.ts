import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampSubject,
  clusterRef,
  deadlineThresholdMessage,
  unsupportedVersionMessage,
  upgradeMessage,
  type ClusterRef,
  type UpgradeDetail,
} from '../../functions/core/messages.ts';
import type { ClusterReport } from '../../functions/core/report-types.ts';
import type { Deadline } from '../../functions/core/types.ts';

// A hand-written audit-report row: 1.31 on EXTENDED support, four days before end of extended support.
const REPORT: ClusterReport = {
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'payments',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
  version: '1.31',
  platformVersion: 'eks.12',
  status: 'ACTIVE',
  supportType: 'EXTENDED',
  supportStatus: 'EXTENDED_SUPPORT',
  endOfStandardSupport: '2025-11-26',
  endOfExtendedSupport: '2026-11-26',
  deadline: { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 },
  severity: 'CRITICAL',
  extendedSupportMonthlyUsd: 365,
  nodegroups: [{ name: 'default', version: '1.31', releaseVersion: '1.31.7-20251101', status: 'ACTIVE', skew: 0 }],
  addons: [],
  findings: [],
  upgrade: {
    optedIn: true,
    target: '1.33',
    path: ['1.32', '1.33'],
    eligible: true,
    blockers: [],
    nextWindowStart: null,
    wave: 0,
    rolloutGroup: 'default',
  },
};

const REF: ClusterRef = {
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'payments',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
  version: '1.31',
};

const AUTO_UPGRADE_IN_4: Deadline = { date: '2026-11-26', consequence: 'AUTO_UPGRADE', daysRemaining: 4 };
const BILLING_IN_45: Deadline = { date: '2027-03-27', consequence: 'EXTENDED_BILLING', daysRemaining: 45 };

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Any UTF-16 code unit (control characters, lone surrogates included), or an emoji written as a surrogate pair. */
const ANY_UTF16_UNIT = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.constant('\u{1F680}'),
);

describe('clampSubject', () => {
  it.each([
    ['a short ASCII subject', 'EKS payments: 4 days to 2026-11-26', 'EKS payments: 4 days to 2026-11-26'],
    ['an empty subject', '', ''],
    ['a non-ASCII arrow', 'upgrade 1.31→1.32', 'upgrade 1.31-1.32'],
    ['a line break (SNS rejects them)', 'line one\nline two', 'line one-line two'],
    ['a carriage return and a tab', 'a\r\tb', 'a--b'],
    ['DEL (0x7f), which is not printable', 'a\x7fb', 'a-b'],
    ['an accented letter', 'café', 'caf-'],
  ])('turns %s into printable ASCII', (_label, input, expected) => {
    expect(clampSubject(input)).toBe(expected);
  });

  it('keeps a subject of exactly 100 characters whole', () => {
    const subject = 'x'.repeat(100);
    expect(clampSubject(subject)).toBe(subject);
  });

  it('cuts a subject of 101 characters to 97 characters and an ellipsis of three dots', () => {
    const clamped = clampSubject(`${'a'.repeat(97)}bcde`);
    expect(clamped).toBe(`${'a'.repeat(97)}...`);
    expect(clamped).toHaveLength(100);
  });

  it('counts the length after replacing non-ASCII characters', () => {
    const clamped = clampSubject('é'.repeat(150));
    expect(clamped).toBe(`${'-'.repeat(97)}...`);
  });

  it('returns at most 100 printable ASCII characters for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: ANY_UTF16_UNIT, maxLength: 300 }), (subject) => {
        const clamped = clampSubject(subject);
        return clamped.length <= 100 && PRINTABLE_ASCII.test(clamped);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: ANY_UTF16_UNIT, maxLength: 300 }), (subject) => {
        const once = clampSubject(subject);
        return clampSubject(once) === once;
      }),
      { numRuns: 200 },
    );
  });
});

describe('clusterRef', () => {
  it('keeps exactly the five fields a message names a cluster by (DESIGN §5.4)', () => {
    expect(clusterRef(REPORT)).toStrictEqual(REF);
  });
});

describe('deadlineThresholdMessage', () => {
  describe('for a threshold before the deadline', () => {
    const message = deadlineThresholdMessage(REPORT, 7, AUTO_UPGRADE_IN_4);

    it('puts severity, cluster, version, days and date in the subject', () => {
      expect(message.subject).toBe('[CRITICAL] EKS payments 1.31: 4 days to 2026-11-26');
    });

    it('says in the text how far the deadline is, which threshold fired, and what happens then', () => {
      expect(message.event.text).toBe(
        'EKS cluster payments (111122223333, eu-west-1) runs Kubernetes 1.31 and is 4 days from its deadline on ' +
          '2026-11-26 (threshold 7 days): then AWS may upgrade the control plane automatically, without notice. ' +
          'Severity CRITICAL. Upgrade path: 1.31 → 1.32 → 1.33.',
      );
    });

    it('carries the attributes subscription filter policies match on', () => {
      expect(message.attributes).toStrictEqual({
        type: 'DEADLINE_THRESHOLD',
        severity: 'CRITICAL',
        accountId: '111122223333',
      });
    });

    it('publishes a version 1 DEADLINE_THRESHOLD event shaped as DESIGN §5.4 says', () => {
      expect(message.event).toStrictEqual({
        schemaVersion: 1,
        type: 'DEADLINE_THRESHOLD',
        cluster: REF,
        detail: { threshold: 7, deadline: AUTO_UPGRADE_IN_4, severity: 'CRITICAL' },
        text: message.event.text,
      });
    });

    it('names the cluster by its five reference fields only, not the whole report row', () => {
      expect(Object.keys(message.event.cluster ?? {}).sort()).toEqual([
        'accountId',
        'arn',
        'name',
        'region',
        'version',
      ]);
    });

    it('survives a JSON round trip unchanged (it is what SQS, Lambda and HTTPS subscribers receive)', () => {
      expect(JSON.parse(JSON.stringify(message.event))).toStrictEqual(message.event);
    });
  });

  it('explains extended-support billing when that is the consequence', () => {
    const message = deadlineThresholdMessage({ ...REPORT, severity: 'WARNING' }, 60, BILLING_IN_45);
    expect(message.subject).toBe('[WARNING] EKS payments 1.31: 45 days to 2027-03-27');
    expect(message.event.text).toContain(
      'is 45 days from its deadline on 2027-03-27 (threshold 60 days): then extended-support billing starts ' +
        '($0.60 instead of $0.10 per cluster-hour).',
    );
    expect(message.attributes.severity).toBe('WARNING');
    expect(message.event.detail).toStrictEqual({ threshold: 60, deadline: BILLING_IN_45, severity: 'WARNING' });
  });

  it('writes "1 day" in the text when one day remains', () => {
    const deadline: Deadline = { ...AUTO_UPGRADE_IN_4, daysRemaining: 1 };
    expect(deadlineThresholdMessage(REPORT, 1, deadline).event.text).toContain('is 1 day from its deadline');
  });

  it('writes "1 day" in the subject when one day remains', () => {
    const deadline: Deadline = { ...AUTO_UPGRADE_IN_4, daysRemaining: 1 };
    expect(deadlineThresholdMessage(REPORT, 1, deadline).subject).toBe(
      '[CRITICAL] EKS payments 1.31: 1 day to 2026-11-26',
    );
  });

  it('names the start of extended-support billing in the subject when that deadline passes', () => {
    const billing: Deadline = { date: '2025-11-26', consequence: 'EXTENDED_BILLING', daysRemaining: 0 };
    expect(deadlineThresholdMessage(REPORT, 0, billing).subject).toBe(
      '[CRITICAL] EKS payments 1.31: extended-support billing since 2025-11-26',
    );
  });

  describe.each([
    ['on the deadline day itself', 0],
    ['days after the deadline', -3],
  ])('for a passed deadline (threshold 0) %s', (_label, daysRemaining) => {
    const deadline: Deadline = { ...AUTO_UPGRADE_IN_4, daysRemaining };
    const expired: ClusterReport = { ...REPORT, severity: 'EXPIRED', deadline };
    const message = deadlineThresholdMessage(expired, 0, deadline);

    it('says in the subject that the deadline passed', () => {
      expect(message.subject).toBe('[EXPIRED] EKS payments 1.31: deadline 2026-11-26 passed');
    });

    it('says in the text that the deadline passed and what AWS may now do', () => {
      expect(message.event.text).toContain(
        'runs Kubernetes 1.31 and passed its deadline on 2026-11-26: AWS may upgrade the control plane ' +
          'automatically, without notice. Severity EXPIRED.',
      );
      expect(message.event.text).not.toContain('threshold');
    });

    it('records threshold 0 in the event and EXPIRED in the attributes', () => {
      expect(message.event.detail).toStrictEqual({ threshold: 0, deadline, severity: 'EXPIRED' });
      expect(message.attributes).toStrictEqual({
        type: 'DEADLINE_THRESHOLD',
        severity: 'EXPIRED',
        accountId: '111122223333',
      });
    });
  });

  it('calls a deadline passed in the text when no days remain, whatever the threshold', () => {
    const deadline: Deadline = { ...AUTO_UPGRADE_IN_4, daysRemaining: 0 };
    expect(deadlineThresholdMessage(REPORT, 1, deadline).event.text).toContain('passed its deadline on 2026-11-26');
  });

  it.each([
    ['there is no target', { ...REPORT.upgrade, target: null, path: [] }],
    ['the cluster is at its target', { ...REPORT.upgrade, target: '1.31', path: [] }],
  ])('says no upgrade target is available when %s', (_label, upgrade) => {
    const message = deadlineThresholdMessage({ ...REPORT, upgrade }, 7, AUTO_UPGRADE_IN_4);
    expect(message.event.text).toMatch(/Severity CRITICAL\. No upgrade target is available\.$/);
    expect(message.event.text).not.toContain('Upgrade path');
  });

  it('keeps the subject within 100 printable ASCII characters for a cluster with a 100-character name', () => {
    const longName = `c${'-x'.repeat(49)}y`;
    const message = deadlineThresholdMessage({ ...REPORT, name: longName }, 7, AUTO_UPGRADE_IN_4);
    expect(message.subject).toHaveLength(100);
    expect(message.subject).toMatch(PRINTABLE_ASCII);
    expect(message.subject.endsWith('...')).toBe(true);
    expect(message.event.cluster?.name).toBe(longName);
  });
});

describe('unsupportedVersionMessage', () => {
  // 1.22 is in no calendar row: the report has no deadline and calls the cluster EXPIRED.
  const LEGACY: ClusterReport = {
    ...REPORT,
    name: 'legacy',
    arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/legacy',
    version: '1.22',
    supportStatus: 'UNSUPPORTED',
    endOfStandardSupport: null,
    endOfExtendedSupport: null,
    deadline: null,
    severity: 'EXPIRED',
    extendedSupportMonthlyUsd: 0,
    upgrade: { ...REPORT.upgrade, target: '1.24', path: ['1.23', '1.24'] },
  };
  const message = unsupportedVersionMessage(LEGACY);

  it('says in the subject that the version is no longer supported', () => {
    expect(message.subject).toBe('[EXPIRED] EKS legacy 1.22: version no longer supported');
  });

  it('says in the text that the version is not in the calendar, what that means, and the way out', () => {
    expect(message.event.text).toBe(
      'EKS cluster legacy (111122223333, eu-west-1) runs Kubernetes 1.22, which is not in the EKS support ' +
        'calendar: it is treated as past the end of extended support, and AWS may upgrade the control plane ' +
        'automatically, without notice. Severity EXPIRED. Upgrade path: 1.22 → 1.23 → 1.24.',
    );
  });

  it('is a DEADLINE_THRESHOLD event for threshold 0 with no deadline, as the report has none', () => {
    expect(message.attributes).toStrictEqual({
      type: 'DEADLINE_THRESHOLD',
      severity: 'EXPIRED',
      accountId: '111122223333',
    });
    expect(message.event).toStrictEqual({
      schemaVersion: 1,
      type: 'DEADLINE_THRESHOLD',
      cluster: { ...REF, name: 'legacy', arn: LEGACY.arn, version: '1.22' },
      detail: { threshold: 0, deadline: null, severity: 'EXPIRED' },
      text: message.event.text,
    });
  });

  it('says no upgrade target is available when there is none', () => {
    const text = unsupportedVersionMessage({ ...LEGACY, upgrade: { ...LEGACY.upgrade, target: null, path: [] } }).event
      .text;
    expect(text).toMatch(/Severity EXPIRED\. No upgrade target is available\.$/);
  });

  it('keeps the subject within 100 printable ASCII characters', () => {
    const subject = unsupportedVersionMessage({ ...LEGACY, name: `c${'-x'.repeat(49)}y` }).subject;
    expect(subject).toHaveLength(100);
    expect(subject).toMatch(PRINTABLE_ASCII);
  });
});

describe('upgradeMessage', () => {
  const DETAIL: UpgradeDetail = {
    fromVersion: '1.31',
    toVersion: '1.32',
    executionName: 'payments-1.32-2026-11-22',
  };
  const FAILURE: UpgradeDetail = {
    ...DETAIL,
    error: { name: 'UpdateFailedError', message: 'DescribeUpdate reported Failed', step: 'UpdateControlPlane' },
  };

  it.each([
    [
      'UPGRADE_STARTED',
      DETAIL,
      'EKS payments upgrade 1.31 to 1.32 started',
      'INFO',
      'EKS cluster payments (111122223333, eu-west-1): upgrade from 1.31 to 1.32 started (execution payments-1.32-2026-11-22).',
    ],
    [
      'UPGRADE_SUCCEEDED',
      DETAIL,
      'EKS payments upgrade 1.31 to 1.32 succeeded',
      'INFO',
      'EKS cluster payments (111122223333, eu-west-1): upgraded from 1.31 to 1.32; control plane, add-ons and node ' +
        'groups are ACTIVE (execution payments-1.32-2026-11-22).',
    ],
    [
      'UPGRADE_FAILED',
      FAILURE,
      'EKS payments upgrade 1.31 to 1.32 FAILED',
      'ERROR',
      'EKS cluster payments (111122223333, eu-west-1): upgrade from 1.31 to 1.32 stopped at step UpdateControlPlane: ' +
        'UpdateFailedError: DescribeUpdate reported Failed (execution payments-1.32-2026-11-22). The lock is ' +
        'released; nothing further was changed.',
    ],
  ] as const)('announces %s', (type, detail, subject, severity, text) => {
    const message = upgradeMessage(type, REF, detail);
    expect(message.subject).toBe(subject);
    expect(message.attributes).toStrictEqual({ type, severity, accountId: '111122223333' });
    expect(message.event).toStrictEqual({ schemaVersion: 1, type, cluster: REF, detail: { ...detail }, text });
  });

  it('names the failed step, the error name and its message in an UPGRADE_FAILED event detail', () => {
    const { event } = upgradeMessage('UPGRADE_FAILED', REF, FAILURE);
    expect(event.detail).toStrictEqual({
      fromVersion: '1.31',
      toVersion: '1.32',
      executionName: 'payments-1.32-2026-11-22',
      error: { name: 'UpdateFailedError', message: 'DescribeUpdate reported Failed', step: 'UpdateControlPlane' },
    });
  });

  it('still says what it can when a failure arrives without an error', () => {
    const message = upgradeMessage('UPGRADE_FAILED', REF, DETAIL);
    expect(message.event.text).toContain('stopped at step unknown: Error: no detail (execution');
    expect(message.attributes.severity).toBe('ERROR');
  });

  it('leaves error out of the detail of a started or succeeded upgrade', () => {
    for (const type of ['UPGRADE_STARTED', 'UPGRADE_SUCCEEDED'] as const) {
      expect(Object.keys(upgradeMessage(type, REF, DETAIL).event.detail).sort()).toEqual([
        'executionName',
        'fromVersion',
        'toVersion',
      ]);
    }
  });

  it('copies the detail, so a later change by the caller does not alter the event', () => {
    const detail: { fromVersion: string; toVersion: string; executionName: string } = { ...DETAIL };
    const { event } = upgradeMessage('UPGRADE_STARTED', REF, detail);
    detail.executionName = 'changed';
    expect(event.detail['executionName']).toBe('payments-1.32-2026-11-22');
  });

  it('keeps the subject within 100 printable ASCII characters', () => {
    const message = upgradeMessage('UPGRADE_SUCCEEDED', { ...REF, name: 'n'.repeat(100) }, DETAIL);
    expect(message.subject).toHaveLength(100);
    expect(message.subject).toMatch(PRINTABLE_ASCII);
  });

  it('survives a JSON round trip unchanged', () => {
    const { event } = upgradeMessage('UPGRADE_FAILED', REF, FAILURE);
    expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  });
});

/**
 * The handlers' environment: ORGANIZATIONAL_UNIT_IDS scopes account discovery to roots and OUs (the StackSet's
 * targets); a malformed id fails at start-up naming the variable.
 */
import { describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from '../../functions/handlers/environment.ts';
import { eksPacing } from '../../functions/handlers/nightly/aws-deps.ts';

const BASE = {
  TABLE_NAME: 'fleet',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:fleet-alerts',
  REGIONS: 'eu-west-1',
};

describe('readEnvironment ORGANIZATIONAL_UNIT_IDS', () => {
  it.each([
    ['absent', undefined, []],
    ['empty', '', []],
    ['a root', 'r-a1b2', ['r-a1b2']],
    ['OUs, trimmed', ' ou-a1b2-prod0001 , ou-a1b2-sandbox1,', ['ou-a1b2-prod0001', 'ou-a1b2-sandbox1']],
  ])('reads %s', (_case, value, expected) => {
    const env = readEnvironment({ ...BASE, ...(value === undefined ? {} : { ORGANIZATIONAL_UNIT_IDS: value }) });
    expect(env.ORGANIZATIONAL_UNIT_IDS).toEqual(expected);
  });

  it.each(['ou-prod', 'r-AB12', '123456789012'])('refuses %s, naming the variable', (value) => {
    expect(() => readEnvironment({ ...BASE, ORGANIZATIONAL_UNIT_IDS: value })).toThrow(EnvironmentError);
    expect(() => readEnvironment({ ...BASE, ORGANIZATIONAL_UNIT_IDS: value })).toThrow(
      /ORGANIZATIONAL_UNIT_IDS\[0\]: must be organization root ids \(r-…\) or OU ids \(ou-…-…\)/,
    );
  });
});

describe('readEnvironment EKS_REQUESTS_PER_SECOND', () => {
  it('paces AuditAccountRegion at 10 requests/s, burst 20, per account-region unless told otherwise', () => {
    const env = readEnvironment(BASE);
    expect(eksPacing(env).ratePerAccountRegion).toEqual({ ratePerSecond: 10, burst: 20 });
  });

  it('takes another rate and burst, and 0 turns pacing off', () => {
    const paced = readEnvironment({ ...BASE, EKS_REQUESTS_PER_SECOND: '4', EKS_REQUEST_BURST: '8' });
    expect(eksPacing(paced).ratePerAccountRegion).toEqual({ ratePerSecond: 4, burst: 8 });
    const off = readEnvironment({ ...BASE, EKS_REQUESTS_PER_SECOND: '0' });
    expect(eksPacing(off).ratePerAccountRegion).toBeUndefined();
  });

  it('refuses a negative rate, naming the variable', () => {
    expect(() => readEnvironment({ ...BASE, EKS_REQUESTS_PER_SECOND: '-1' })).toThrow(/EKS_REQUESTS_PER_SECOND/);
  });
});

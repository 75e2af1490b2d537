/**
 * The JSON-protocol routing both JSON services of the simulator share (Organizations 1.1, CloudWatch 1.0): the
 * operation from `X-Amz-Target`, the body parsed once, the call's params, and the success's content type.
 */
import { describe, expect, it } from 'vitest';
import { SimApiError } from '../../functions/sim/errors.ts';
import { jsonSuccess, resolveJsonCall, type JsonOperation } from '../../functions/sim/json-protocol.ts';
import { resolveCloudWatchCall } from '../../functions/sim/cloudwatch-api.ts';
import { resolveOrganizationsCall } from '../../functions/sim/organizations-api.ts';
import type { ServiceContext } from '../../functions/sim/wire.ts';

const PREFIX = 'Example20240101.';
const echo: JsonOperation = (ctx, body) => jsonSuccess('1.1', body, ctx.requestId);
const OPERATIONS = { Echo: echo };

describe('resolveJsonCall', () => {
  it('routes by X-Amz-Target and flattens the body into params (strings as they are, the rest as JSON)', () => {
    const call = resolveJsonCall(PREFIX, OPERATIONS, `${PREFIX}Echo`, '{"Name":"web","Max":5,"Names":["a","b"]}');
    expect(call?.operation).toBe('Echo');
    expect(call?.params).toEqual({ Name: 'web', Max: '5', Names: '["a","b"]' });
    const response = call?.serve({ requestId: 'req-1' } as ServiceContext);
    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
      body: '{"Name":"web","Max":5,"Names":["a","b"]}',
    });
  });

  it('reads an empty body as {}', () => {
    expect(resolveJsonCall(PREFIX, OPERATIONS, `${PREFIX}Echo`, '  ')?.params).toEqual({});
  });

  it.each([
    ['another service', 'Other20240101.Echo'],
    ['an operation it does not serve', `${PREFIX}Unknown`],
    ['an inherited name', `${PREFIX}toString`],
    ['no target', undefined],
  ])('is null for %s', (_label, target) => {
    expect(resolveJsonCall(PREFIX, OPERATIONS, target, '{}')).toBeNull();
  });

  it('refuses a body that is not JSON (SerializationException)', () => {
    expect(() => resolveJsonCall(PREFIX, OPERATIONS, `${PREFIX}Echo`, '{nope')).toThrow(SimApiError);
  });

  it('serves Organizations and CloudWatch through it', () => {
    expect(resolveOrganizationsCall('AWSOrganizationsV20161128.ListAccounts', '{}')?.operation).toBe('ListAccounts');
    expect(resolveCloudWatchCall('GraniteServiceVersion20100801.DescribeAlarms', '{}')?.operation).toBe(
      'DescribeAlarms',
    );
    expect(resolveCloudWatchCall('AWSOrganizationsV20161128.ListAccounts', '{}')).toBeNull();
  });
});

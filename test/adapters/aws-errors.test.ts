import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ThrottledError, translateAwsError } from '../../functions/adapters/aws-errors.ts';

/** An error shaped as the SDK throws it: a name, a message and the answer's HTTP status. */
function sdkError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('translateAwsError', () => {
  it('reads an answer that is not AWS-shaped (an HTML 404) as the operation and its HTTP status, on one line', () => {
    const parse = sdkError(
      'SyntaxError',
      `Unexpected token '<', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
      404,
    );
    const error = translateAwsError(parse, 'ListAddons cluster web in 123456789012/eu-west-1');
    expect(error.code).toBe('OPERATION_NOT_AVAILABLE');
    expect(error.message).toBe(
      'ListAddons cluster web in 123456789012/eu-west-1: HTTP 404 (not an AWS error response)',
    );
  });

  it('classifies a denied call inside the account as ACCESS_DENIED, naming the operation, status and AWS code', () => {
    const error = translateAwsError(
      sdkError('AccessDeniedException', 'not authorized to perform: eks:ListInsights\nwith an explicit deny', 403),
      'ListInsights cluster web in 123456789012/eu-west-1',
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toBe(
      'ListInsights cluster web in 123456789012/eu-west-1: HTTP 403 AccessDeniedException: not authorized to perform: eks:ListInsights with an explicit deny',
    );
  });

  it('says a call was still throttled after the retries, with the status and AWS code', () => {
    const error = translateAwsError(sdkError('ThrottlingException', 'Rate exceeded', 429), 'DescribeAddon x');
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error.message).toBe('DescribeAddon x: still throttled after retries (HTTP 429 ThrottlingException)');
  });
});

import { describe, expect, it } from 'vitest';
import { signedRegion } from './hung-regions.ts';

describe('signedRegion', () => {
  it('reads the region of a SigV4 credential scope, and nothing from an unsigned request', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261122/eu-west-1/eks/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=abc';

    expect(signedRegion(header)).toBe('eu-west-1');
    expect(signedRegion(undefined)).toBeNull();
  });
});

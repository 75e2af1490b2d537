import { describe, it, expect } from 'vitest';
import { InvalidVersionError } from '../../functions/core/errors.ts';
import {
  assessSkew,
  maxKubeletSkew,
  nodegroupSkew,
  nodegroupsMustMatchBeforeUpgrade,
} from '../../functions/core/skew.ts';
import type { NodegroupState } from '../../functions/core/types.ts';

function nodegroup(name: string, version: string): NodegroupState {
  return { name, version, releaseVersion: null, status: 'ACTIVE', amiType: 'AL2023_x86_64_STANDARD', customAmi: false };
}

describe('maxKubeletSkew', () => {
  it.each([
    ['1.23', 2],
    ['1.24', 2],
    ['1.25', 3],
    ['1.26', 3],
    ['1.31', 3],
    ['1.9', 2],
  ])('allows a %s kubelet %i minors behind', (kubelet, allowed) => {
    expect(maxKubeletSkew(kubelet)).toBe(allowed);
  });
});

describe('nodegroupSkew', () => {
  it.each([
    ['1.31', '1.31', 0],
    ['1.31', '1.28', 3],
    ['1.10', '1.9', 1],
    ['1.30', '1.31', -1],
  ])('counts a %s control plane over a %s node group as %i', (cp, ng, expected) => {
    expect(nodegroupSkew(cp, ng)).toBe(expected);
  });

  it('throws on an invalid node-group version', () => {
    expect(() => nodegroupSkew('1.31', '1.31.2')).toThrow(InvalidVersionError);
  });
});

describe('assessSkew', () => {
  it.each([
    ['1.31', '1.31', 0, false, true, 'SKEW_NONE'],
    ['1.31', '1.30', 1, true, true, 'SKEW_BEHIND'],
    ['1.28', '1.25', 3, true, true, 'SKEW_BEHIND'],
    ['1.27', '1.24', 3, true, false, 'SKEW_TOO_FAR_BEHIND'],
    ['1.26', '1.24', 2, true, true, 'SKEW_BEHIND'],
    ['1.32', '1.28', 4, true, false, 'SKEW_TOO_FAR_BEHIND'],
    ['1.30', '1.31', -1, false, false, 'SKEW_AHEAD'],
    ['1.9', '1.10', -1, false, false, 'SKEW_AHEAD'],
  ])(
    'judges a %s control plane over a %s node group: skew %i, behind %s, supported %s (%s)',
    (cp, ng, skew, behind, supported, code) => {
      expect(assessSkew(cp, nodegroup('workers', ng))).toMatchObject({ skew, behind, supported, code });
    },
  );

  it('says why a 1.24 kubelet under a 1.27 control plane is unsupported', () => {
    expect(assessSkew('1.27', nodegroup('legacy', '1.24')).reason).toBe(
      'Node group legacy (1.24) is 3 minor versions behind the control plane (1.27); a 1.24 kubelet may be at most 2 minor versions behind',
    );
  });

  it('says why a 1.25 kubelet under a 1.28 control plane is still supported', () => {
    expect(assessSkew('1.28', nodegroup('workers', '1.25')).reason).toBe(
      'Node group workers (1.25) is 3 minor versions behind the control plane (1.28), within the 3 minor versions a 1.25 kubelet may lag',
    );
  });

  it('says a node group ahead of the control plane is never allowed', () => {
    expect(assessSkew('1.30', nodegroup('canary', '1.31')).reason).toBe(
      'Node group canary (1.31) is 1 minor version ahead of the control plane (1.30); a kubelet must never be newer than the API server',
    );
  });

  it('says a matching node group matches', () => {
    expect(assessSkew('1.31', nodegroup('workers', '1.31')).reason).toBe(
      'Node group workers (1.31) matches the control plane',
    );
  });
});

describe('nodegroupsMustMatchBeforeUpgrade', () => {
  it('returns the node groups not at the control plane minor, in order', () => {
    const groups = [nodegroup('a', '1.31'), nodegroup('b', '1.30'), nodegroup('c', '1.31'), nodegroup('d', '1.28')];
    expect(nodegroupsMustMatchBeforeUpgrade('1.31', groups).map((g) => g.name)).toEqual(['b', 'd']);
  });

  it('returns nothing when every node group matches, or there are none', () => {
    expect(nodegroupsMustMatchBeforeUpgrade('1.10', [nodegroup('a', '1.10')])).toEqual([]);
    expect(nodegroupsMustMatchBeforeUpgrade('1.31', [])).toEqual([]);
  });

  it('includes a node group ahead of the control plane', () => {
    expect(nodegroupsMustMatchBeforeUpgrade('1.9', [nodegroup('a', '1.10')]).map((g) => g.name)).toEqual(['a']);
  });
});

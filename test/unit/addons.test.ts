import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidVersionError } from '../../functions/core/errors.ts';
import {
  addonUpdateSteps,
  assessAddon,
  compareAddonVersions,
  recommendedAddonVersion,
} from '../../functions/core/addons.ts';
import type { AddonCatalog, AddonState } from '../../functions/core/types.ts';

const CATALOG: AddonCatalog = {
  'vpc-cni': [
    { version: 'nightly', compatibleWith: [], defaultFor: [] },
    { version: 'v1.18.3-eksbuild.1', compatibleWith: ['1.29', '1.30', '1.31'], defaultFor: ['1.29'] },
    { version: 'v1.18.5-eksbuild.1', compatibleWith: ['1.29', '1.30', '1.31'], defaultFor: [] },
    { version: 'v1.19.2-eksbuild.1', compatibleWith: ['1.30', '1.31', '1.32'], defaultFor: ['1.30'] },
    { version: 'v1.19.0-eksbuild.1', compatibleWith: ['1.30', '1.31', '1.32'], defaultFor: [] },
    { version: 'v1.20.4-eksbuild.2', compatibleWith: ['1.31', '1.32', '1.33'], defaultFor: ['1.31', '1.32'] },
    { version: 'v1.20.1-eksbuild.1', compatibleWith: ['1.31', '1.32'], defaultFor: ['1.31'] },
    { version: 'v1.21.0-eksbuild.1', compatibleWith: ['1.32', '1.33'], defaultFor: ['1.33'] },
  ],
  coredns: [
    { version: 'v1.10.1-eksbuild.1', compatibleWith: ['1.28', '1.29'], defaultFor: [] },
    { version: 'v1.11.1-eksbuild.4', compatibleWith: ['1.29', '1.30'], defaultFor: ['1.29', '1.30'] },
    { version: 'v1.11.3-eksbuild.1', compatibleWith: ['1.29', '1.30', '1.31'], defaultFor: ['1.31'] },
    { version: 'v1.11.4-eksbuild.2', compatibleWith: ['1.31', '1.32'], defaultFor: [] },
  ],
  'kube-proxy': [
    { version: 'v1.29.0-eksbuild.1', compatibleWith: ['1.29'], defaultFor: ['1.29'] },
    { version: 'v1.32.0-eksbuild.2', compatibleWith: ['1.32'], defaultFor: ['1.32'] },
  ],
  'retired-addon': [],
};

function addon(name: string, version: string): AddonState {
  return { name, version, status: 'ACTIVE' };
}

describe('compareAddonVersions', () => {
  it.each([
    ['v1.19.2-eksbuild.1', 'v1.19.2-eksbuild.2', -1],
    ['v1.9.0-eksbuild.1', 'v1.10.0-eksbuild.1', -1],
    ['v1.19.10-eksbuild.1', 'v1.19.9-eksbuild.3', 1],
    ['v2.0.0-eksbuild.1', 'v1.99.99-eksbuild.99', 1],
    ['v1.2-eksbuild.1', 'v1.2.0-eksbuild.1', 0],
    ['v1.2.1', 'v1.2', 1],
    ['v2', 'v1.99.0', 1],
    ['v1.2.3x', 'v0.0.1', -1],
    ['v1.2.', 'v0.0.1', -1],
    ['1.2.3', 'v1.2.3', 0],
    ['v1.2.3', 'v1.2.3-eksbuild.1', -1],
    ['v1.2.3+meta', 'v1.2.3', 0],
    ['custom', 'v0.0.1', -1],
    ['v0.0.1', 'custom', 1],
    ['alpha', 'beta', -1],
    ['beta', 'alpha', 1],
    ['alpha', 'alpha', 0],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(compareAddonVersions(a, b)).toBe(expected);
  });

  it('sorts add-on versions numerically', () => {
    expect(
      ['v1.10.0-eksbuild.1', 'v1.9.3-eksbuild.2', 'v1.9.3-eksbuild.10', 'v1.9.10-eksbuild.1'].sort(
        compareAddonVersions,
      ),
    ).toEqual(['v1.9.3-eksbuild.2', 'v1.9.3-eksbuild.10', 'v1.9.10-eksbuild.1', 'v1.10.0-eksbuild.1']);
  });

  it('is antisymmetric on generated versions', () => {
    const version = fc
      .tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.nat(5))
      .map(([a, b, c, build]) => `v${a}.${b}.${c}-eksbuild.${build}`);
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareAddonVersions(a, b)).toBe(0 - compareAddonVersions(b, a));
      }),
    );
  });
});

describe('recommendedAddonVersion', () => {
  it.each([
    ['vpc-cni', '1.31', 'v1.20.4-eksbuild.2'],
    ['vpc-cni', '1.30', 'v1.19.2-eksbuild.1'],
    ['coredns', '1.32', 'v1.11.4-eksbuild.2'],
    ['coredns', '1.34', null],
    ['my-operator', '1.31', null],
  ])('recommends for %s on %s: %s', (name, clusterVersion, expected) => {
    expect(recommendedAddonVersion(name, clusterVersion, CATALOG)).toBe(expected);
  });
});

describe('assessAddon', () => {
  it.each([
    ['vpc-cni', 'v1.18.3-eksbuild.1', '1.30', true, true, 'v1.20.4-eksbuild.2'],
    ['coredns', 'v1.11.1-eksbuild.4', '1.30', true, false, 'v1.11.3-eksbuild.1'],
    ['coredns', 'v1.11.3-eksbuild.1', '1.31', true, false, 'v1.11.4-eksbuild.2'],
    ['coredns', 'v1.10.1-eksbuild.1', '1.30', false, false, 'v1.11.3-eksbuild.1'],
    ['coredns', 'v1.11.4-eksbuild.2', '1.33', false, false, null],
    ['coredns', 'v9.9.9-eksbuild.1', '1.31', false, false, 'v1.11.4-eksbuild.2'],
    ['retired-addon', 'v1.0.0', '1.31', false, false, null],
  ])(
    'judges %s %s on %s: compatible %s, with next %s, recommended %s',
    (name, version, clusterVersion, compatible, compatibleWithNext, recommendedForNext) => {
      expect(assessAddon(addon(name, version), clusterVersion, CATALOG)).toEqual({
        name,
        version,
        compatible,
        compatibleWithNext,
        recommendedForNext,
      });
    },
  );

  it('treats an add-on missing from the catalog (self-managed) as compatible, with no recommendation', () => {
    expect(assessAddon(addon('my-operator', 'v0.1.0'), '1.31', CATALOG)).toEqual({
      name: 'my-operator',
      version: 'v0.1.0',
      compatible: true,
      compatibleWithNext: true,
      recommendedForNext: null,
    });
  });

  it('throws on an invalid cluster version', () => {
    expect(() => assessAddon(addon('coredns', 'v1.11.3-eksbuild.1'), 'latest', CATALOG)).toThrow(InvalidVersionError);
  });
});

describe('addonUpdateSteps', () => {
  it.each<[string, string, string, string[] | null]>([
    ['vpc-cni', 'v1.18.3-eksbuild.1', '1.32', ['v1.19.2-eksbuild.1', 'v1.20.4-eksbuild.2']],
    ['vpc-cni', 'v1.18.5-eksbuild.1', '1.31', ['v1.19.2-eksbuild.1', 'v1.20.4-eksbuild.2']],
    ['vpc-cni', 'v1.19.2-eksbuild.1', '1.31', ['v1.20.4-eksbuild.2']],
    ['vpc-cni', 'v1.20.1-eksbuild.1', '1.31', ['v1.20.4-eksbuild.2']],
    ['vpc-cni', 'v1.20.4-eksbuild.2', '1.31', []],
    ['vpc-cni', 'v1.21.0-eksbuild.1', '1.31', []],
    ['vpc-cni', 'v1.18.3-eksbuild.1', '1.34', null],
  ])('moves %s from %s for %s through %j', (name, current, target, expected) => {
    expect(addonUpdateSteps(name, current, target, CATALOG)).toEqual(expected);
  });

  it('steps vpc-cni one minor at a time, skipping a minor with no version compatible with the target', () => {
    // 1.19 has no version that runs on 1.33, so EKS could not install it: go 1.18 → 1.20 → 1.21.
    expect(addonUpdateSteps('vpc-cni', 'v1.18.3-eksbuild.1', '1.33', CATALOG)).toEqual([
      'v1.20.4-eksbuild.2',
      'v1.21.0-eksbuild.1',
    ]);
  });

  it('moves other add-ons straight to the target, across minors', () => {
    expect(addonUpdateSteps('kube-proxy', 'v1.29.0-eksbuild.1', '1.32', CATALOG)).toEqual(['v1.32.0-eksbuild.2']);
    expect(addonUpdateSteps('coredns', 'v1.10.1-eksbuild.1', '1.32', CATALOG)).toEqual(['v1.11.4-eksbuild.2']);
  });

  it('returns null when the catalog has no version compatible with the target (ADDON_NO_COMPATIBLE_VERSION)', () => {
    expect(addonUpdateSteps('coredns', 'v1.11.3-eksbuild.1', '1.34', CATALOG)).toBeNull();
    expect(addonUpdateSteps('retired-addon', 'v1.0.0', '1.31', CATALOG)).toBeNull();
  });

  it('returns no steps for an add-on the catalog does not list (self-managed)', () => {
    expect(addonUpdateSteps('my-operator', 'v0.1.0', '1.32', CATALOG)).toEqual([]);
  });

  it('goes straight to the target when the current vpc-cni version cannot be read', () => {
    expect(addonUpdateSteps('vpc-cni', 'custom-build', '1.31', CATALOG)).toEqual(['v1.20.4-eksbuild.2']);
  });

  it('steps vpc-cni across a major version, counting a missing minor as 0', () => {
    const catalog: AddonCatalog = {
      'vpc-cni': [
        { version: 'v2-eksbuild.1', compatibleWith: ['1.31'], defaultFor: ['1.31'] },
        { version: 'v1.5.0-eksbuild.1', compatibleWith: ['1.31'], defaultFor: [] },
        { version: 'v1.4.0-eksbuild.1', compatibleWith: ['1.31'], defaultFor: [] },
      ],
    };
    expect(addonUpdateSteps('vpc-cni', 'v1.4.0-eksbuild.1', '1.31', catalog)).toEqual([
      'v1.5.0-eksbuild.1',
      'v2-eksbuild.1',
    ]);
  });

  it('goes straight to a target whose version cannot be read', () => {
    const catalog: AddonCatalog = { 'vpc-cni': [{ version: 'zeta', compatibleWith: ['1.31'], defaultFor: ['1.31'] }] };
    expect(addonUpdateSteps('vpc-cni', 'alpha', '1.31', catalog)).toEqual(['zeta']);
  });
});

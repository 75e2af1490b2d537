import { describe, expect, it } from 'vitest';
import { DEFAULT_ADDON_CATALOG } from '../../functions/sim/defaults.ts';

const VERSIONS = Array.from({ length: 14 }, (_, i) => `1.${23 + i}`);
const ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'eks-pod-identity-agent'];
const CASES = ADDONS.flatMap((addon) => VERSIONS.map((version) => [addon, version] as const));

describe('DEFAULT_ADDON_CATALOG', () => {
  it('holds the five add-ons EKS clusters usually run', () => {
    expect(Object.keys(DEFAULT_ADDON_CATALOG).sort()).toEqual([...ADDONS].sort());
  });

  it.each(CASES)('has exactly one default %s version for cluster %s, and it is compatible', (addon, version) => {
    const defaults = (DEFAULT_ADDON_CATALOG[addon] ?? []).filter((info) => info.defaultFor.includes(version));
    expect(defaults).toHaveLength(1);
    expect(defaults[0]?.compatibleWith).toContain(version);
  });

  it('writes versions the way EKS does', () => {
    const versions = Object.values(DEFAULT_ADDON_CATALOG).flatMap((list) => list.map((info) => info.version));
    expect(versions.every((v) => /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(v))).toBe(true);
  });

  it('offers vpc-cni across consecutive minors, so it can move one minor at a time', () => {
    const minors = [
      ...new Set((DEFAULT_ADDON_CATALOG['vpc-cni'] ?? []).map((info) => Number(info.version.split('.')[1]))),
    ].sort((a, b) => a - b);
    expect(minors.length).toBeGreaterThanOrEqual(5);
    expect(minors.every((minor, i) => i === 0 || minor === (minors[i - 1] ?? 0) + 1)).toBe(true);
  });

  it('ties kube-proxy to its own Kubernetes minor', () => {
    for (const info of DEFAULT_ADDON_CATALOG['kube-proxy'] ?? []) {
      expect(info.compatibleWith).toEqual([info.version.slice(1, info.version.indexOf('.', 3))]);
    }
  });
});

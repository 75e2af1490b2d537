import { describe, expect, it } from 'vitest';
import { SimulatorUsageError } from '../../functions/sim/errors.ts';
import type { FleetCluster } from '../../functions/sim/fleet-file.ts';
import { parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { generateFleet } from '../../functions/sim/generator.ts';
import { compareVersions } from '../../functions/sim/version-math.ts';

const SHAPE = {
  accounts: 10,
  regionsPerAccount: 3,
  clustersPerRegion: 10,
  nodegroupsPerCluster: 3,
  addonsPerCluster: 5,
  seed: 7,
};

function clustersOf(fleet: ReturnType<typeof generateFleet>): FleetCluster[] {
  return fleet.accounts.flatMap((a) => Object.values(a.regions).flatMap((r) => [...r.clusters]));
}

describe('generateFleet', () => {
  it('generates the same fleet for the same seed', () => {
    expect(generateFleet(SHAPE)).toEqual(generateFleet(SHAPE));
  });

  it('generates a different fleet for another seed', () => {
    expect(generateFleet({ ...SHAPE, seed: 8 })).not.toEqual(generateFleet(SHAPE));
  });

  it('has exactly the requested shape and is a valid fleet file', () => {
    const fleet = generateFleet(SHAPE);
    const clusters = clustersOf(fleet);
    expect(fleet.accounts).toHaveLength(10);
    expect(fleet.accounts.every((a) => Object.keys(a.regions).length === 3)).toBe(true);
    expect(clusters).toHaveLength(300);
    expect(clusters.every((c) => c.nodegroups?.length === 3 && c.addons?.length === 5)).toBe(true);
    expect(() => parseFleetFile(fleet)).not.toThrow();
  });

  it('mixes versions, support types, lagging and custom-AMI node groups, insights and opt-in tags', () => {
    const clusters = clustersOf(generateFleet(SHAPE));
    const versions = new Set(clusters.map((c) => c.version));
    const nodegroups = clusters.flatMap((c) => (c.nodegroups ?? []).map((ng) => ({ ng, cluster: c })));
    const statuses = new Set(clusters.flatMap((c) => (c.insights ?? []).map((i) => i.status)));
    const windows = clusters.map((c) => c.tags?.['fleet-auditor/maintenance-window']).filter((w) => w !== undefined);
    expect([...versions].every((v) => compareVersions(v, '1.29') >= 0 && compareVersions(v, '1.36') <= 0)).toBe(true);
    expect(versions.size).toBeGreaterThanOrEqual(6);
    expect(new Set(clusters.map((c) => c.supportType))).toEqual(new Set(['STANDARD', 'EXTENDED']));
    expect(nodegroups.some(({ ng, cluster }) => ng.version !== cluster.version)).toBe(true);
    expect(nodegroups.some(({ ng }) => ng.customAmi === true)).toBe(true);
    expect(statuses).toContain('WARNING');
    expect(statuses).toContain('ERROR');
    expect(clusters.some((c) => c.tags?.['fleet-auditor/auto-upgrade'] === 'true')).toBe(true);
    expect(clusters.some((c) => c.tags?.['fleet-auditor/wave'] !== undefined)).toBe(true);
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((w) => /^[A-Z][a-z]{2}([-,][A-Z][a-z]{2})* \d{2}:\d{2}-\d{2}:\d{2} \S+$/.test(w))).toBe(true);
  });

  it('generates 5,000 clusters well under a second of CPU', () => {
    // CPU time, not wall time: on a machine shared with other work the wall clock measures the others too.
    const started = process.cpuUsage();
    const fleet = generateFleet({
      accounts: 50,
      regionsPerAccount: 4,
      clustersPerRegion: 25,
      nodegroupsPerCluster: 3,
      addonsPerCluster: 5,
      seed: 1,
    });
    expect(clustersOf(fleet)).toHaveLength(5000);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });

  it.each([
    ['a negative size', { accounts: -1 }],
    ['more regions than it knows', { regionsPerAccount: 16 }],
    ['more add-ons than the catalog has', { addonsPerCluster: 6 }],
  ])('rejects %s', (_case, change) => {
    expect(() => generateFleet({ ...SHAPE, ...change })).toThrow(SimulatorUsageError);
  });
});

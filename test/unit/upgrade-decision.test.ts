import { describe, expect, it } from 'vitest';
import { BUNDLED_CALENDAR } from '../../functions/core/calendar.ts';
import { InvalidVersionError } from '../../functions/core/errors.ts';
import type { LockLease } from '../../functions/core/lock-lease.ts';
import type { AddonCatalog, BlockerCode, ClusterState } from '../../functions/core/types.ts';
import {
  BLOCKER_CHECKS,
  collectBlockers,
  decideUpgrade,
  locked,
  outsideWindow,
  prepareBlockerInput,
  resolveTarget,
  type UpgradeContext,
} from '../../functions/core/upgrade-decision.ts';
import { parseOptInTags } from '../../functions/core/opt-in-tags.ts';
import type { WaveMember } from '../../functions/core/waves.ts';

// A Sunday. In the bundled calendar, 1.36 is the newest version in standard support.
const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

const CATALOG: AddonCatalog = {
  'vpc-cni': [
    { version: 'v1.19.0-eksbuild.1', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.34', '1.35'] },
    { version: 'v1.20.0-eksbuild.1', compatibleWith: ['1.35', '1.36'], defaultFor: ['1.36'] },
  ],
  'legacy-addon': [{ version: 'v0.9.0', compatibleWith: ['1.34', '1.35'], defaultFor: ['1.35'] }],
};

const TAGS = {
  'fleet-auditor/auto-upgrade': 'true',
  'fleet-auditor/wave': '1',
  'fleet-auditor/maintenance-window': 'Sun 10:00-14:00 UTC',
  team: 'payments',
};

const CLUSTER: ClusterState = {
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'payments',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
  version: '1.35',
  platformVersion: 'eks.4',
  status: 'ACTIVE',
  supportType: 'STANDARD',
  tags: TAGS,
  autoMode: false,
  nodegroups: [
    {
      name: 'default',
      version: '1.35',
      releaseVersion: '1.35.0-20261101',
      status: 'ACTIVE',
      amiType: 'AL2023_x86_64_STANDARD',
      customAmi: false,
      tags: { 'fleet-auditor/auto-upgrade': 'true' },
    },
  ],
  addons: [
    {
      name: 'vpc-cni',
      version: 'v1.19.0-eksbuild.1',
      status: 'ACTIVE',
      tags: { 'fleet-auditor/auto-upgrade': 'true' },
    },
    { name: 'self-managed-thing', version: '1.0.0', status: 'ACTIVE', tags: { 'fleet-auditor/auto-upgrade': 'true' } },
  ],
  fargateProfiles: [],
  insights: [{ id: 'i-1', name: 'Deprecated APIs', status: 'PASSING', kubernetesVersion: '1.36', reason: null }],
  updateInProgress: false,
  versionSince: '2026-06-10T00:00:00.000Z',
};

const OPTED_IN_TAG = { 'fleet-auditor/auto-upgrade': 'true' };
const GPU = { name: 'gpu', version: '1.35', releaseVersion: null, status: 'ACTIVE', tags: OPTED_IN_TAG } as const;

const member = (name: string, wave: number, version: string, versionSince: string | null): WaveMember => ({
  arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`,
  name,
  wave,
  version,
  versionSince,
});

const FLEET: readonly WaveMember[] = [member('canary', 0, '1.36', ago(10)), member('payments', 1, '1.35', ago(165))];

const CTX: UpgradeContext = { calendar: BUNDLED_CALENDAR, catalog: CATALOG, now: NOW, fleet: FLEET };

const withTags = (tags: Record<string, string | undefined>): ClusterState => {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...TAGS, ...tags })) if (value !== undefined) merged[key] = value;
  return { ...CLUSTER, tags: merged };
};

const codes = (cluster: ClusterState, ctx: UpgradeContext = CTX): BlockerCode[] =>
  decideUpgrade(cluster, ctx).blockers.map((blocker) => blocker.code);

const otherLock: LockLease = {
  holder: 'upgrade-payments-1.36-2026-11-22',
  acquiredAt: '2026-11-22T11:30:00.000Z',
  expiresAt: '2026-11-22T12:30:00.000Z',
};

describe('decideUpgrade', () => {
  it('plans an eligible opted-in cluster inside its window, its lower wave soaked', () => {
    expect(decideUpgrade(CLUSTER, CTX)).toEqual({
      optedIn: true,
      target: '1.36',
      path: ['1.36'],
      eligible: true,
      blockers: [],
      nextWindowStart: '2026-11-22T10:00:00.000Z',
      wave: 1,
      rolloutGroup: 'default',
    });
  });

  it('plans every minor on the way to an explicit target, one hop at a time', () => {
    const plan = decideUpgrade({ ...withTags({ 'fleet-auditor/target-version': '1.36' }), version: '1.33' }, CTX);
    expect(plan.target).toBe('1.36');
    expect(plan.path).toEqual(['1.34', '1.35', '1.36']);
  });

  it('has no next window start and no window gate without a window tag', () => {
    const plan = decideUpgrade(withTags({ 'fleet-auditor/maintenance-window': undefined }), CTX);
    expect(plan).toMatchObject({ eligible: true, nextWindowStart: null });
  });

  it.each<[string, ClusterState, UpgradeContext, BlockerCode[], RegExp]>([
    [
      'auto-upgrade tag absent',
      withTags({ 'fleet-auditor/auto-upgrade': undefined }),
      CTX,
      ['NOT_OPTED_IN'],
      /tag fleet-auditor\/auto-upgrade is not set; set it to "true"/,
    ],
    [
      'auto-upgrade false',
      withTags({ 'fleet-auditor/auto-upgrade': 'false' }),
      CTX,
      ['NOT_OPTED_IN'],
      /tag fleet-auditor\/auto-upgrade is "false", not "true"/,
    ],
    [
      'a wave written with a leading zero',
      withTags({ 'fleet-auditor/wave': '01' }),
      CTX,
      ['INVALID_OPT_IN_TAG'],
      /tag fleet-auditor\/wave="01" is invalid: must be written without leading zeros/,
    ],
    [
      'a misspelt tag key',
      withTags({ 'fleet-auditor/auto-upgarde': 'true' }),
      CTX,
      ['INVALID_OPT_IN_TAG'],
      /did you mean fleet-auditor\/auto-upgrade\?/,
    ],
    [
      'a target older than the running version',
      withTags({ 'fleet-auditor/target-version': '1.30' }),
      CTX,
      ['INVALID_OPT_IN_TAG'],
      /^target 1.30 is older than the running 1.35; EKS cannot downgrade$/,
    ],
    [
      'a target the calendar does not know',
      withTags({ 'fleet-auditor/target-version': '1.40' }),
      CTX,
      ['INVALID_OPT_IN_TAG'],
      /^target 1.40 is not in the EKS support calendar of eu-west-1$/,
    ],
    [
      'a cluster that is UPDATING',
      { ...CLUSTER, status: 'UPDATING' },
      CTX,
      ['CLUSTER_NOT_ACTIVE'],
      /status is UPDATING, not ACTIVE/,
    ],
    ['an update in progress', { ...CLUSTER, updateInProgress: true }, CTX, ['UPDATE_IN_PROGRESS'], /in progress/],
    [
      'an ERROR insight for the next minor',
      {
        ...CLUSTER,
        insights: [
          { id: 'i-2', name: 'Kubelet skew', status: 'ERROR', kubernetesVersion: '1.36', reason: 'kubelet 1.32 found' },
          { id: 'i-3', name: 'Cluster health', status: 'ERROR', kubernetesVersion: null, reason: null },
        ],
      },
      CTX,
      ['INSIGHT_ERROR'],
      /^upgrade-readiness insight\(s\) in ERROR for 1.36: Kubelet skew \(kubelet 1.32 found\); Cluster health$/,
    ],
    [
      'an add-on with no version for the first hop',
      {
        ...CLUSTER,
        addons: [...CLUSTER.addons, { name: 'legacy-addon', version: 'v0.9.0', status: 'ACTIVE', tags: OPTED_IN_TAG }],
      },
      CTX,
      ['ADDON_NO_COMPATIBLE_VERSION'],
      /^no version of legacy-addon \(installed v0.9.0\) is compatible with 1.36$/,
    ],
    [
      'a node group and an add-on without their own opt-in tag',
      {
        ...CLUSTER,
        nodegroups: [...CLUSTER.nodegroups, { ...GPU, amiType: null, customAmi: false, tags: {} }],
        addons: [
          ...CLUSTER.addons,
          {
            name: 'coredns',
            version: 'v1.12.1-eksbuild.2',
            status: 'ACTIVE',
            tags: { 'fleet-auditor/auto-upgrade': ' true' },
          },
        ],
      },
      CTX,
      ['SUBRESOURCE_NOT_OPTED_IN'],
      /^the upgrade role may update only node groups and add-ons tagged fleet-auditor\/auto-upgrade=true: node group gpu lacks the tag fleet-auditor\/auto-upgrade; add-on coredns has fleet-auditor\/auto-upgrade=" true", not exactly "true"$/,
    ],
    [
      'a custom-AMI node group',
      {
        ...CLUSTER,
        nodegroups: [...CLUSTER.nodegroups, { ...GPU, amiType: 'CUSTOM', customAmi: true }],
      },
      CTX,
      ['CUSTOM_AMI_NODEGROUP'],
      /node group\(s\) gpu use a custom AMI/,
    ],
    [
      'a freeze until tomorrow',
      withTags({ 'fleet-auditor/freeze-until': '2026-11-23' }),
      CTX,
      ['FROZEN'],
      /^frozen until 2026-11-23 \(UTC\)/,
    ],
    [
      'a Saturday-night window',
      withTags({ 'fleet-auditor/maintenance-window': 'Sat 02:00-06:00 UTC' }),
      CTX,
      ['OUTSIDE_WINDOW'],
      /^outside the maintenance window "Sat 02:00-06:00 UTC"; it next opens at 2026-11-28T02:00:00.000Z$/,
    ],
    [
      'a lower wave that soaked 3 days only',
      CLUSTER,
      { ...CTX, fleet: [member('canary', 0, '1.36', ago(3))] },
      ['WAVE_NOT_READY'],
      /canary \(wave 0\) has run 1.36 for 3d of the 7d soak/,
    ],
    [
      'an unreadable account, although every lower-wave cluster seen has soaked',
      CLUSTER,
      { ...CTX, unreadable: [{ accountId: '444455556666', region: null }] },
      ['WAVE_NOT_READY'],
      /^wave 1 of rollout group default waits before the hop to 1.36: lower waves cannot be confirmed \(an unreadable account-region holds the later waves of a group when it held clusters of that group at its last read, or was never read\): 1 account unreadable \(444455556666\)$/,
    ],
    [
      'a cluster at its explicit target',
      withTags({ 'fleet-auditor/target-version': '1.35' }),
      CTX,
      ['AT_TARGET'],
      /^already at the target version 1.35$/,
    ],
    [
      'a cluster at the newest standard version',
      { ...CLUSTER, version: '1.36' },
      CTX,
      ['AT_TARGET'],
      /^already at the target version 1.36$/,
    ],
    [
      'a cluster newer than the newest standard version',
      { ...CLUSTER, version: '1.36' },
      {
        ...CTX,
        calendar: [{ version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' }],
      },
      ['AT_TARGET'],
      /^runs 1.36, newer than the target 1.35$/,
    ],
    [
      'no version in standard support',
      CLUSTER,
      { ...CTX, calendar: [] },
      ['AT_TARGET'],
      /^no upgrade target: no version is in standard support/,
    ],
    [
      'a lock held by another run',
      CLUSTER,
      { ...CTX, lock: otherLock },
      ['LOCKED'],
      /another upgrade holds the lock: upgrade-payments-1.36-2026-11-22, since 2026-11-22T11:30:00.000Z, until 2026-11-22T12:30:00.000Z/,
    ],
  ])('blocks %s', (_label, cluster, ctx, expected, message) => {
    const plan = decideUpgrade(cluster, ctx);
    expect(plan.blockers.map((blocker) => blocker.code)).toEqual(expected);
    expect(plan.blockers.at(-1)?.message).toMatch(message);
    expect(plan.eligible).toBe(false);
  });

  it.each<[string, ClusterState, UpgradeContext]>([
    [
      'an ERROR insight about a later minor',
      { ...CLUSTER, insights: [{ id: 'i', name: 'x', status: 'ERROR', kubernetesVersion: '1.37', reason: null }] },
      CTX,
    ],
    [
      'a WARNING insight for the next minor',
      { ...CLUSTER, insights: [{ id: 'i', name: 'x', status: 'WARNING', kubernetesVersion: '1.36', reason: null }] },
      CTX,
    ],
    [
      'a custom-AMI node group on an Auto Mode cluster',
      {
        ...CLUSTER,
        autoMode: true,
        nodegroups: [{ ...GPU, amiType: null, customAmi: true }],
      },
      CTX,
    ],
    ['a freeze that ends today', withTags({ 'fleet-auditor/freeze-until': '2026-11-22' }), CTX],
    ['a lock whose lease expired', CLUSTER, { ...CTX, lock: { ...otherLock, expiresAt: '2026-11-22T12:00:00.000Z' } }],
    ['a lock held by the caller itself', CLUSTER, { ...CTX, lock: otherLock, lockHolder: otherLock.holder }],
    ['no lock', CLUSTER, { ...CTX, lock: null }],
    ['an empty fleet', CLUSTER, { ...CTX, fleet: [] }],
    ['an empty list of unreadable account-regions', CLUSTER, { ...CTX, unreadable: [] }],
    [
      'an unreadable account when the cluster is in wave 0',
      withTags({ 'fleet-auditor/wave': '0' }),
      { ...CTX, unreadable: [{ accountId: '444455556666', region: 'us-east-1' }] },
    ],
    [
      'a lower wave soaked 3 days with a 2-day soak',
      CLUSTER,
      { ...CTX, fleet: [member('canary', 0, '1.36', ago(3))], soakDays: 2 },
    ],
    [
      'its own stale lower-wave entry in the fleet (skipped by ARN)',
      CLUSTER,
      { ...CTX, fleet: [member('canary', 0, '1.36', ago(10)), member('payments', 0, '1.35', ago(165))] },
    ],
  ])('does not block %s', (_label, cluster, ctx) => {
    expect(codes(cluster, ctx)).toEqual([]);
  });

  it('reports every blocker that applies at once, in the documented order', () => {
    const cluster: ClusterState = {
      ...withTags({
        'fleet-auditor/auto-upgrade': 'false',
        'fleet-auditor/colour': 'blue',
        'fleet-auditor/freeze-until': '2027-01-01',
        'fleet-auditor/maintenance-window': 'Sat 02:00-06:00 UTC',
      }),
      status: 'UPDATING',
      updateInProgress: true,
      insights: [{ id: 'i', name: 'x', status: 'ERROR', kubernetesVersion: '1.36', reason: null }],
      addons: [{ name: 'legacy-addon', version: 'v0.9.0', status: 'ACTIVE' }],
      nodegroups: [
        { name: 'gpu', version: '1.35', releaseVersion: null, status: 'ACTIVE', amiType: null, customAmi: true },
      ],
    };
    const ctx: UpgradeContext = { ...CTX, fleet: [member('canary', 0, '1.34', ago(30))], lock: otherLock };
    expect(codes(cluster, ctx)).toEqual([
      'NOT_OPTED_IN',
      'INVALID_OPT_IN_TAG',
      'CLUSTER_NOT_ACTIVE',
      'UPDATE_IN_PROGRESS',
      'INSIGHT_ERROR',
      'ADDON_NO_COMPATIBLE_VERSION',
      'CUSTOM_AMI_NODEGROUP',
      'FROZEN',
      'OUTSIDE_WINDOW',
      'WAVE_NOT_READY',
      'LOCKED',
    ]);
  });

  it('joins every opt-in problem into one INVALID_OPT_IN_TAG blocker', () => {
    const plan = decideUpgrade(
      withTags({
        'fleet-auditor/wave': 'x',
        'fleet-auditor/target-version': '1.30',
        'fleet-auditor/auto-upgarde': 'x',
      }),
      CTX,
    );
    expect(plan.blockers).toHaveLength(1);
    expect(plan.blockers[0]?.message).toMatch(/auto-upgarde.*; tag fleet-auditor\/wave="x".*; target 1.30 is older/);
    expect(plan).toMatchObject({ target: '1.30', path: [], wave: 0 });
  });

  it('reads tags under a configured prefix', () => {
    const acme = { 'acme/auto-upgrade': 'true' };
    const cluster = {
      ...CLUSTER,
      tags: acme,
      nodegroups: CLUSTER.nodegroups.map((ng) => ({ ...ng, tags: acme })),
      addons: CLUSTER.addons.map((addon) => ({ ...addon, tags: acme })),
    };
    expect(decideUpgrade(cluster, { ...CTX, tagPrefix: 'acme/' })).toMatchObject({ eligible: true, wave: 0 });
  });

  it('gives the next occurrence as nextWindowStart once the window has closed', () => {
    expect(decideUpgrade(CLUSTER, { ...CTX, now: new Date('2026-11-22T15:00:00Z') }).nextWindowStart).toBe(
      '2026-11-29T10:00:00.000Z',
    );
  });

  it('throws InvalidVersionError for a cluster whose version is not MAJOR.MINOR', () => {
    expect(() => decideUpgrade({ ...CLUSTER, version: 'v1.35' }, CTX)).toThrow(InvalidVersionError);
  });
});

describe('resolveTarget', () => {
  it('reports a target across a major version as a tag problem, not a crash', () => {
    const calendar = [
      ...BUNDLED_CALENDAR,
      { version: '2.0', endOfStandardSupport: '2028-01-01', endOfExtendedSupport: '2029-01-01' },
    ];
    const policy = parseOptInTags({ 'fleet-auditor/target-version': '2.0' });
    expect(resolveTarget(CLUSTER, policy, calendar, NOW)).toEqual({
      target: '2.0',
      path: [],
      problem: 'cannot plan an upgrade from 1.35 to 2.0 across major versions',
    });
  });

  it('uses the newest standard version for latest', () => {
    const policy = parseOptInTags({ 'fleet-auditor/target-version': 'latest' });
    expect(resolveTarget({ ...CLUSTER, version: '1.34' }, policy, BUNDLED_CALENDAR, NOW)).toEqual({
      target: '1.36',
      path: ['1.35', '1.36'],
      problem: null,
    });
  });
});

describe('BLOCKER_CHECKS', () => {
  it('holds one predicate per blocker code, in report order', () => {
    const cluster: ClusterState = { ...CLUSTER, tags: {}, status: 'FAILED' };
    const input = prepareBlockerInput(cluster, CTX);
    expect(BLOCKER_CHECKS).toHaveLength(17);
    expect(collectBlockers(input).map((blocker) => blocker.code)).toEqual(['NOT_OPTED_IN', 'CLUSTER_NOT_ACTIVE']);
  });

  it('lets the workflow re-check single predicates right before acting', () => {
    const input = prepareBlockerInput(CLUSTER, { ...CTX, lock: otherLock, now: new Date('2026-11-22T12:10:00Z') });
    expect(locked(input)?.code).toBe('LOCKED');
    expect(outsideWindow(input)).toBeNull();
    expect(outsideWindow({ ...input, ctx: { ...input.ctx, now: new Date('2026-11-22T14:00:00Z') } })?.code).toBe(
      'OUTSIDE_WINDOW',
    );
  });
});

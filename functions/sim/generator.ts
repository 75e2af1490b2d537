/**
 * Fleet generator for demos and benchmarks: a realistic fleet of any size, the same for the same seed. Versions
 * 1.29–1.36, both support types, some node groups behind their control plane, some custom-AMI node groups, some
 * add-ons behind, some WARNING/ERROR insights, and opt-in tags (auto-upgrade, wave, maintenance window) on part
 * of the fleet.
 */
import { DEFAULT_ADDON_CATALOG, defaultInsightNames } from './defaults.ts';
import { SimulatorUsageError } from './errors.ts';
import type { FleetAccount, FleetAddon, FleetCluster, FleetFile, FleetInsight, FleetNodegroup } from './fleet-file.ts';
import { mulberry32, pick, randomInt } from './prng.ts';
import type { Random } from './prng.ts';
import { compareSemver, minorOf, nextMinor } from './version-math.ts';

/** The size of a generated fleet. */
export interface FleetShape {
  accounts: number;
  regionsPerAccount: number;
  clustersPerRegion: number;
  nodegroupsPerCluster: number;
  addonsPerCluster: number;
  seed: number;
}

const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-1',
  'us-east-2',
  'ap-northeast-1',
  'eu-north-1',
  'ca-central-1',
  'ap-south-1',
  'eu-west-2',
  'sa-east-1',
  'ap-southeast-2',
  'us-west-1',
  'eu-west-3',
];
const ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'eks-pod-identity-agent'];
const ENVS = ['prod', 'staging', 'dev', 'sandbox'];
const TEAMS = ['payments', 'search', 'identity', 'data', 'platform', 'checkout', 'ml', 'edge', 'billing', 'mobile'];
const NODEGROUPS = ['general', 'system', 'batch', 'spot', 'memory', 'arm64', 'gpu', 'ingress'];
const WINDOWS = [
  'Sat 02:00-06:00 UTC',
  'Sun 01:00-05:00 UTC',
  'Mon-Fri 22:00-02:00 Europe/Berlin',
  'Tue,Thu 03:00-05:00 America/New_York',
];
/** Cumulative weights of versions 1.29 … 1.36: most of a fleet sits in the middle. */
const VERSION_WEIGHTS: readonly [string, number][] = [
  ['1.29', 0.05],
  ['1.30', 0.15],
  ['1.31', 0.3],
  ['1.32', 0.5],
  ['1.33', 0.7],
  ['1.34', 0.85],
  ['1.35', 0.95],
  ['1.36', 1],
];

function chooseVersion(random: Random): string {
  const roll = random();
  return VERSION_WEIGHTS.find(([, cumulative]) => roll < cumulative)?.[0] ?? '1.33';
}

/** Per add-on and cluster version: [default, older compatible versions], computed once per generation. */
function addonChoices(): Map<string, { default: string; older: string[] }> {
  const choices = new Map<string, { default: string; older: string[] }>();
  for (const addon of ADDONS) {
    const versions = DEFAULT_ADDON_CATALOG[addon] ?? [];
    for (let minor = 23; minor <= 36; minor += 1) {
      const version = `1.${minor}`;
      const compatible = versions.filter((v) => v.compatibleWith.includes(version));
      const byDefault =
        compatible.find((v) => v.defaultFor.includes(version))?.version ?? compatible[0]?.version ?? 'v0.0.0';
      const older = compatible.map((v) => v.version).filter((v) => compareSemver(v, byDefault) < 0);
      choices.set(`${addon}@${version}`, { default: byDefault, older });
    }
  }
  return choices;
}

function behind(version: string, minors: number): string {
  return `1.${Math.max(23, minorOf(version) - minors)}`;
}

function nodegroups(random: Random, count: number, version: string): FleetNodegroup[] {
  const list: FleetNodegroup[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = NODEGROUPS[i % NODEGROUPS.length] ?? 'general';
    const name = i < NODEGROUPS.length ? `ng-${base}` : `ng-${base}-${Math.floor(i / NODEGROUPS.length) + 1}`;
    const roll = random();
    const ngVersion = roll < 0.75 ? version : roll < 0.95 ? behind(version, 1) : behind(version, 2);
    if (random() < 0.05) {
      list.push({ name, version: ngVersion, amiType: 'CUSTOM', customAmi: true });
      continue;
    }
    const ami = random();
    const amiType =
      ami < 0.7
        ? 'AL2023_x86_64_STANDARD'
        : ami < 0.85
          ? 'AL2023_ARM_64_STANDARD'
          : ami < 0.95 || minorOf(ngVersion) > 32
            ? 'BOTTLEROCKET_x86_64'
            : 'AL2_x86_64';
    list.push({ name, version: ngVersion, amiType });
  }
  return list;
}

function addons(
  random: Random,
  count: number,
  version: string,
  choices: ReturnType<typeof addonChoices>,
): FleetAddon[] {
  return ADDONS.slice(0, count).map((name) => {
    const choice = choices.get(`${name}@${version}`);
    const roll = random();
    let addonVersion = choice?.default ?? 'v0.0.0';
    if (roll < 0.25 && choice !== undefined && choice.older.length > 0) addonVersion = pick(random, choice.older);
    else if (roll < 0.3) addonVersion = choices.get(`${name}@${behind(version, 1)}`)?.default ?? addonVersion;
    return { name, version: addonVersion };
  });
}

function insights(random: Random, version: string): FleetInsight[] | undefined {
  const roll = random();
  if (roll >= 0.2) return undefined;
  const next = nextMinor(version);
  const set: FleetInsight[] = defaultInsightNames(version).map((name) => ({
    name,
    status: 'PASSING',
    kubernetesVersion: next,
  }));
  if (roll < 0.05) {
    return set.map((insight) =>
      insight.name.startsWith('Deprecated APIs')
        ? {
            ...insight,
            status: 'ERROR',
            reason: `Deprecated API usage detected within the last 30 days: APIs removed in v${next}.`,
          }
        : insight,
    );
  }
  const later = nextMinor(next);
  return [
    ...set,
    {
      name: `Deprecated APIs removed in Kubernetes v${later}`,
      status: 'WARNING',
      kubernetesVersion: later,
      reason: `Deprecated API usage detected: APIs removed in v${later}.`,
    },
  ];
}

const OPTED_IN_SUBRESOURCE: Readonly<Record<string, string>> = { 'fleet-auditor/auto-upgrade': 'true' };

function tags(random: Random, env: string, team: string): Record<string, string> {
  const result: Record<string, string> = { env, team, 'cost-center': `cc-${randomInt(random, 100, 999)}` };
  const roll = random();
  if (roll < 0.4) {
    result['fleet-auditor/auto-upgrade'] = 'true';
    result['fleet-auditor/wave'] = String(env === 'prod' ? randomInt(random, 1, 3) : randomInt(random, 0, 1));
    if (random() < 0.6) result['fleet-auditor/maintenance-window'] = pick(random, WINDOWS);
  } else if (roll < 0.45) {
    result['fleet-auditor/auto-upgrade'] = 'false';
  } else if (roll < 0.47) {
    result['fleet-auditor/auto-upgrade'] = 'yes';
  }
  return result;
}

/**
 * Generates a fleet of `accounts × regionsPerAccount × clustersPerRegion` clusters, deterministic from `seed`.
 * Account ids are `2` followed by the account's number (`200000000001`, …), so they never collide with the hub.
 *
 * @throws SimulatorUsageError for negative sizes, more regions than the 15 it knows, or more than 5 add-ons.
 */
export function generateFleet(shape: FleetShape): FleetFile {
  const counts = [
    shape.accounts,
    shape.regionsPerAccount,
    shape.clustersPerRegion,
    shape.nodegroupsPerCluster,
    shape.addonsPerCluster,
  ];
  if (counts.some((n) => !Number.isInteger(n) || n < 0))
    throw new SimulatorUsageError('fleet shape sizes must be integers >= 0');
  if (shape.regionsPerAccount > REGIONS.length) {
    throw new SimulatorUsageError(`regionsPerAccount must be at most ${REGIONS.length}`);
  }
  if (shape.addonsPerCluster > ADDONS.length)
    throw new SimulatorUsageError(`addonsPerCluster must be at most ${ADDONS.length}`);
  const random = mulberry32(shape.seed);
  const choices = addonChoices();
  const accounts: FleetAccount[] = [];
  for (let a = 0; a < shape.accounts; a += 1) {
    const id = `2${String(a + 1).padStart(11, '0')}`;
    const first = randomInt(random, 0, REGIONS.length - 1);
    const regions: Record<string, { clusters: FleetCluster[] }> = {};
    for (let r = 0; r < shape.regionsPerAccount; r += 1) {
      const region = REGIONS[(first + r) % REGIONS.length] ?? 'us-east-1';
      const clusters: FleetCluster[] = [];
      for (let c = 0; c < shape.clustersPerRegion; c += 1) {
        const env = pick(random, ENVS);
        const team = pick(random, TEAMS);
        const version = chooseVersion(random);
        const clusterInsights = insights(random, version);
        const supportType = random() < 0.3 ? 'STANDARD' : 'EXTENDED';
        const clusterTags = tags(random, env, team);
        const autoMode = random() < 0.05;
        // An opted-in cluster's node groups and add-ons carry the opt-in tag too, as the upgrade role requires.
        const subTags = clusterTags['fleet-auditor/auto-upgrade'] === 'true' ? OPTED_IN_SUBRESOURCE : null;
        const withTags = <T extends object>(part: T): T => (subTags === null ? part : { ...part, tags: subTags });
        clusters.push({
          name: `${env}-${team}-${String(c + 1).padStart(2, '0')}`,
          version,
          supportType,
          tags: clusterTags,
          ...(autoMode ? { autoMode: true } : {}),
          nodegroups: nodegroups(random, shape.nodegroupsPerCluster, version).map(withTags),
          addons: addons(random, shape.addonsPerCluster, version, choices).map(withTags),
          ...(random() < 0.1 ? { fargateProfiles: ['fp-default'] } : {}),
          ...(clusterInsights === undefined ? {} : { insights: clusterInsights }),
        });
      }
      regions[region] = { clusters };
    }
    accounts.push({ id, name: `workload-${String(a + 1).padStart(3, '0')}`, regions });
  }
  return { accounts };
}

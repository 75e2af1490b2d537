/**
 * Shared fixtures of the simulator tests: a small fleet with one of each interesting case, and SDK clients
 * pointed at a running simulator.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ORGANIZATION_ROOT_ID } from '../../functions/sim/fleet-file.ts';
import type { FleetFile } from '../../functions/sim/fleet-file.ts';
import type { Simulator } from '../../functions/sim/server.ts';

export const HUB = '111111111111';
export const MEMBER = '222222222222';
export const DENIED = '333333333333';

/** The simulated now: on 2026-01-15 1.31 is in extended support, 1.32 in standard, 1.36 not yet released. */
export const NOW = new Date('2026-01-15T12:00:00Z');

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A fleet with one cluster of each kind the tests need. */
export function sampleFleet(): FleetFile {
  return {
    accounts: [
      {
        id: HUB,
        name: 'hub',
        regions: { 'us-east-1': { clusters: [{ name: 'hub-tools', version: '1.33' }] } },
      },
      {
        id: MEMBER,
        name: 'workloads',
        regions: {
          'eu-west-1': {
            clusters: [
              {
                name: 'alpha',
                version: '1.31',
                tags: { team: 'payments', 'fleet-auditor/auto-upgrade': 'true' },
                nodegroups: [{ name: 'ng-general', version: '1.31' }],
                addons: [
                  { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' },
                  { name: 'kube-proxy', version: 'v1.31.10-eksbuild.2' },
                ],
                fargateProfiles: ['fp-default'],
                versionSince: '2025-10-01T08:00:00Z',
              },
              {
                name: 'beta',
                version: '1.30',
                supportType: 'STANDARD',
                nodegroups: [
                  { name: 'ng-old', version: '1.29' },
                  { name: 'ng-custom', version: '1.30', customAmi: true },
                ],
              },
              {
                name: 'gamma',
                version: '1.32',
                fault: 'UPDATE_FAILS',
                autoMode: true,
                insights: [
                  {
                    name: 'Deprecated APIs removed in Kubernetes v1.33',
                    status: 'ERROR',
                    reason: 'flowcontrol v1beta3 in use',
                  },
                  { name: 'Kubelet version skew', status: 'WARNING', kubernetesVersion: '1.34' },
                ],
              },
              {
                name: 'delta',
                version: '1.33',
                nodegroups: [{ name: 'ng-flaky', version: '1.33', fault: 'UPDATE_FAILS' }],
                addons: [
                  { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
                  { name: 'aws-ebs-csi-driver', version: 'v1.45.0-eksbuild.2', fault: 'UPDATE_FAILS' },
                ],
              },
              { name: 'busy', version: '1.32', updateInProgress: true },
            ],
          },
          'us-west-2': { clusters: [{ name: 'omega', version: '1.34' }] },
        },
      },
      {
        id: DENIED,
        fault: 'ACCESS_DENIED',
        regions: { 'eu-west-1': { clusters: [{ name: 'secret', version: '1.31' }] } },
      },
    ],
  };
}

/** SDK clients signed with `credentials` (default: the hub's) for `region`. */
export function clients(
  sim: Simulator,
  region = 'us-east-1',
  credentials: Credentials = sim.hubCredentials,
  extra: { maxAttempts?: number } = {},
): { eks: EKSClient; sts: STSClient; orgs: OrganizationsClient } {
  const config = { endpoint: sim.endpoint, region, credentials, ...extra };
  return { eks: new EKSClient(config), sts: new STSClient(config), orgs: new OrganizationsClient(config) };
}

/** Temporary credentials of a role in `accountId`, assumed with the hub's credentials. */
export async function assumeInto(sim: Simulator, accountId: string): Promise<Credentials> {
  const { sts } = clients(sim);
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/FleetAuditorRead`, RoleSessionName: 'sim-test' }),
  );
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
    throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const PROD = 'ou-a1b2-prod0001';
export const PROD_EU = 'ou-a1b2-prodeu01';
export const SANDBOX = 'ou-a1b2-sandbox1';

/** An organization tree: the hub in the root; prod holds two accounts and a nested OU with two more; sandbox holds one. */
export function treeFleet(): FleetFile {
  const account = (id: string, parentId?: string): FleetFile['accounts'][number] => ({
    id,
    ...(parentId === undefined ? {} : { parentId }),
    regions: {},
  });
  return {
    organizationalUnits: [
      { id: PROD, name: 'Prod', parentId: ORGANIZATION_ROOT_ID },
      { id: PROD_EU, name: 'Prod EU', parentId: PROD },
      { id: SANDBOX, parentId: ORGANIZATION_ROOT_ID },
    ],
    accounts: [
      account(HUB),
      account('400000000001', PROD),
      account('400000000002', PROD),
      account('400000000003', PROD_EU),
      account('400000000004', PROD_EU),
      account('400000000005', SANDBOX),
    ],
  };
}

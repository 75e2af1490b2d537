/** The rollback and bake facts, read with the real EKS and CloudWatch clients from the simulator. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeConnection, createConnection, eksClient } from '../../functions/adapters/aws-clients.ts';
import type { AwsConnection } from '../../functions/adapters/aws-clients.ts';
import {
  cloudWatchClient,
  readHealthIssues,
  readInsights,
  readUpgradeHistory,
  readWatchedAlarms,
} from '../../functions/adapters/rollback-facts.ts';
import { UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseFleetFile } from '../../functions/sim/fleet-file.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { Simulator } from '../../functions/sim/server.ts';

const NOW = new Date('2026-06-10T12:00:00Z');
const MEMBER = '222222222222';
const REGION = 'eu-west-1';
let sim: Simulator;
let connection: AwsConnection;
let clock: number;

beforeEach(async () => {
  clock = NOW.getTime();
  sim = await startSimulator({
    now: () => new Date(clock),
    fleet: parseFleetFile({
      accounts: [
        {
          id: MEMBER,
          regions: {
            [REGION]: {
              clusters: [
                {
                  name: 'web',
                  version: '1.34',
                  upgradedFrom: { version: '1.33', at: '2026-06-08T00:00:00Z' },
                  tags: { 'fleet-auditor/health-alarms': 'web-*,api-5xx' },
                },
                { name: 'fresh', version: '1.34', createdAt: '2026-05-01T00:00:00Z' },
              ],
              alarms: [
                { name: 'web-5xx', state: 'OK' },
                { name: 'web-latency', state: 'ALARM' },
                { name: 'api-5xx', state: 'INSUFFICIENT_DATA' },
                { name: 'other', state: 'ALARM' },
              ],
            },
          },
        },
      ],
    }),
  });
  connection = createConnection({ endpoint: sim.endpoint, credentials: sim.hubCredentials });
});
afterEach(async () => {
  closeConnection(connection);
  await sim.close();
});

/** Clients signed as the member account (the simulator maps the access key to its account). */
async function member(): Promise<{ eks: ReturnType<typeof eksClient>; cw: ReturnType<typeof cloudWatchClient> }> {
  const sts = new STSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: sim.hubCredentials });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MEMBER}:role/fleet-auditor-read`,
      RoleSessionName: 'rollback-facts-test',
    }),
  );
  const credentials = {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
  return { eks: eksClient(connection, REGION, credentials), cw: cloudWatchClient(connection, REGION, credentials) };
}

describe('rollback facts', () => {
  it('reads the last in-place upgrade from the update history, and none for a cluster created at its version', async () => {
    const { eks } = await member();
    expect(await readUpgradeHistory(eks, 'web')).toEqual({
      upgradedFrom: { version: '1.33', at: '2026-06-08T00:00:00.000Z' },
      inProgress: false,
    });
    expect(await readUpgradeHistory(eks, 'fresh')).toEqual({ upgradedFrom: null, inProgress: false });
  });

  it('sees a rollback close the window', async () => {
    const { eks } = await member();
    await eks.send(new UpdateClusterVersionCommand({ name: 'web', version: '1.33' }));
    clock += 1000;
    expect((await readUpgradeHistory(eks, 'web'))?.upgradedFrom).toBeNull();
  });

  it('reads ROLLBACK_READINESS insights by category', async () => {
    const { eks } = await member();
    const insights = await readInsights(eks, 'web', ['ROLLBACK_READINESS']);
    expect(insights?.length).toBeGreaterThan(0);
    expect(insights?.every((i) => i.category === 'ROLLBACK_READINESS' && i.status === 'PASSING')).toBe(true);
  });

  it('reads the health issues of a cluster', async () => {
    const { eks } = await member();
    expect(await readHealthIssues(eks, 'web')).toEqual([]);
  });

  it('reads exactly the alarms a health-alarms tag watches (names and prefixes)', async () => {
    const { cw } = await member();
    const alarms = await readWatchedAlarms(cw, ['web-*', 'api-5xx']);
    expect(alarms?.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'api-5xx', state: 'INSUFFICIENT_DATA' },
      { name: 'web-5xx', state: 'OK' },
      { name: 'web-latency', state: 'ALARM' },
    ]);
  });

  it('gives null, never a guess, for what cannot be read', async () => {
    const { eks } = await member();
    expect(await readUpgradeHistory(eks, 'missing')).toBeNull();
    expect(await readInsights(eks, 'missing', ['ROLLBACK_READINESS'])).toBeNull();
    expect(await readHealthIssues(eks, 'missing')).toBeNull();
    const unsigned = cloudWatchClient(connection, REGION, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' });
    expect(await readWatchedAlarms(unsigned, ['web-5xx'])).toBeNull();
  });
});

import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorUsageError } from '../../functions/sim/errors.ts';
import { startSimulator } from '../../functions/sim/server.ts';
import type { SimCall, Simulator, SimulatorOptions } from '../../functions/sim/server.ts';
import { MEMBER, NOW, assumeInto, clients, rejection, sampleFleet } from './sim-fixtures.ts';

const started: Simulator[] = [];

async function simulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ fleet: sampleFleet(), now: () => NOW, ...options });
  started.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

describe('throttling', () => {
  it('answers ThrottlingException when the bucket is empty, and the SDK retries until all calls succeed', async () => {
    // A slow rate, so the four calls sent together are throttled even when a loaded machine spreads them out.
    const sim = await simulator({ throttle: { ratePerSecond: 10, burst: 1 } });
    const { eks } = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER), { maxAttempts: 10 });
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const results = await Promise.all(names.map((name) => eks.send(new DescribeClusterCommand({ name }))));
    expect(results.map((r) => r.cluster?.name)).toEqual(names);
    expect(sim.stats().throttled).toBeGreaterThan(0);
  });

  it('keeps one bucket per account-region', async () => {
    const sim = await simulator({ throttle: { ratePerSecond: 0.001, burst: 1 } });
    const hubCredentials = sim.hubCredentials;
    await clients(sim, 'eu-west-1', hubCredentials).eks.send(new ListClustersCommand({}));
    await clients(sim, 'us-east-1', hubCredentials).eks.send(new ListClustersCommand({}));
    const error = await rejection(
      clients(sim, 'eu-west-1', hubCredentials, { maxAttempts: 1 }).eks.send(new ListClustersCommand({})),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 429]);
  });
});

describe('random 5xx', () => {
  it('answers ServerException or ServiceUnavailableException and counts it', async () => {
    const sim = await simulator({ errorRate5xx: 1 });
    const error = await rejection(
      clients(sim, 'eu-west-1', sim.hubCredentials, { maxAttempts: 1 }).eks.send(new ListClustersCommand({})),
    );
    expect(['ServerException', 'ServiceUnavailableException']).toContain(error.name);
    expect([500, 503]).toContain(error.$metadata?.httpStatusCode);
    expect(sim.stats().failed5xx).toBe(1);
  });

  it('fails the same calls for the same seed', async () => {
    const pattern = async (): Promise<boolean[]> => {
      const sim = await simulator({ errorRate5xx: 0.5, seed: 42 });
      const { eks } = clients(sim, 'us-east-1', sim.hubCredentials, { maxAttempts: 1 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 12; i += 1) {
        outcomes.push(
          await eks.send(new ListClustersCommand({})).then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});

describe('latency and hanging regions', () => {
  it('delays each call by the fixed latency', async () => {
    const sim = await simulator({ latency: { fixedMs: 80, jitterMs: 10 } });
    const started = performance.now();
    await clients(sim).eks.send(new ListClustersCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('never answers a hanging region, serves the others, and still closes promptly', async () => {
    const sim = await simulator({ hangRegions: ['eu-west-1'] });
    const timeoutClient = new EKSClient({
      endpoint: sim.endpoint,
      region: 'eu-west-1',
      credentials: sim.hubCredentials,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const error = await rejection(timeoutClient.send(new ListClustersCommand({})));
    const served = await clients(sim, 'us-east-1').eks.send(new ListClustersCommand({}));
    expect(error.name).toBe('TimeoutError');
    expect(served.clusters).toEqual(['hub-tools']);
    const hanging = clients(sim, 'eu-west-1', sim.hubCredentials, { maxAttempts: 1 }).eks.send(
      new ListClustersCommand({}),
    );
    const closing = performance.now();
    await sim.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    await expect(hanging).rejects.toThrow(); // its socket was destroyed by close()
  });
});

describe('beforeRequest and removeCluster', () => {
  it('shows the hook who calls what, where, with which parameters', async () => {
    const calls: SimCall[] = [];
    const sim = await simulator({ beforeRequest: (call) => void calls.push(call) });
    const { eks } = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER));
    await eks.send(new DescribeClusterCommand({ name: 'alpha' }));
    expect(calls.map((c) => c.operation)).toEqual(['AssumeRole', 'DescribeCluster']);
    expect(calls[1]).toEqual({
      service: 'eks',
      operation: 'DescribeCluster',
      accountId: MEMBER,
      region: 'eu-west-1',
      params: { name: 'alpha' },
    });
  });

  it('makes a cluster deleted mid-audit answer ResourceNotFoundException', async () => {
    const sim = await simulator({
      beforeRequest: (call) => {
        if (call.operation === 'DescribeCluster' && call.params.name === 'beta')
          sim.removeCluster(MEMBER, 'eu-west-1', 'beta');
      },
    });
    const { eks } = clients(sim, 'eu-west-1', await assumeInto(sim, MEMBER));
    const error = await rejection(eks.send(new DescribeClusterCommand({ name: 'beta' })));
    const { clusters } = await eks.send(new ListClustersCommand({}));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(clusters).not.toContain('beta');
  });

  it('refuses to remove a cluster that does not exist', async () => {
    const sim = await simulator();
    expect(() => sim.removeCluster(MEMBER, 'eu-west-1', 'nope')).toThrow(SimulatorUsageError);
  });
});

describe('stats', () => {
  it('counts calls by operation until reset', async () => {
    const sim = await simulator();
    const { eks } = clients(sim);
    await eks.send(new ListClustersCommand({}));
    await eks.send(new DescribeClusterCommand({ name: 'hub-tools' }));
    await eks.send(new DescribeClusterCommand({ name: 'hub-tools' }));
    expect(sim.stats()).toEqual({
      calls: 3,
      byOperation: { ListClusters: 1, DescribeCluster: 2 },
      throttled: 0,
      failed5xx: 0,
    });
    sim.resetStats();
    expect(sim.stats()).toEqual({ calls: 0, byOperation: {}, throttled: 0, failed5xx: 0 });
  });
});

describe('options', () => {
  it.each([
    ['pageSize 0', { pageSize: 0 }],
    ['errorRate5xx above 1', { errorRate5xx: 1.5 }],
    ['a throttle without rate', { throttle: { ratePerSecond: 0, burst: 1 } }],
    ['negative latency', { latency: { fixedMs: -1, jitterMs: 0 } }],
  ])('rejects %s', async (_case, options) => {
    await expect(startSimulator({ fleet: sampleFleet(), ...options })).rejects.toThrow(SimulatorUsageError);
  });
});

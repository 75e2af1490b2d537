/**
 * Child-process entry of the nightly bench's outside systems (see `nightly-hosts.ts`): serves either the simulator
 * over the bench's generated fleet or a local DynamoDB, until asked to close.
 */
import { startLocalDynamo } from '../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../functions/adapters/store/local-dynamodb.ts';
import { startSimulator } from '../functions/sim/index.ts';
import type { Simulator } from '../functions/sim/index.ts';
import { serveRequests } from './ipc.ts';
import { nightlyBenchFleet } from './nightly-fleet.ts';
import type { HostStarted, HostStats, NightlyHostRequest } from './nightly-hosts.ts';

let sim: Simulator | null = null;
let dynamo: LocalDynamo | null = null;

serveRequests<NightlyHostRequest>(
  async (request): Promise<HostStarted | HostStats | { type: 'done' }> => {
    switch (request.type) {
      case 'startSimulator': {
        const now = new Date(request.now);
        const fleet = nightlyBenchFleet(request.targets, request.seed);
        sim = await startSimulator({ fleet, now: () => now, updateDurationMs: 0 });
        return { type: 'started', endpoint: sim.endpoint, hubCredentials: sim.hubCredentials };
      }
      case 'startDynamo':
        dynamo = await startLocalDynamo();
        return { type: 'started', endpoint: dynamo.endpoint };
      case 'stats':
        if (sim === null) throw new Error('the simulator is not started');
        return { type: 'stats', stats: sim.stats() };
      case 'close':
        await sim?.close();
        await dynamo?.close();
        sim = null;
        dynamo = null;
        return { type: 'done' };
    }
  },
  (request) => request.type === 'close',
);

/**
 * Child-process entry of the benchmark's simulator (see `remote-simulator.ts`): it generates the fleet from its
 * shape and serves it until asked to close.
 */
import { generateFleet, startSimulator } from '../functions/sim/index.ts';
import type { Simulator } from '../functions/sim/index.ts';
import { serveRequests } from './ipc.ts';
import type { SimHostRequest, SimStarted, SimStatsReply } from './remote-simulator.ts';

let sim: Simulator | null = null;

function running(): Simulator {
  if (sim === null) throw new Error('the simulator is not started');
  return sim;
}

serveRequests<SimHostRequest>(
  async (request): Promise<SimStarted | SimStatsReply | { type: 'done' }> => {
    switch (request.type) {
      case 'start': {
        const { shape, now, ...options } = request.options;
        sim = await startSimulator({ ...options, fleet: generateFleet(shape), now: () => new Date(now) });
        return { type: 'started', endpoint: sim.endpoint, hubCredentials: sim.hubCredentials };
      }
      case 'stats':
        return { type: 'stats', stats: running().stats() };
      case 'resetStats':
        running().resetStats();
        return { type: 'done' };
      case 'close':
        await sim?.close();
        sim = null;
        return { type: 'done' };
    }
  },
  (request) => request.type === 'close',
);

/**
 * The fleet simulator: an HTTP server on 127.0.0.1 that serves a fleet file through the real EKS (restJson1),
 * STS (Query) and Organizations (JSON 1.1) wire protocols, so unmodified AWS SDK v3 clients pointed at its
 * `endpoint` audit and upgrade a fleet with no AWS account. It is the product's default backend.
 *
 * Each call: identify the caller from the SigV4 credential scope → route → count → faults (hang, token bucket,
 * random 5xx, latency) → `beforeRequest` hook → serve from the fleet state.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CredentialStore, parseAuthorization } from './auth.ts';
import { isCloudWatchTarget, resolveCloudWatchCall } from './cloudwatch-api.ts';
import { resolveEksCall } from './eks-routes.ts';
import { SimApiError, SimulatorUsageError } from './errors.ts';
import { RENDER_ERROR, faultError } from './service-errors.ts';
import type { Service } from './service-errors.ts';
import { FaultInjector } from './faults.ts';
import type { FaultOptions } from './faults.ts';
import type { FleetFile } from './fleet-file.ts';
import { newUuid } from './ids.ts';
import { resolveOrganizationsCall } from './organizations-api.ts';
import { mulberry32 } from './prng.ts';
import { resolveStsCall } from './sts-api.ts';
import { FleetState } from './state.ts';
import { advanceUpdates } from './updates.ts';
import type { ResolvedCall, SimResponse } from './wire.ts';
import { restJsonError } from './wire.ts';

/** How to start the simulator (see DESIGN §5 and the sim brief). */
export interface SimulatorOptions extends FaultOptions {
  fleet: FleetFile;
  /** Default: the fleet file's `hubAccountId`, else `111111111111`. Organizations lives there. */
  hubAccountId?: string;
  /** Simulated clock for createdAt, update times and support status; default `() => new Date()`. */
  now?: () => Date;
  /** How long an update stays InProgress; default 0 (it applies on the next read). */
  updateDurationMs?: number;
  /** Items per page when the client sends no maxResults (default 100); also caps maxResults. */
  pageSize?: number;
  /** Seed of the jitter and 5xx randomness. */
  seed?: number;
  /** Test hook: runs before each call is served (not for throttled, failed or hung calls). */
  beforeRequest?: (call: SimCall) => void | Promise<void>;
}

/** One call as the `beforeRequest` hook sees it. */
export interface SimCall {
  service: Service;
  operation: string;
  accountId: string;
  region: string;
  params: Record<string, string>;
}

/** Call counters since start (or the last `resetStats`). Throttled and failed calls are included in `calls`. */
export interface SimStats {
  calls: number;
  byOperation: Record<string, number>;
  throttled: number;
  failed5xx: number;
}

/** A running simulator. */
export interface Simulator {
  endpoint: string;
  hubCredentials: { accessKeyId: string; secretAccessKey: string };
  hubAccountId: string;
  stats(): SimStats;
  resetStats(): void;
  snapshot(): FleetFile;
  removeCluster(accountId: string, region: string, name: string): void;
  close(): Promise<void>;
}

function serviceOf(signed: string | undefined, req: IncomingMessage): Service | null {
  const target = headerText(req.headers['x-amz-target']);
  const name =
    signed ??
    (target !== undefined
      ? isCloudWatchTarget(target)
        ? 'monitoring'
        : 'organizations'
      : String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
        ? 'sts'
        : 'eks');
  return name === 'eks' || name === 'sts' || name === 'organizations' || name === 'monitoring' ? name : null;
}

function validate(options: SimulatorOptions): void {
  const problems: string[] = [];
  if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 1)) {
    problems.push('pageSize must be a positive integer');
  }
  const rate = options.errorRate5xx;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) problems.push('errorRate5xx must be between 0 and 1');
  const throttle = options.throttle;
  if (throttle !== undefined && !(throttle.ratePerSecond > 0 && throttle.burst >= 1)) {
    problems.push('throttle needs ratePerSecond > 0 and burst >= 1');
  }
  const latency = options.latency;
  if (latency !== undefined && !(latency.fixedMs >= 0 && latency.jitterMs >= 0)) {
    problems.push('latency fixedMs and jitterMs must be >= 0');
  }
  if (options.updateDurationMs !== undefined && !(options.updateDurationMs >= 0)) {
    problems.push('updateDurationMs must be >= 0');
  }
  if (problems.length > 0) throw new SimulatorUsageError(`invalid simulator options: ${problems.join('; ')}`);
}

/**
 * Starts the simulator on 127.0.0.1 and an ephemeral port.
 *
 * @example
 * const sim = await startSimulator({ fleet: await loadFleetFile('examples/fleet.json') });
 * const eks = new EKSClient({ endpoint: sim.endpoint, region: 'eu-west-1', credentials: sim.hubCredentials });
 * // … then: await sim.close();
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  validate(options);
  const now = options.now ?? ((): Date => new Date());
  const state = new FleetState(options.fleet, { hubAccountId: options.hubAccountId, now: now() });
  const credentials = new CredentialStore(state.hubAccountId);
  const faults = new FaultInjector(options, mulberry32(options.seed ?? 0x5eed));
  const pageSize = options.pageSize ?? 100;
  const updateDurationMs = options.updateDurationMs ?? 0;
  let stats: SimStats = { calls: 0, byOperation: {}, throttled: 0, failed5xx: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | null = null;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (res: ServerResponse, response: SimResponse): void => {
    if (res.destroyed || closing !== null) return;
    res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
    res.end(response.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const requestId = newUuid();
    const auth = parseAuthorization(req.headers.authorization);
    const service = serviceOf(auth?.service, req);
    if (service === null) {
      send(
        res,
        restJsonError(
          new SimApiError('UnknownServiceException', 400, `Service ${auth?.service ?? ''} is not simulated`),
          requestId,
        ),
      );
      return;
    }
    const renderError = RENDER_ERROR[service];
    let call: ResolvedCall;
    try {
      call = resolve(service, req, body);
    } catch (error) {
      send(res, renderError(error instanceof SimApiError ? error : faultError(service, 'internal'), requestId));
      return;
    }
    stats.calls += 1;
    stats.byOperation[call.operation] = (stats.byOperation[call.operation] ?? 0) + 1;
    if (auth === null) {
      send(res, renderError(faultError(service, 'noAuth'), requestId));
      return;
    }
    const principal = credentials.lookup(auth.accessKeyId);
    if (principal === undefined) {
      send(res, renderError(faultError(service, 'badKey'), requestId));
      return;
    }
    const denied = state.accounts.get(principal.accountId)?.deniedOperations ?? [];
    if (service === 'eks' && denied.includes(call.operation)) {
      const message =
        `User: arn:aws:sts::${principal.accountId}:assumed-role/reader is not authorized to perform: ` +
        `eks:${call.operation} with an explicit deny in a service control policy`;
      send(res, renderError(new SimApiError('AccessDeniedException', 403, message), requestId));
      return;
    }
    if (faults.hangs(auth.region)) return; // never answered: the client's timeout fires; close() destroys the socket
    const bucketKey =
      service === 'eks' || service === 'monitoring'
        ? `${service}/${principal.accountId}/${auth.region}`
        : `${service}/${principal.accountId}`;
    const decision = faults.decide(bucketKey);
    const latency = faults.latencyMs();
    if (latency > 0) await sleep(latency);
    if (decision === 'throttle') {
      stats.throttled += 1;
      send(res, renderError(faultError(service, 'throttle'), requestId));
      return;
    }
    if (decision === 'fail5xx') {
      stats.failed5xx += 1;
      send(res, renderError(faultError(service, faults.unavailable() ? 'unavailable' : 'internal'), requestId));
      return;
    }
    try {
      await options.beforeRequest?.({
        service,
        operation: call.operation,
        accountId: principal.accountId,
        region: auth.region,
        params: call.params,
      });
      if (closing !== null) return;
      send(
        res,
        call.serve({
          state,
          principal,
          region: auth.region,
          now: now(),
          pageSize,
          updateDurationMs,
          requestId,
          credentials,
        }),
      );
    } catch (error) {
      if (error instanceof SimApiError) send(res, renderError(error, requestId));
      else {
        const message = error instanceof Error ? error.message : String(error);
        send(res, renderError(faultError(service, 'internal', `Simulator error: ${message}`), requestId));
      }
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new SimulatorUsageError('the simulator has no TCP address');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    hubCredentials: { ...credentials.hub },
    hubAccountId: state.hubAccountId,
    stats: () => ({ ...stats, byOperation: { ...stats.byOperation } }),
    resetStats: () => {
      stats = { calls: 0, byOperation: {}, throttled: 0, failed5xx: 0 };
    },
    snapshot: () => {
      const nowMs = now().getTime();
      for (const cluster of state.allClusters()) advanceUpdates(cluster, nowMs);
      return state.snapshot();
    },
    removeCluster: (accountId, region, name) => {
      if (!state.removeCluster(accountId, region, name)) {
        throw new SimulatorUsageError(`removeCluster: no cluster ${name} in ${accountId}/${region}`);
      }
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Routes a request to its operation; throws the service's "unknown operation" error when none serves it. */
function resolve(service: Service, req: IncomingMessage, body: string): ResolvedCall {
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2);
  let call: ResolvedCall | null;
  if (service === 'eks') call = resolveEksCall(req.method ?? 'GET', rawPath, new URLSearchParams(rawQuery), body);
  else if (service === 'sts') call = resolveStsCall(body);
  else if (service === 'monitoring') call = resolveCloudWatchCall(headerText(req.headers['x-amz-target']), body);
  else call = resolveOrganizationsCall(headerText(req.headers['x-amz-target']), body);
  if (call !== null) return call;
  throw service === 'sts'
    ? new SimApiError('InvalidAction', 400, 'Could not find operation for version 2011-06-15')
    : new SimApiError('UnknownOperationException', 404, `Unknown operation ${req.method ?? ''} ${rawPath}`);
}

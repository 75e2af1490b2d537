/**
 * One place that builds AWS SDK clients, so every client of a run shares the same connection pool, timeouts,
 * retry policy and (for the simulator) endpoint.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { EKSClient } from '@aws-sdk/client-eks';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import type { RateLimiter } from '../shared/limit.ts';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** How to reach AWS (or the simulator): shared by every client a run creates. */
export interface AwsConnection {
  /** Overrides every service endpoint, e.g. the simulator's `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  /** Credentials of the hub (caller); undefined = the SDK's default chain. */
  readonly credentials?: Credentials;
  /** Region for global services (STS, Organizations). */
  readonly homeRegion: string;
  /** Attempts per call, first try included (throttling and 5xx are retried with backoff). */
  readonly maxAttempts: number;
  /** A call that sends no answer within this time fails with a timeout and may be retried. */
  readonly requestTimeoutMs: number;
  readonly requestHandler: NodeHttpHandler;
  /**
   * Builds each client's retry strategy for `maxAttempts` (one per client: a strategy keeps its own retry quota).
   * Undefined = the SDK's standard strategy (exponential back-off from 1 s for throttling). Tests give one with
   * millisecond back-offs, so they exercise the retries without waiting them out.
   */
  readonly retryStrategy?: (maxAttempts: number) => RetryStrategyV2;
}

/** Connection settings with sane defaults for a fleet-wide audit. */
export function createConnection(options: {
  endpoint?: string;
  credentials?: Credentials;
  homeRegion?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  maxSockets?: number;
  retryStrategy?: (maxAttempts: number) => RetryStrategyV2;
}): AwsConnection {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  return {
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.retryStrategy === undefined ? {} : { retryStrategy: options.retryStrategy }),
    homeRegion: options.homeRegion ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 8,
    requestTimeoutMs,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 3_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  };
}

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type HandleResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** Error types AWS services answer when they throttle (restJson `x-amzn-errortype`, e.g. `ThrottlingException:…`). */
const THROTTLE_TYPES = /^(ThrottlingException|Throttling|TooManyRequestsException|RequestLimitExceeded)\b/;

/** Whether an HTTP response is a throttling answer (429, or an error type that names throttling). */
export function isThrottleResponse(statusCode: number, headers: Readonly<Record<string, string>>): boolean {
  if (statusCode === 429) return true;
  if (statusCode < 400) return false;
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-amzn-errortype')?.[1] ?? '';
  return THROTTLE_TYPES.test(type);
}

/**
 * The connection's shared handler behind a per-client pacer: every attempt the SDK sends (its retries included)
 * first takes a token, and a throttling answer empties the pacer's bucket so it falls back in step with AWS's.
 * It never destroys the shared handler: `closeConnection` does that once for all clients.
 */
class PacedRequestHandler {
  readonly metadata: NodeHttpHandler['metadata'];

  constructor(
    private readonly inner: NodeHttpHandler,
    private readonly pacer: RateLimiter,
  ) {
    this.metadata = inner.metadata;
  }

  /** Sends one attempt once the pacer allows it. */
  async handle(...args: HandleArgs): Promise<HandleResult> {
    await this.pacer.acquire();
    const result = await this.inner.handle(...args);
    if (isThrottleResponse(result.response.statusCode, result.response.headers)) this.pacer.throttled();
    return result;
  }

  /** Delegates configuration to the shared handler (the SDK calls this for its logger and socket timeout). */
  updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...args);
  }

  /** The shared handler's configuration. */
  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  /** No-op: the shared handler outlives any one client. */
  destroy(): void {}
}

function baseConfig(
  connection: AwsConnection,
  region: string,
  credentials: Credentials | undefined,
  requestHandler: NodeHttpHandler | PacedRequestHandler = connection.requestHandler,
): {
  region: string;
  maxAttempts: number;
  requestHandler: NodeHttpHandler | PacedRequestHandler;
  endpoint?: string;
  credentials?: Credentials;
  retryStrategy?: RetryStrategyV2;
} {
  return {
    region,
    maxAttempts: connection.maxAttempts,
    requestHandler,
    ...(connection.retryStrategy === undefined
      ? {}
      : { retryStrategy: connection.retryStrategy(connection.maxAttempts) }),
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

/**
 * An EKS client for one account-region, signing with that account's (assumed-role) credentials. With a `pacer`,
 * every attempt it sends waits for the pacer (see {@link PacedRequestHandler}).
 */
export function eksClient(
  connection: AwsConnection,
  region: string,
  credentials: Credentials,
  pacer?: RateLimiter,
): EKSClient {
  const handler =
    pacer === undefined ? connection.requestHandler : new PacedRequestHandler(connection.requestHandler, pacer);
  return new EKSClient(baseConfig(connection, region, credentials, handler));
}

/** An STS client signing as the hub (the caller). */
export function stsClient(connection: AwsConnection): STSClient {
  return new STSClient(baseConfig(connection, connection.homeRegion, connection.credentials));
}

/** An Organizations client signing as the hub (must run in the management or a delegated admin account). */
export function organizationsClient(connection: AwsConnection): OrganizationsClient {
  return new OrganizationsClient(baseConfig(connection, connection.homeRegion, connection.credentials));
}

/** Releases the sockets of the connection pool so the process can exit. */
export function closeConnection(connection: AwsConnection): void {
  connection.requestHandler.destroy();
}

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
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

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
}

/** Connection settings with sane defaults for a fleet-wide audit. */
export function createConnection(options: {
  endpoint?: string;
  credentials?: Credentials;
  homeRegion?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  maxSockets?: number;
}): AwsConnection {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  return {
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
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

function baseConfig(
  connection: AwsConnection,
  region: string,
  credentials: Credentials | undefined,
): {
  region: string;
  maxAttempts: number;
  requestHandler: NodeHttpHandler;
  endpoint?: string;
  credentials?: Credentials;
} {
  return {
    region,
    maxAttempts: connection.maxAttempts,
    requestHandler: connection.requestHandler,
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

/** An EKS client for one account-region, signing with that account's (assumed-role) credentials. */
export function eksClient(connection: AwsConnection, region: string, credentials: Credentials): EKSClient {
  return new EKSClient(baseConfig(connection, region, credentials));
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

/**
 * Short timeouts for the regions a test makes hang, and only for them. A test of a region that never answers then
 * waits milliseconds for its timeout, while every other call keeps the connection's own generous timeout, so the
 * answers of the other regions still count however loaded the machine is.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import type { AwsConnection } from '../../functions/adapters/aws-clients.ts';

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type HandleResult = ReturnType<NodeHttpHandler['handle']>;

/** The region of a SigV4-signed request, from its credential scope (`Credential=KEY/DATE/REGION/SERVICE/…`). */
export function signedRegion(authorization: string | undefined): string | null {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? '')?.[1] ?? null;
}

/** The connection's handler, with `timeoutMs` as the request timeout of calls signed for one of `regions`. */
class RegionTimeouts extends NodeHttpHandler {
  constructor(
    private readonly inner: NodeHttpHandler,
    private readonly regions: ReadonlySet<string>,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  override handle(request: HandleArgs[0], options: HttpHandlerOptions = {}): HandleResult {
    const region = signedRegion(request.headers['authorization']);
    const short = region !== null && this.regions.has(region);
    return this.inner.handle(request, short ? { ...options, requestTimeout: this.timeoutMs } : options);
  }

  override updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...args);
  }

  override httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  override destroy(): void {
    this.inner.destroy();
  }
}

/** `connection`, its calls to `regions` timing out after `timeoutMs` (the others keep `connection.requestTimeoutMs`). */
export function shortTimeoutIn(
  connection: AwsConnection,
  regions: readonly string[],
  timeoutMs: number,
): AwsConnection {
  return { ...connection, requestHandler: new RegionTimeouts(connection.requestHandler, new Set(regions), timeoutMs) };
}

/**
 * The AWS JSON protocol as the simulator serves it, for the services that speak it: Organizations (JSON 1.1) and
 * CloudWatch (JSON 1.0). A request names its operation in `X-Amz-Target` (`<service prefix>.<Operation>`) and carries
 * a JSON object body; a success is that JSON with the protocol's content type. Each service keeps its own error shape
 * (`json11Error` in `wire.ts`, CloudWatch's query-compatible `json10Error`).
 */
import { SimApiError } from './errors.ts';
import type { ResolvedCall, ServiceContext, SimResponse } from './wire.ts';

/** The JSON protocol versions the simulator answers in. */
type JsonVersion = '1.0' | '1.1';

/** One operation of a JSON-protocol service: the call's context and its parsed body. */
export type JsonOperation = (ctx: ServiceContext, body: Record<string, unknown>) => SimResponse;

/** The content type of a JSON-protocol version, e.g. `application/x-amz-json-1.1`. */
export function jsonContentType(version: JsonVersion): string {
  return `application/x-amz-json-${version}`;
}

/** A JSON-protocol success. */
export function jsonSuccess(version: JsonVersion, body: unknown, requestId: string): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': jsonContentType(version), 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/**
 * Routes a JSON-protocol request by its `X-Amz-Target`: null when the target is not this service's (`targetPrefix`,
 * e.g. `AWSOrganizationsV20161128.`) or names an operation it does not serve. The call's `params` are the body's
 * top-level members, strings as they are and anything else as JSON.
 *
 * @throws SimApiError `SerializationException` when the body is not JSON.
 */
export function resolveJsonCall(
  targetPrefix: string,
  operations: Readonly<Record<string, JsonOperation>>,
  target: string | undefined,
  rawBody: string,
): ResolvedCall | null {
  if (target?.startsWith(targetPrefix) !== true) return null;
  const operation = target.slice(targetPrefix.length);
  const serve = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (serve === undefined) return null;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    throw new SimApiError('SerializationException', 400, 'The request body is not valid JSON');
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return { operation, params, serve: (ctx) => serve(ctx, body) };
}

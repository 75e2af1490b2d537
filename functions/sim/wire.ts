/**
 * The AWS wire protocols the simulator answers in: restJson1 (EKS), JSON 1.1 errors (Organizations; JSON-protocol
 * routing and successes are in `json-protocol.ts`) and Query/XML (STS), for both results and errors, plus the
 * request shape the service modules receive.
 */
import type { CredentialStore, Principal } from './auth.ts';
import type { SimApiError } from './errors.ts';
import type { FleetState } from './state.ts';

/** An HTTP response ready to write. */
export interface SimResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a service operation sees of the simulator while it serves one call. */
export interface ServiceContext {
  readonly state: FleetState;
  readonly principal: Principal;
  readonly region: string;
  readonly now: Date;
  readonly pageSize: number;
  readonly updateDurationMs: number;
  /** The id this call's response carries (`x-amzn-requestid`, `<RequestId>`). */
  readonly requestId: string;
  /** Access keys and the accounts they belong to (AssumeRole issues new ones). */
  readonly credentials: CredentialStore;
}

/** A request routed to an operation: its name, its flattened parameters, and how to serve it. */
export interface ResolvedCall {
  readonly operation: string;
  readonly params: Record<string, string>;
  serve(ctx: ServiceContext): SimResponse;
}

/** A restJson1 success (EKS). */
export function restJson(body: unknown, requestId: string): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/** A restJson1 error: status, `x-amzn-errortype` header and `{"message": …}` plus the exception's members. */
export function restJsonError(error: SimApiError, requestId: string): SimResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message: error.message, ...error.fields }),
  };
}

/** A JSON 1.1 error: `{"__type": NAME, "Message": …}` and the `x-amzn-errortype` header. */
export function json11Error(error: SimApiError, requestId: string): SimResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ __type: error.code, Message: error.message }),
  };
}

/** Escapes text for an XML element. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A Query-protocol success (STS): `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/>`. */
export function queryXml(action: string, resultXml: string, requestId: string): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<${action}Response xmlns="${STS_NS}"><${action}Result>${resultXml}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** A Query-protocol error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function queryError(error: SimApiError, requestId: string): SimResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse xmlns="${STS_NS}"><Error><Type>${type}</Type><Code>${xmlEscape(error.code)}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

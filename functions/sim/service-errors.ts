/**
 * Each service's own names for the errors the simulator produces outside any operation: throttling (EKS
 * ThrottlingException 429, STS Throttling, Organizations TooManyRequestsException), random 5xx, unknown access
 * keys and missing signatures, and which wire protocol renders them.
 */
import { json10Error } from './cloudwatch-api.ts';
import { SimApiError } from './errors.ts';
import type { SimResponse } from './wire.ts';
import { json11Error, queryError, restJsonError } from './wire.ts';

/** The services the simulator speaks. */
export type Service = 'eks' | 'sts' | 'organizations' | 'monitoring';

/** How each service's protocol puts an error on the wire. */
export const RENDER_ERROR: Readonly<Record<Service, (error: SimApiError, requestId: string) => SimResponse>> = {
  eks: restJsonError,
  sts: queryError,
  organizations: json11Error,
  monitoring: json10Error,
};

/** The error names each service uses for the faults the simulator injects. */
const FAULT_ERRORS: Readonly<
  Record<Service, Record<'throttle' | 'internal' | 'unavailable' | 'badKey' | 'noAuth', [string, number]>>
> = {
  eks: {
    throttle: ['ThrottlingException', 429],
    internal: ['ServerException', 500],
    unavailable: ['ServiceUnavailableException', 503],
    badKey: ['UnrecognizedClientException', 403],
    noAuth: ['MissingAuthenticationTokenException', 403],
  },
  sts: {
    throttle: ['Throttling', 400],
    internal: ['InternalFailure', 500],
    unavailable: ['ServiceUnavailable', 503],
    badKey: ['InvalidClientTokenId', 403],
    noAuth: ['MissingAuthenticationToken', 403],
  },
  monitoring: {
    throttle: ['ThrottlingException', 400],
    internal: ['InternalServiceFault', 500],
    unavailable: ['ServiceUnavailableException', 503],
    badKey: ['UnrecognizedClientException', 403],
    noAuth: ['MissingAuthenticationTokenException', 403],
  },
  organizations: {
    throttle: ['TooManyRequestsException', 400],
    internal: ['ServiceException', 500],
    unavailable: ['ServiceUnavailableException', 503],
    badKey: ['UnrecognizedClientException', 400],
    noAuth: ['MissingAuthenticationTokenException', 403],
  },
};

const FAULT_MESSAGES = {
  throttle: 'Rate exceeded',
  internal: 'We encountered an internal error. Please try again.',
  unavailable: 'Service is unavailable. Please try again.',
  badKey: 'The security token included in the request is invalid.',
  noAuth: 'Missing Authentication Token',
} as const;

/** The error `service` answers for an injected fault or an authentication failure, in its own vocabulary. */
export function faultError(service: Service, kind: keyof typeof FAULT_MESSAGES, message?: string): SimApiError {
  const [code, status] = FAULT_ERRORS[service][kind];
  return new SimApiError(code, status, message ?? FAULT_MESSAGES[kind]);
}

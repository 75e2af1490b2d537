/**
 * List pagination as AWS does it: `maxResults` (validated, capped by the simulator's page size) and an opaque
 * `nextToken`. A token the simulator did not issue is rejected, like AWS rejects a garbage token.
 */
import type { SimApiError } from './errors.ts';

const TOKEN_PREFIX = 'simpage:';

/** One page of a list, and the token for the next one (absent on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** The request's paging inputs, as strings or numbers off the wire. */
interface PageRequest {
  readonly maxResults?: string | number | undefined;
  readonly nextToken?: string | undefined;
}

function encode(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`, 'utf8').toString('base64');
}

function decode(token: string): number | null {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX) || encode(Number(text.slice(TOKEN_PREFIX.length))) !== token) return null;
  const offset = Number(text.slice(TOKEN_PREFIX.length));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

/**
 * Cuts one page out of `items`.
 *
 * @param pageSize the simulator's page size: the default when no maxResults is sent, and a cap on maxResults.
 * @param limit the API's own maximum for maxResults (100 for EKS, 20 for Organizations).
 * @param invalid builds the service's invalid-parameter error.
 */
export function paginate<T>(
  items: readonly T[],
  request: PageRequest,
  options: { pageSize: number; limit: number; invalid: (message: string) => SimApiError },
): Page<T> {
  let size = options.pageSize;
  if (request.maxResults !== undefined && request.maxResults !== '') {
    const max = Number(request.maxResults);
    if (!Number.isInteger(max) || max < 1 || max > options.limit) {
      throw options.invalid(`maxResults must be an integer between 1 and ${options.limit}, got ${request.maxResults}`);
    }
    size = Math.min(max, options.pageSize);
  }
  let offset = 0;
  if (request.nextToken !== undefined && request.nextToken !== '') {
    const decoded = decode(request.nextToken);
    if (decoded === null) throw options.invalid('The nextToken is not valid.');
    offset = decoded;
  }
  const end = offset + size;
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, nextToken: encode(end) } : { items: page };
}

/**
 * AWS Organizations (JSON 1.1): ListAccounts, answered only to the hub (management) account. The fleet file's
 * accounts are the organization's members, listed in fleet-file order.
 */
import { SimApiError } from './errors.ts';
import { stableHex } from './ids.ts';
import { paginate } from './pagination.ts';
import type { ResolvedCall, ServiceContext, SimResponse } from './wire.ts';
import { json11 } from './wire.ts';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const JOINED_FALLBACK_MS = Date.UTC(2020, 0, 6);

function invalidInput(message: string): SimApiError {
  return new SimApiError('InvalidInputException', 400, message);
}

function listAccounts(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  const hub = ctx.state.hubAccountId;
  if (ctx.principal.accountId !== hub) {
    throw new SimApiError('AccessDeniedException', 400, "You don't have permissions to access this resource.");
  }
  const organizationId = `o-${stableHex(hub, 10)}`;
  const accounts = [...ctx.state.accounts.values()].map((account) => {
    const created = [...account.regions.values()].flatMap((clusters) =>
      [...clusters.values()].map((c) => c.createdAtMs),
    );
    const joinedMs = created.length === 0 ? JOINED_FALLBACK_MS : Math.min(...created) - 30 * 86_400_000;
    return {
      Id: account.id,
      Arn: `arn:aws:organizations::${hub}:account/${organizationId}/${account.id}`,
      Email: `aws+${account.id}@example.com`,
      Name: account.name,
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: account.id === hub ? 'CREATED' : 'INVITED',
      JoinedTimestamp: joinedMs / 1000,
    };
  });
  const page = paginate(
    accounts,
    {
      maxResults: typeof body.MaxResults === 'number' ? body.MaxResults : undefined,
      nextToken: typeof body.NextToken === 'string' ? body.NextToken : undefined,
    },
    { pageSize: ctx.pageSize, limit: 20, invalid: invalidInput },
  );
  return json11({ Accounts: page.items, NextToken: page.nextToken }, ctx.requestId);
}

/** Routes an Organizations request by its `X-Amz-Target`; null for an operation the simulator does not serve. */
export function resolveOrganizationsCall(target: string | undefined, rawBody: string): ResolvedCall | null {
  if (target !== `${TARGET_PREFIX}ListAccounts`) return null;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    throw new SimApiError('SerializationException', 400, 'The request body is not valid JSON');
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) params[key] = String(value);
  return { operation: 'ListAccounts', params, serve: (ctx) => listAccounts(ctx, body) };
}

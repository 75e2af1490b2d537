/**
 * AWS Organizations (JSON 1.1): ListAccounts, ListAccountsForParent, ListOrganizationalUnitsForParent and
 * ListChildren, answered only to the hub (management) account. The fleet file's accounts are the organization's
 * members, listed in fleet-file order; its `organizationalUnits` and account `parentId` are the tree under the
 * root `r-a1b2` (accounts without a parent sit in the root).
 */
import { SimApiError } from './errors.ts';
import { ORGANIZATION_ROOT_ID } from './fleet-file.ts';
import { stableHex } from './ids.ts';
import { paginate } from './pagination.ts';
import type { SimAccount } from './state.ts';
import { jsonSuccess, resolveJsonCall, type JsonOperation } from './json-protocol.ts';
import type { ResolvedCall, ServiceContext, SimResponse } from './wire.ts';
import { PARENT_ID_PATTERN as PARENT_ID } from '../core/identifiers.ts';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const JOINED_FALLBACK_MS = Date.UTC(2020, 0, 6);

function invalidInput(message: string): SimApiError {
  return new SimApiError('InvalidInputException', 400, message);
}

function requireHub(ctx: ServiceContext): string {
  const hub = ctx.state.hubAccountId;
  if (ctx.principal.accountId !== hub) {
    throw new SimApiError('AccessDeniedException', 400, "You don't have permissions to access this resource.");
  }
  return hub;
}

function organizationId(hub: string): string {
  return `o-${stableHex(hub, 10)}`;
}

function describeAccount(hub: string, account: SimAccount): Record<string, unknown> {
  const created = [...account.regions.values()].flatMap((clusters) => [...clusters.values()].map((c) => c.createdAtMs));
  const joinedMs = created.length === 0 ? JOINED_FALLBACK_MS : Math.min(...created) - 30 * 86_400_000;
  return {
    Id: account.id,
    Arn: `arn:aws:organizations::${hub}:account/${organizationId(hub)}/${account.id}`,
    Email: `aws+${account.id}@example.com`,
    Name: account.name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: account.id === hub ? 'CREATED' : 'INVITED',
    JoinedTimestamp: joinedMs / 1000,
  };
}

function page<T>(
  ctx: ServiceContext,
  body: Record<string, unknown>,
  items: readonly T[],
): { items: T[]; nextToken?: string } {
  return paginate(
    items,
    {
      maxResults: typeof body.MaxResults === 'number' ? body.MaxResults : undefined,
      nextToken: typeof body.NextToken === 'string' ? body.NextToken : undefined,
    },
    { pageSize: ctx.pageSize, limit: 20, invalid: invalidInput },
  );
}

/** The request's ParentId, validated like Organizations does, and known to the organization. */
function parentOf(ctx: ServiceContext, body: Record<string, unknown>): string {
  const parent = body.ParentId;
  if (typeof parent !== 'string' || parent === '') {
    throw invalidInput('You provided a value that does not match the required pattern: ParentId is required.');
  }
  if (!PARENT_ID.test(parent)) {
    throw invalidInput(`You specified an invalid value for parentId: ${parent} does not match the required pattern.`);
  }
  const known = parent === ORGANIZATION_ROOT_ID || ctx.state.organizationalUnits.some((unit) => unit.id === parent);
  if (!known) {
    throw new SimApiError(
      'ParentNotFoundException',
      400,
      "We can't find a root or OU with the ParentId that you specified.",
    );
  }
  return parent;
}

function accountsIn(ctx: ServiceContext, parent: string): SimAccount[] {
  return [...ctx.state.accounts.values()].filter((account) => (account.parentId ?? ORGANIZATION_ROOT_ID) === parent);
}

function unitsIn(ctx: ServiceContext, parent: string): { id: string; name: string }[] {
  return ctx.state.organizationalUnits
    .filter((unit) => unit.parentId === parent)
    .map((unit) => ({ id: unit.id, name: unit.name ?? unit.id }));
}

function listAccounts(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  const hub = requireHub(ctx);
  const accounts = [...ctx.state.accounts.values()].map((account) => describeAccount(hub, account));
  const result = page(ctx, body, accounts);
  return jsonSuccess('1.1', { Accounts: result.items, NextToken: result.nextToken }, ctx.requestId);
}

function listAccountsForParent(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  const hub = requireHub(ctx);
  const parent = parentOf(ctx, body);
  const result = page(
    ctx,
    body,
    accountsIn(ctx, parent).map((account) => describeAccount(hub, account)),
  );
  return jsonSuccess('1.1', { Accounts: result.items, NextToken: result.nextToken }, ctx.requestId);
}

function listOrganizationalUnitsForParent(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  const hub = requireHub(ctx);
  const parent = parentOf(ctx, body);
  const units = unitsIn(ctx, parent).map((unit) => ({
    Id: unit.id,
    Arn: `arn:aws:organizations::${hub}:ou/${organizationId(hub)}/${unit.id}`,
    Name: unit.name,
  }));
  const result = page(ctx, body, units);
  return jsonSuccess('1.1', { OrganizationalUnits: result.items, NextToken: result.nextToken }, ctx.requestId);
}

function listChildren(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  requireHub(ctx);
  const parent = parentOf(ctx, body);
  const type = body.ChildType;
  let children: { Id: string; Type: string }[];
  if (type === 'ACCOUNT') children = accountsIn(ctx, parent).map((a) => ({ Id: a.id, Type: 'ACCOUNT' }));
  else if (type === 'ORGANIZATIONAL_UNIT') {
    children = unitsIn(ctx, parent).map((unit) => ({ Id: unit.id, Type: 'ORGANIZATIONAL_UNIT' }));
  } else {
    throw invalidInput(`You specified an invalid value for childType: ${String(type)}.`);
  }
  const result = page(ctx, body, children);
  return jsonSuccess('1.1', { Children: result.items, NextToken: result.nextToken }, ctx.requestId);
}

const OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  ListAccounts: listAccounts,
  ListAccountsForParent: listAccountsForParent,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListChildren: listChildren,
};

/** Routes an Organizations request by its `X-Amz-Target`; null for an operation the simulator does not serve. */
export function resolveOrganizationsCall(target: string | undefined, rawBody: string): ResolvedCall | null {
  return resolveJsonCall(TARGET_PREFIX, OPERATIONS, target, rawBody);
}

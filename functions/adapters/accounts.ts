/**
 * Member accounts and their credentials: which accounts to audit (AWS Organizations or an explicit list), and
 * the read role's temporary credentials in each, assumed from the hub and cached until shortly before expiry.
 */
import {
  ListOrganizationalUnitsForParentCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AsyncLocalStorage } from 'node:async_hooks';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { roleArn } from '../core/naming.ts';
import { AccessDeniedError, MemberAccessDeniedError, translateAwsError } from './aws-errors.ts';
import { OU_ID_PATTERN as OU_ID, ROOT_ID_PATTERN as ROOT_ID } from '../core/identifiers.ts';

export interface MemberAccount {
  readonly id: string;
  readonly name: string | null;
}

/** Every ACTIVE account of the organization, sorted by id (call from the management or delegated admin account). */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<MemberAccount[]> {
  const accounts: MemberAccount[] = [];
  try {
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const account of page.Accounts ?? []) {
        const active = (account.State ?? account.Status) === 'ACTIVE';
        if (account.Id !== undefined && active) accounts.push({ id: account.Id, name: account.Name ?? null });
      }
    }
  } catch (error) {
    throw translateAwsError(error, 'Organizations ListAccounts');
  }
  return accounts.sort((a, b) => a.id.localeCompare(b.id));
}

/** Validates a list of organization roots and OUs (`--organizational-units r-a1b2,ou-a1b2-aaaa1111`). */
export function parseOrganizationalUnitIds(text: string): string[] {
  const ids = text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const bad = ids.filter((id) => !ROOT_ID.test(id) && !OU_ID.test(id));
  if (bad.length > 0) {
    throw new Error(`not an organization root (r-…) or OU id (ou-…-…): ${bad.join(', ')}`);
  }
  return [...new Set(ids)];
}

/** The ACTIVE accounts directly in one OU, and its child OUs' ids. */
async function readOrganizationalUnit(
  client: OrganizationsClient,
  parentId: string,
): Promise<{ accounts: MemberAccount[]; children: string[] }> {
  const accounts: MemberAccount[] = [];
  const children: string[] = [];
  try {
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
      for (const account of page.Accounts ?? []) {
        const active = (account.State ?? account.Status) === 'ACTIVE';
        if (account.Id !== undefined && active) accounts.push({ id: account.Id, name: account.Name ?? null });
      }
    }
  } catch (error) {
    throw translateAwsError(error, `Organizations ListAccountsForParent ${parentId}`);
  }
  try {
    for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
      for (const unit of page.OrganizationalUnits ?? []) if (unit.Id !== undefined) children.push(unit.Id);
    }
  } catch (error) {
    throw translateAwsError(error, `Organizations ListOrganizationalUnitsForParent ${parentId}`);
  }
  return { accounts, children };
}

/**
 * The ACTIVE accounts under the given roots and OUs, de-duplicated and sorted by id: a root (`r-…`) stands for the
 * whole organization, an OU (`ou-…`) for its accounts and those of every OU nested below it. This is what the
 * member-roles StackSet targets, so the audit covers exactly the accounts that have the roles.
 *
 * @throws Error for a malformed id; AwsRequestError (code ParentNotFoundException) for a root or OU that does not
 *   exist.
 */
export async function listAccountsInOrganizationalUnits(
  client: OrganizationsClient,
  parentIds: readonly string[],
): Promise<MemberAccount[]> {
  const bad = parentIds.filter((id) => !ROOT_ID.test(id) && !OU_ID.test(id));
  if (bad.length > 0) throw new Error(`not an organization root (r-…) or OU id (ou-…-…): ${bad.join(', ')}`);
  const found = new Map<string, MemberAccount>();
  const roots = parentIds.filter((id) => ROOT_ID.test(id));
  if (roots.length > 0) {
    // A root stands for the whole organization; one cheap call per root proves it is this organization's.
    for (const root of new Set(roots)) {
      try {
        await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: root, MaxResults: 1 }));
      } catch (error) {
        throw translateAwsError(error, `Organizations ListOrganizationalUnitsForParent ${root}`);
      }
    }
    return listOrganizationAccounts(client);
  }
  const pending = [...new Set(parentIds)];
  const visited = new Set<string>();
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    if (visited.has(next)) continue;
    visited.add(next);
    const { accounts, children } = await readOrganizationalUnit(client, next);
    for (const account of accounts) found.set(account.id, account);
    pending.push(...children);
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The accounts to audit, by precedence: the explicit list when given, else the accounts under the roots and OUs
 * when given, else every ACTIVE account of the organization. Shared by the CLI and the nightly handlers.
 */
export async function discoverMemberAccounts(
  client: OrganizationsClient,
  scope: {
    readonly accounts?: readonly MemberAccount[] | null;
    readonly organizationalUnits?: readonly string[] | null;
  },
): Promise<MemberAccount[]> {
  if (scope.accounts !== undefined && scope.accounts !== null && scope.accounts.length > 0) return [...scope.accounts];
  const units = scope.organizationalUnits ?? [];
  return units.length > 0 ? listAccountsInOrganizationalUnits(client, units) : listOrganizationAccounts(client);
}

/** Characters STS allows in a RoleSessionName and a SourceIdentity; anything else becomes `-`. */
const SESSION_FORBIDDEN = /[^\w+=,.@-]/g;
/** Longest RoleSessionName and SourceIdentity STS accepts. */
const MAX_SESSION_CHARS = 64;

/**
 * `text` as a RoleSessionName and SourceIdentity STS accepts: letters, digits and `_+=,.@-`, 2 to 64 characters
 * (so it can never begin with the reserved `aws:`). A run id or execution name keeps its meaning.
 *
 * @example sessionNameOf('dev-sandbox-1-35-20261122-4786e7da617d61f1') // unchanged
 */
export function sessionNameOf(text: string): string {
  const cleaned = text.replace(SESSION_FORBIDDEN, '-').slice(0, MAX_SESSION_CHARS);
  return cleaned.length >= 2 ? cleaned : cleaned.padEnd(2, '-');
}

const currentSessionStore = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as the session `name` (a run id or execution name): every member role the brokers assume inside it, with
 * no session given explicitly, is assumed with that RoleSessionName and SourceIdentity, so CloudTrail in the member
 * account names what acted.
 */
export function runAsSession<T>(name: string, fn: () => T): T {
  return currentSessionStore.run(sessionNameOf(name), fn);
}

/** The session of the enclosing {@link runAsSession}, or undefined outside one. */
export function currentSession(): string | undefined {
  return currentSessionStore.getStore();
}

interface CachedCredentials {
  readonly promise: Promise<AwsCredentialIdentity>;
  expiresAt: number;
}

/**
 * Assumes the member role once per account and session and hands out the credentials until `refreshBeforeMs` before
 * they expire. Concurrent callers for one account and session share a single AssumeRole call. The session (a run id or
 * execution name, see {@link runAsSession}) is the RoleSessionName and the SourceIdentity of the assumed role, so the
 * member's CloudTrail says which run or execution acted; without one, the broker's default session name is used.
 */
export class CredentialBroker {
  private readonly cache = new Map<string, CachedCredentials>();
  private readonly sts: STSClient;
  private readonly roleName: string;
  private readonly sessionName: string;
  private readonly clock: () => number;
  private readonly refreshBeforeMs: number;
  private readonly durationSeconds: number;
  private readonly partition: string;

  constructor(options: {
    sts: STSClient;
    roleName: string;
    /** Partition of the member role ARNs (`aws`, `aws-cn`, `aws-us-gov`, …); default `aws`. */
    partition?: string;
    sessionName?: string;
    /** Real time, for expiry (not the audit's `--now`). */
    clock?: () => number;
    refreshBeforeMs?: number;
    durationSeconds?: number;
  }) {
    this.sts = options.sts;
    this.roleName = options.roleName;
    this.sessionName = options.sessionName ?? 'fleet-auditor';
    this.clock = options.clock ?? Date.now;
    this.refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.durationSeconds = options.durationSeconds ?? 3600;
    this.partition = options.partition ?? 'aws';
  }

  /**
   * Credentials of the member role in `accountId` for `session` (default: the enclosing {@link runAsSession}, else the
   * broker's session name); throws MemberAccessDeniedError when the role cannot be assumed.
   */
  credentialsFor(accountId: string, session?: string): Promise<AwsCredentialIdentity> {
    const name = sessionNameOf(session ?? currentSession() ?? this.sessionName);
    const key = `${accountId}\n${name}`;
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.expiresAt - this.refreshBeforeMs > this.clock()) return cached.promise;
    const entry: CachedCredentials = { promise: this.assume(accountId, name), expiresAt: Number.POSITIVE_INFINITY };
    this.cache.set(key, entry);
    entry.promise.then(
      (credentials) => {
        entry.expiresAt = credentials.expiration?.getTime() ?? this.clock() + this.durationSeconds * 1000;
      },
      () => this.cache.delete(key),
    );
    return entry.promise;
  }

  /**
   * A credentials provider for SDK clients: it re-assumes the role when the cached credentials near expiry. The
   * session is fixed when the provider is made (SDK clients keep the credentials they got, so one client serves one
   * session).
   */
  providerFor(accountId: string, session?: string): () => Promise<AwsCredentialIdentity> {
    const name = session ?? currentSession() ?? this.sessionName;
    return () => this.credentialsFor(accountId, name);
  }

  private async assume(accountId: string, session: string): Promise<AwsCredentialIdentity> {
    const arn = roleArn(accountId, this.roleName, this.partition);
    try {
      const { Credentials: c } = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: session,
          SourceIdentity: session,
          DurationSeconds: this.durationSeconds,
        }),
      );
      if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
        throw new MemberAccessDeniedError(`AssumeRole ${arn} returned no credentials`);
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
      };
    } catch (error) {
      const translated = translateAwsError(error, `AssumeRole ${arn}`);
      if (translated instanceof AccessDeniedError) {
        throw new MemberAccessDeniedError(`cannot assume ${arn}: access denied`, { cause: error });
      }
      throw translated;
    }
  }
}

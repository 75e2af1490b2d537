/**
 * Who is calling and where: the SigV4 `Authorization` header's credential scope names the access key, region and
 * service (signatures are not verified). Access keys map to accounts: the hub's base key, and the keys that
 * STS AssumeRole hands out.
 */
import { randomBytes } from 'node:crypto';
import { stableHex } from './ids.ts';

/** The credential scope of a SigV4-signed request. */
interface AuthScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

/** The identity behind an access key, as GetCallerIdentity reports it. */
export interface Principal {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

/** Temporary credentials as AssumeRole returns them. */
interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly principal: Principal;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** The credential scope of an `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, …` header. */
export function parseAuthorization(header: string | undefined): AuthScope | null {
  if (header === undefined) return null;
  const match = CREDENTIAL.exec(header);
  if (match === null) return null;
  const [, accessKeyId = '', region = '', service = ''] = match;
  return { accessKeyId, region, service };
}

/** Access keys the simulator knows, and the accounts they belong to. */
export class CredentialStore {
  /** The hub's base credentials (an IAM user in the hub account). */
  readonly hub: { readonly accessKeyId: string; readonly secretAccessKey: string };
  private readonly principals = new Map<string, Principal>();
  private readonly instanceTag = randomBytes(3).toString('hex').toUpperCase().slice(0, 4);
  private issued = 0;

  constructor(hubAccountId: string) {
    this.hub = {
      accessKeyId: `AKIASIMHUB${hubAccountId.slice(-10)}`,
      secretAccessKey: `sim/${stableHex(hubAccountId, 36)}`,
    };
    this.principals.set(this.hub.accessKeyId, {
      accountId: hubAccountId,
      arn: `arn:aws:iam::${hubAccountId}:user/fleet-auditor`,
      userId: `AIDASIMHUB${hubAccountId.slice(-10)}`,
    });
  }

  /** The principal behind an access key, or undefined for a key the simulator never issued. */
  lookup(accessKeyId: string): Principal | undefined {
    return this.principals.get(accessKeyId);
  }

  /** New temporary credentials for `roleName` in `accountId` (what AssumeRole issues). */
  issue(accountId: string, roleName: string, sessionName: string): IssuedCredentials {
    this.issued += 1;
    const serial = this.issued.toString(36).toUpperCase().padStart(12, '0');
    const accessKeyId = `ASIA${this.instanceTag}${serial}`;
    const roleId = `AROA${stableHex(`${accountId}/${roleName}`, 17).toUpperCase()}`;
    const principal: Principal = {
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
    };
    this.principals.set(accessKeyId, principal);
    return {
      accessKeyId,
      secretAccessKey: `sim/${randomBytes(27).toString('base64')}`,
      sessionToken: `FwoGZXIvYXdzE${randomBytes(48).toString('base64')}`,
      principal,
    };
  }
}

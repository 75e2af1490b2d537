/**
 * STS (Query protocol, XML): AssumeRole issues temporary credentials mapped to the role's account, or the exact
 * AccessDenied AWS answers for an account that is not in the fleet or refuses (`"fault": "ACCESS_DENIED"`);
 * GetCallerIdentity says who a key belongs to.
 */
import { SimApiError } from './errors.ts';
import type { ResolvedCall, ServiceContext, SimResponse } from './wire.ts';
import { queryXml, xmlEscape } from './wire.ts';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): SimApiError {
  return new SimApiError('ValidationError', 400, message);
}

function element(name: string, value: string): string {
  return `<${name}>${xmlEscape(value)}</${name}>`;
}

function assumeRole(ctx: ServiceContext, form: URLSearchParams): SimResponse {
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) {
    throw validation(
      `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: not a role ARN`,
    );
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const durationText = form.get('DurationSeconds');
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw validation(`The requested DurationSeconds ${durationText ?? ''} is outside 900..43200`);
  }
  const [, accountId = '', roleName = ''] = match;
  const account = ctx.state.accounts.get(accountId);
  const reachable =
    accountId === ctx.state.hubAccountId
      ? account?.fault === undefined
      : account !== undefined && account.fault === undefined;
  if (!reachable) {
    throw new SimApiError(
      'AccessDenied',
      403,
      `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const issued = ctx.credentials.issue(accountId, roleName, sessionName);
  // Expiration is real time: SDK credential providers compare it with the machine's clock, not the simulated one.
  const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return queryXml(
    'AssumeRole',
    `<Credentials>${element('AccessKeyId', issued.accessKeyId)}${element('SecretAccessKey', issued.secretAccessKey)}` +
      `${element('SessionToken', issued.sessionToken)}${element('Expiration', expiration)}</Credentials>` +
      `<AssumedRoleUser>${element('AssumedRoleId', issued.principal.userId)}${element('Arn', issued.principal.arn)}</AssumedRoleUser>`,
    ctx.requestId,
  );
}

function getCallerIdentity(ctx: ServiceContext): SimResponse {
  return queryXml(
    'GetCallerIdentity',
    `${element('Arn', ctx.principal.arn)}${element('UserId', ctx.principal.userId)}${element('Account', ctx.principal.accountId)}`,
    ctx.requestId,
  );
}

/** Routes an STS form POST by its `Action`; null for an action the simulator does not serve. */
export function resolveStsCall(rawBody: string): ResolvedCall | null {
  const form = new URLSearchParams(rawBody);
  const action = form.get('Action');
  const params: Record<string, string> = {};
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params[key] = value;
  if (action === 'AssumeRole') return { operation: action, params, serve: (ctx) => assumeRole(ctx, form) };
  if (action === 'GetCallerIdentity') return { operation: action, params, serve: (ctx) => getCallerIdentity(ctx) };
  return null;
}

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialBroker, runAsSession, sessionNameOf } from '../../functions/adapters/accounts.ts';

const EXPIRY = new Date('2030-01-01T01:00:00Z');
/** Every AssumeRole request the broker sent, in order. */
let sent: AssumeRoleCommandInput[] = [];

function broker(): CredentialBroker {
  const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  // The STS answer at the client boundary: what AssumeRole returns, for the session name it was asked for.
  vi.spyOn(sts, 'send').mockImplementation((command: unknown) => {
    if (!(command instanceof AssumeRoleCommand)) throw new Error('only AssumeRole is expected');
    sent.push(command.input);
    return Promise.resolve({
      Credentials: {
        AccessKeyId: `key-${command.input.RoleSessionName ?? ''}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: EXPIRY,
      },
    });
  });
  return new CredentialBroker({
    sts,
    roleName: 'fleet-auditor-upgrade',
    sessionName: 'fleet-auditor-upgrade',
    clock: () => Date.parse('2030-01-01T00:00:00Z'),
  });
}

beforeEach(() => {
  sent = [];
});

describe('sessionNameOf', () => {
  it('keeps an execution name or run id as it is', () => {
    expect(sessionNameOf('dev-sandbox-1-35-20261122-4786e7da617d61f1')).toBe(
      'dev-sandbox-1-35-20261122-4786e7da617d61f1',
    );
    expect(sessionNameOf('2026-11-22T02:00:00.000Z')).toBe('2026-11-22T02-00-00.000Z');
  });

  it('fits what STS accepts: 2 to 64 of letters, digits and _+=,.@-', () => {
    for (const text of ['', 'x', 'aws:evil', `${'a'.repeat(100)}`, 'run id with spaces/and\u001b[2J']) {
      const name = sessionNameOf(text);
      expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
      expect(name.startsWith('aws:')).toBe(false);
    }
  });
});

describe('CredentialBroker sessions', () => {
  it('assumes the role with the given session as RoleSessionName and SourceIdentity', async () => {
    const credentials = await broker().credentialsFor('222222222222', 'run-2026-11-22');

    expect(credentials.accessKeyId).toBe('key-run-2026-11-22');
    expect(sent[0]).toMatchObject({
      RoleArn: 'arn:aws:iam::222222222222:role/fleet-auditor-upgrade',
      RoleSessionName: 'run-2026-11-22',
      SourceIdentity: 'run-2026-11-22',
    });
  });

  it('takes the session of the enclosing runAsSession, and the default name outside one', async () => {
    const subject = broker();
    await runAsSession('dev-1-35-20261122-4786e7da617d61f1', () => subject.credentialsFor('222222222222'));
    await subject.credentialsFor('222222222222');

    expect(sent.map((input) => input.SourceIdentity)).toEqual([
      'dev-1-35-20261122-4786e7da617d61f1',
      'fleet-auditor-upgrade',
    ]);
  });

  it('caches per account and session: one AssumeRole for concurrent callers, another for another execution', async () => {
    const subject = broker();
    const provider = subject.providerFor('222222222222', 'exec-a');
    await Promise.all([provider(), provider(), subject.credentialsFor('222222222222', 'exec-a')]);
    await subject.credentialsFor('222222222222', 'exec-b');
    await provider();

    expect(sent.map((input) => input.RoleSessionName)).toEqual(['exec-a', 'exec-b']);
  });
});

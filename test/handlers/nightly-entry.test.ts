/**
 * The Lambda entry modules of the nightly tasks: dependencies built once from the validated environment at cold
 * start, and a handler that validates its event before it touches AWS.
 */
import './quiet-powertools.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';

const ENTRIES = [
  'nightly-start-run',
  'nightly-audit-account-region',
  'nightly-record-account-region-failure',
  'nightly-finish-run',
];

type EntryModule = { handler: (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown> };

async function loadEntry(name: string): Promise<EntryModule> {
  vi.resetModules();
  return (await import(`../../functions/handlers/entry/${name}.ts`)) as EntryModule;
}

function stubValidEnvironment(): void {
  vi.stubEnv('TABLE_NAME', 'fleet-auditor');
  vi.stubEnv('TOPIC_ARN', 'arn:aws:sns:us-east-1:111111111111:fleet-auditor');
  vi.stubEnv('REGIONS', 'us-east-1,eu-west-1');
  vi.stubEnv('ACCOUNTS', '222222222222');
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('nightly Lambda entries', () => {
  it.each(ENTRIES)('%s fails its cold start with an EnvironmentError naming a missing variable', async (name) => {
    stubValidEnvironment();
    vi.stubEnv('TABLE_NAME', undefined);

    await expect(loadEntry(name)).rejects.toMatchObject({
      name: 'EnvironmentError',
      message: expect.stringContaining('TABLE_NAME'),
    });
  });

  it.each(ENTRIES)('%s rejects a malformed event with a NightlyEventError before calling AWS', async (name) => {
    stubValidEnvironment();
    const { handler } = await loadEntry(name);

    await expect(handler({ runId: 42 }, localLambdaContext(name))).rejects.toMatchObject({
      name: 'NightlyEventError',
      code: 'INVALID_EVENT',
    });
  });
});

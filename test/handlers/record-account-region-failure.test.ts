import './quiet-powertools.ts';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import {
  createAuditAccountRegionHandler,
  createRecordAccountRegionFailureHandler,
  createStartRunHandler,
} from '../../functions/handlers/nightly-handlers.ts';
import { describeCaughtError } from '../../functions/application/nightly/record-account-region-failure.ts';
import { EDGE, NOW, arn, useNightlyWorld } from './nightly-fixtures.ts';

const world = useNightlyWorld();
const context = localLambdaContext('fleet-auditor-RecordAccountRegionFailure');

describe('RecordAccountRegionFailure handler', () => {
  it('marks the account-region’s clusters stale and records it FAILED with the caught error, deleting nothing', async () => {
    const { deps, store } = await world();
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, context);
    await createAuditAccountRegionHandler(deps)(
      { runId: 'run-1', now: NOW, accountId: EDGE, region: 'us-east-1' },
      context,
    );
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-2' }, context);

    const out = await createRecordAccountRegionFailureHandler(deps)(
      {
        runId: 'run-2',
        now: NOW,
        accountId: EDGE,
        region: 'us-east-1',
        error: { Error: 'States.Timeout', Cause: 'Task timed out after 900.00 seconds' },
      },
      context,
    );

    expect(out).toEqual({
      accountId: EDGE,
      region: 'us-east-1',
      status: 'FAILED',
      clusters: 0,
      stale: 1,
      deleted: 0,
      code: 'TASK_TIMED_OUT',
    });
    expect(await store.getCluster(arn(EDGE, 'us-east-1', 'cdn'))).toMatchObject({
      runId: 'run-1',
      stale: true,
      staleRunId: 'run-2',
      staleReason: 'TASK_TIMED_OUT: States.Timeout: Task timed out after 900.00 seconds',
      deletedAt: null,
    });
    expect((await store.getRun('run-2'))?.targets).toEqual([
      {
        accountId: EDGE,
        region: 'us-east-1',
        status: 'FAILED',
        clusters: 0,
        errorCode: 'TASK_TIMED_OUT',
        errorMessage: 'States.Timeout: Task timed out after 900.00 seconds',
      },
    ]);
  });

  it('rejects an event without the caught error', async () => {
    const { deps } = await world();

    await expect(
      createRecordAccountRegionFailureHandler(deps)(
        { runId: 'run-1', now: NOW, accountId: EDGE, region: 'us-east-1' },
        context,
      ),
    ).rejects.toMatchObject({ name: 'NightlyEventError', message: expect.stringContaining('error') });
  });
});

describe('describeCaughtError', () => {
  it.each([
    [
      'a Lambda error (Cause is the JSON error object)',
      {
        Error: 'ThrottledError',
        Cause: JSON.stringify({
          errorType: 'ThrottledError',
          errorMessage: 'ListClusters: still throttled',
          trace: [],
        }),
      },
      { code: 'THROTTLED', message: 'ThrottledError: ListClusters: still throttled' },
    ],
    [
      'a local error (Cause is the message)',
      { Error: 'EndpointUnreachableError', Cause: 'DescribeCluster: no answer (TimeoutError)' },
      { code: 'ENDPOINT_UNREACHABLE', message: 'EndpointUnreachableError: DescribeCluster: no answer (TimeoutError)' },
    ],
    [
      'a Lambda crash without a cause',
      { Error: 'Lambda.Unknown' },
      { code: 'TASK_CRASHED', message: 'Lambda.Unknown' },
    ],
    [
      'an error name it does not know',
      { Error: 'TypeError', Cause: 'x is undefined' },
      { code: 'TASK_FAILED', message: 'TypeError: x is undefined' },
    ],
  ])('describes %s', (_what, error, expected) => {
    expect(describeCaughtError(error)).toEqual(expected);
  });
});

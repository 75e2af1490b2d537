/**
 * The metrics and log lines the Lambda handlers publish through the Powertools telemetry they plug in (CloudWatch
 * embedded metric format, flushed by `logMetrics` after each invocation): clusters audited, targets failed, alerts
 * sent, clusters per severity, batch sizes, upgrades dispatched, bakes resumed, executions reconciled.
 */
import {
  createAuditAccountRegionHandler,
  createDispatchUpgradesHandler,
  createFinishRunHandler,
  createLoadBatchHandler,
  createRecordAccountRegionFailureHandler,
  createStartRunHandler,
} from '../../functions/handlers/nightly-handlers.ts';
import {
  createReconcileExecutionHandler,
  createResumeBakesHandler,
} from '../../functions/handlers/upgrade-handlers.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';

vi.hoisted(() => {
  // Dev mode prints EMF through the global console (which the test reads); metrics explicitly on, logs off.
  process.env['POWERTOOLS_DEV'] = 'true';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
});

import { logger } from '../../functions/adapters/powertools-telemetry.ts';
import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import { EDGE, NOW, SHOP, arn, testFleet, useNightlyWorld, withAccessDenied } from './nightly-fixtures.ts';

type Emf = Record<string, unknown> & { _aws: unknown };

const world = useNightlyWorld();
let log: MockInstance<typeof console.log>;

beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  log.mockRestore();
});

/** Every EMF document printed so far. */
function emitted(): Emf[] {
  return log.mock.calls.flatMap(([text]) => {
    if (typeof text !== 'string' || !text.startsWith('{')) return [];
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return '_aws' in parsed ? [parsed as Emf] : [];
  });
}

/** Every value of metric `name` published so far (one per document that carries it). */
function values(name: string): number[] {
  return emitted().flatMap((doc) => (typeof doc[name] === 'number' ? [doc[name] as number] : []));
}

/** The sum of metric `name` over every document (matching `dimensions`). */
function total(name: string, dimensions: Record<string, string> = {}): number {
  return emitted()
    .filter((doc) => Object.entries(dimensions).every(([key, value]) => doc[key] === value))
    .reduce((sum, doc) => sum + (typeof doc[name] === 'number' ? (doc[name] as number) : 0), 0);
}

describe('nightly handler metrics', () => {
  it('counts clusters audited and account-regions failed per AuditAccountRegion invocation', async () => {
    const { deps } = await world({ fleet: withAccessDenied(testFleet(), EDGE) });
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));
    const auditAccountRegionHandler = createAuditAccountRegionHandler(deps);

    await auditAccountRegionHandler(
      { runId: 'run-1', now: NOW, accountId: SHOP, region: 'us-east-1' },
      localLambdaContext('a'),
    );
    await auditAccountRegionHandler(
      { runId: 'run-1', now: NOW, accountId: EDGE, region: 'us-east-1' },
      localLambdaContext('a'),
    );

    expect(total('TargetsScheduled')).toBe(4);
    expect(total('ClustersAudited')).toBe(2);
    expect(total('TargetsFailed')).toBe(1);
    expect(emitted()[0]?.['service']).toBe('eks-fleet-auditor');
  });

  it('counts alerts sent, the digest, and clusters per severity (a severity dimension) per FinishRun', async () => {
    const { deps } = await world();
    const run = await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));
    const auditAccountRegionHandler = createAuditAccountRegionHandler(deps);
    for (const target of await deps.store.listRunAccountRegions(run.runId)) {
      await auditAccountRegionHandler({ runId: 'run-1', now: NOW, ...target }, localLambdaContext('a'));
    }

    await createFinishRunHandler(deps)({ runId: 'run-1', now: NOW }, localLambdaContext('f'));

    expect(total('AlertsSent')).toBe(5); // 3 effective deadlines + 2 clusters billed for extended support
    expect(total('DigestsSent')).toBe(1);
    expect(total('ClustersBySeverity', { severity: 'CRITICAL' })).toBe(2);
    expect(total('ClustersBySeverity', { severity: 'EXPIRED' })).toBe(1);
    expect(total('ClustersBySeverity', { severity: 'WARNING' })).toBe(1);
    expect(total('ClustersBySeverity', { severity: 'OK' })).toBe(0);
  });

  it('counts a task that throws as TaskErrors', async () => {
    const { deps } = await world();

    await expect(createAuditAccountRegionHandler(deps)({}, localLambdaContext('a'))).rejects.toThrow();

    expect(total('TaskErrors')).toBe(1);
  });

  it('counts the targets of the batch LoadBatch loaded', async () => {
    const { deps } = await world();
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));

    const batch = await createLoadBatchHandler(deps)(
      { runId: 'run-1', now: NOW, batch: 0, maxConcurrency: 10 },
      localLambdaContext('load'),
    );

    expect(batch.targets).toHaveLength(4);
    expect(values('BatchTargets')).toEqual([4]);
  });

  it('counts a target RecordTargetFailure recorded as failed', async () => {
    const { deps } = await world();
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));

    await createRecordAccountRegionFailureHandler(deps)(
      {
        runId: 'run-1',
        now: NOW,
        accountId: EDGE,
        region: 'us-east-1',
        error: { Error: 'States.Timeout', Cause: 'Task timed out after 900.00 seconds' },
      },
      localLambdaContext('fail'),
    );

    expect(values('TargetsFailed')).toEqual([1]);
  });

  it('counts what DispatchUpgrades did, and a FinishRun failure it worked around', async () => {
    const { deps } = await world();
    await createStartRunHandler(deps)({ now: NOW, runId: 'run-1' }, localLambdaContext('start'));

    const out = await createDispatchUpgradesHandler(deps)(
      { runId: 'run-1', now: NOW, finishError: 'States.TaskFailed' },
      localLambdaContext('dispatch'),
    );

    expect(out.started).toBe(0); // no account-region was read: every cluster counts as unreadable
    expect(values('FinishRunFailed')).toEqual([1]);
    expect(values('UpgradesReconciled')).toEqual([0]);
    expect(values('UpgradesStarted')).toEqual([0]);
  });

  it('counts the bakes ResumeBakes resumed', async () => {
    const { deps } = await world();

    const out = await createResumeBakesHandler(deps)({ now: NOW }, localLambdaContext('resume'));

    expect(out.resumed).toBe(0);
    expect(values('BakesResumed')).toEqual([0]);
  });

  it('logs the execution ReconcileExecution reconciled through the Powertools logger', async () => {
    const { deps } = await world();
    const info = vi.spyOn(logger, 'info');
    const name = 'cdn-1-34-20261122-0123456789abcdef';
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:fleet-auditor-upgrade-cluster:${name}`;
    const input = {
      executionName: name,
      cluster: {
        accountId: EDGE,
        region: 'us-east-1',
        name: 'cdn',
        arn: arn(EDGE, 'us-east-1', 'cdn'),
        version: '1.33',
      },
      targetVersion: '1.34',
      startedAt: NOW,
    };

    try {
      const out = await createReconcileExecutionHandler(deps)(
        {
          source: 'aws.states',
          'detail-type': 'Step Functions Execution Status Change',
          detail: { executionArn, name, status: 'FAILED', input: JSON.stringify(input), error: 'Boom', cause: null },
        },
        localLambdaContext('reconcile'),
      );

      // The execution has no open record (it recorded its own failure): logged, but not counted as reconciled.
      expect(out.code).toBe('NO_RUNNING_RECORD');
      expect(values('ExecutionsReconciled')).toEqual([0]);
      expect(info).toHaveBeenCalledWith('upgrade execution reconciled', expect.objectContaining({ executionArn }));
      expect(info.mock.calls.find(([message]) => message === 'upgrade execution reconciled')?.[1]).toMatchObject({
        code: out.code,
      });
    } finally {
      info.mockRestore();
    }
  });
});

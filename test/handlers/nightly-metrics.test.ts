/**
 * The metrics the nightly handlers publish (CloudWatch embedded metric format, flushed by `logMetrics` after each
 * invocation): clusters audited, targets failed, alerts sent, clusters per severity.
 */
import {
  createAuditAccountRegionHandler,
  createFinishRunHandler,
  createStartRunHandler,
} from '../../functions/handlers/nightly-handlers.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';

vi.hoisted(() => {
  // Dev mode prints EMF through the global console (which the test reads); metrics explicitly on, logs off.
  process.env['POWERTOOLS_DEV'] = 'true';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
});

import { localLambdaContext } from '../../functions/local/nightly-pipeline.ts';
import { EDGE, NOW, SHOP, testFleet, useNightlyWorld, withAccessDenied } from './nightly-fixtures.ts';

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
});

/**
 * statemachines/nightly-audit.asl.json and its child nightly-audit-batch.asl.json: valid JSONPath ASL whose Task
 * resources are CDK substitutions, executed locally through the real handlers — including the paths where a target
 * fails and the batch Map's Catch records it, and runs cut into several batches.
 */
import './quiet-powertools.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DynamoFleetStore } from '../../functions/adapters/store/fleet-store.ts';
import {
  createAuditAccountRegionHandler,
  createRecordAccountRegionFailureHandler,
} from '../../functions/handlers/nightly-handlers.ts';
import { RETRYABLE_ACCOUNT_REGION_ERRORS } from '../../functions/application/nightly/audit-account-region-task.ts';
import type { AuditAccountRegionEvent } from '../../functions/application/nightly/nightly-events.ts';
import {
  LOCAL_NIGHTLY_SUBSTITUTIONS,
  NIGHTLY_BATCH_DEFINITION_URL,
  NIGHTLY_DEFINITION_URL,
  loadNightlyBatchDefinition,
  loadNightlyDefinition,
  runNightlyLocally,
} from '../../functions/local/nightly-pipeline.ts';
import { EDGE, NOW, SHOP, arn, useNightlyWorld } from './nightly-fixtures.ts';

type Validator = (
  definition: unknown,
  options: { checkArn: boolean; checkPaths: boolean },
) => {
  isValid: boolean;
  errors: unknown[];
};
const validate = createRequire(import.meta.url)('asl-validator') as Validator;

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemsPath?: string;
  MaxConcurrency?: number;
  ResultPath?: string | null;
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, State> };
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const raw = readFileSync(NIGHTLY_DEFINITION_URL, 'utf8');
const definition = JSON.parse(raw) as Definition;
const batchRaw = readFileSync(NIGHTLY_BATCH_DEFINITION_URL, 'utf8');
const batchDefinition = JSON.parse(batchRaw) as Definition;
const iteration = batchDefinition.States['AuditAccountRegions']?.ItemProcessor?.States ?? {};

const world = useNightlyWorld();

describe('nightly-audit.asl.json and nightly-audit-batch.asl.json', () => {
  it.each([
    ['nightly-audit', loadNightlyDefinition],
    ['nightly-audit-batch', loadNightlyBatchDefinition],
  ])('%s is valid Amazon States Language once CDK substitutes the ARNs', async (_name, load) => {
    const result = validate(await load(), { checkArn: true, checkPaths: true });

    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('use JSONPath only: no JSONata, Assign, Credentials or Distributed Map', () => {
    for (const text of [raw, batchRaw]) {
      expect(text).not.toMatch(/"QueryLanguage"|"Assign"|"Credentials"|"Output"|"Arguments"/);
    }
    expect(Object.values(definition.States).filter((state) => state.Type === 'Map')).toEqual([]);
    expect(batchDefinition.States['AuditAccountRegions']?.ItemProcessor?.ProcessorConfig?.Mode).toBe('INLINE');
  });

  it('names every task Lambda and the batch machine by a definition substitution', () => {
    const resources = [
      ...Object.values(definition.States),
      ...Object.values(batchDefinition.States),
      ...Object.values(iteration),
    ]
      .filter((state) => state.Type === 'Task')
      .map((state) => (state.Parameters?.['StateMachineArn'] as string | undefined) ?? state.Resource);
    expect(resources.sort()).toEqual([
      '${AuditAccountRegionFunctionArn}',
      '${AuditBatchStateMachineArn}',
      '${DispatchUpgradesFunctionArn}',
      '${DispatchUpgradesFunctionArn}',
      '${FinishRunFunctionArn}',
      '${LoadBatchFunctionArn}',
      '${RecordAccountRegionFailureFunctionArn}',
      '${StartRunFunctionArn}',
    ]);
    expect(Object.keys(LOCAL_NIGHTLY_SUBSTITUTIONS).sort()).toEqual(
      [...new Set(resources.map((r) => r?.slice(2, -1)))].sort(),
    );
  });

  it('loops over the batch numbers, one child execution at a time: AuditBatch is a startExecution.sync:2 of it', () => {
    expect(definition.States['MoreBatches']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.batchIndex', NumericLessThanPath: '$.batchCount', Next: 'AuditBatch' }],
      Default: 'FinishRun',
    });
    const auditBatch = definition.States['AuditBatch'];
    expect(auditBatch).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: '${AuditBatchStateMachineArn}',
        'Name.$': "States.Format('{}-batch-{}', $.runId, $.batchIndex)",
        // The child gets the run and its batch number, never the targets: no payload grows with the fleet.
        Input: {
          'runId.$': '$.runId',
          'now.$': '$.now',
          'batch.$': '$.batchIndex',
          'maxConcurrency.$': '$.maxConcurrency',
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      ResultPath: null,
      Next: 'NextBatch',
    });
    expect(auditBatch?.Retry?.[0]?.ErrorEquals).toContain('StepFunctions.ExecutionLimitExceeded');
    // A failed batch goes on to the next one and leaves nothing in the state: FinishRun finds its missing outcomes.
    expect(auditBatch?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'NextBatch' }]);
    expect(definition.States['NextBatch']).toMatchObject({
      Type: 'Pass',
      Parameters: {
        'runId.$': '$.runId',
        'now.$': '$.now',
        'maxConcurrency.$': '$.maxConcurrency',
        'batchCount.$': '$.batchCount',
        'batchIndex.$': 'States.MathAdd($.batchIndex, 1)',
      },
      Next: 'MoreBatches',
    });
  });

  it('loads its batch from the table, then maps over $.targets: all the batch machine does', () => {
    expect(batchDefinition.StartAt).toBe('LoadBatch');
    expect(Object.keys(batchDefinition.States)).toEqual(['LoadBatch', 'AuditAccountRegions']);
    expect(batchDefinition.States['LoadBatch']).toMatchObject({
      Type: 'Task',
      Resource: '${LoadBatchFunctionArn}',
      Next: 'AuditAccountRegions',
    });
    expect(batchDefinition.States['AuditAccountRegions']).toMatchObject({ ItemsPath: '$.targets', End: true });
    expect(Object.keys(iteration).sort()).toEqual([
      'AccountRegionFailureNotRecorded',
      'AuditAccountRegion',
      'RecordAccountRegionFailure',
    ]);
    expect(raw).not.toContain('${AuditAccountRegionFunctionArn}');
  });

  it('retries exactly the errors AuditAccountRegion throws to be retried, and catches everything else into RecordAccountRegionFailure', () => {
    const audit = iteration['AuditAccountRegion'];
    expect(audit?.Retry?.[0]?.ErrorEquals).toEqual(expect.arrayContaining([...RETRYABLE_ACCOUNT_REGION_ERRORS]));
    expect(audit?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordAccountRegionFailure' },
    ]);
    expect(iteration['RecordAccountRegionFailure']?.Catch?.[0]?.Next).toBe('AccountRegionFailureNotRecorded');
  });

  it('runs StartRun → the batch loop → FinishRun → DispatchUpgrades, which starts the upgrade executions', () => {
    expect(definition.StartAt).toBe('StartRun');
    expect(definition.States['StartRun']?.Next).toBe('MoreBatches');
    expect(definition.States['FinishRun']?.Next).toBe('DispatchUpgrades');
    // FinishRun reads the scheduled account-regions from the table, not from the state.
    expect(definition.States['FinishRun']?.Parameters).toEqual({ 'runId.$': '$.runId', 'now.$': '$.now' });
    expect(definition.States['DispatchUpgrades']).toMatchObject({
      Type: 'Task',
      Resource: '${DispatchUpgradesFunctionArn}',
      ResultPath: '$.dispatch',
      End: true,
    });
  });
});

describe('the nightly state machine, executed locally through the real handlers', () => {
  it('audits every account-region, alerts, sends the digest and outputs the upgrade candidates', async () => {
    const { deps, notifier } = await world();

    const { execution, result } = await runNightlyLocally({ deps, input: { now: NOW, maxConcurrency: 2 } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered.filter((s) => s === 'AuditAccountRegion')).toHaveLength(4);
    expect(execution.statesEntered.at(-1)).toBe('DispatchUpgrades');
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      counts: { targets: 4, alertsSent: 5, digestsSent: 1 },
      upgradeCandidates: [{ name: 'cdn', nextVersion: '1.34' }],
    });
    expect(notifier.subjects('DIGEST')).toHaveLength(1);
  });

  it('retries an account-region whose endpoint does not answer, then records it FAILED and finishes the run', async () => {
    const { deps, store, sim } = await world({
      sim: { hangRegions: ['eu-west-1'] },
      hungRegionTimeoutMs: 150,
      maxAttempts: 1,
    });

    const { execution, result } = await runNightlyLocally({ deps, input: { now: NOW, runId: 'run-1' } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(sim.stats().byOperation['ListClusters']).toBe(2 + 2 * 4);
    expect(result).toMatchObject({ status: 'PARTIAL', counts: { targets: 4, targetsFailed: 2 } });
    const failed = (await store.getRun('run-1'))?.targets.filter((t) => t.status === 'FAILED');
    expect(failed?.map((t) => [t.accountId, t.region, t.errorCode])).toEqual([
      [SHOP, 'eu-west-1', 'ENDPOINT_UNREACHABLE'],
      [EDGE, 'eu-west-1', 'ENDPOINT_UNREACHABLE'],
    ]);
  });

  it('reports an account-region as OUTCOME_MISSING when even its failure cannot be recorded', async () => {
    const { deps, store, dynamo } = await world({
      sim: { hangRegions: ['eu-west-1'] },
      hungRegionTimeoutMs: 150,
      maxAttempts: 1,
    });
    const unreachableTable = new DynamoFleetStore({ client: dynamo, tableName: 'no-such-table' });

    const { execution, result } = await runNightlyLocally({
      deps,
      input: { now: NOW, runId: 'run-1' },
      handlers: { RecordAccountRegionFailure: createRecordAccountRegionFailureHandler({ store: unreachableTable }) },
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered).toContain('AccountRegionFailureNotRecorded');
    expect(result?.counts).toMatchObject({ targetsFailed: 2 });
    expect((await store.getRun('run-1'))?.targets.filter((t) => t.errorCode === 'OUTCOME_MISSING')).toHaveLength(2);
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'billing'))).toMatchObject({ runId: 'run-1', stale: false });
  });

  it('cuts the run into several batches, one child execution each, and audits every account-region exactly once', async () => {
    const { deps, store } = await world();
    const audited: string[] = [];
    const auditAccountRegionHandler = createAuditAccountRegionHandler(deps);

    const { execution, result } = await runNightlyLocally({
      deps,
      input: { now: NOW, runId: 'run-1', batchSize: 1 },
      handlers: {
        AuditAccountRegion: (event, context) => {
          const { accountId, region } = event as AuditAccountRegionEvent;
          audited.push(`${accountId}/${region}`);
          return auditAccountRegionHandler(event, context);
        },
      },
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered.filter((s) => s === 'AuditBatch')).toHaveLength(4);
    expect(execution.statesEntered.filter((s) => s === 'LoadBatch')).toHaveLength(4);
    expect(execution.statesEntered.filter((s) => s === 'AuditAccountRegions')).toHaveLength(4);
    expect(audited.sort()).toEqual(
      [`${SHOP}/eu-west-1`, `${SHOP}/us-east-1`, `${EDGE}/eu-west-1`, `${EDGE}/us-east-1`].sort(),
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', counts: { targets: 4, targetsFailed: 0 } });
    expect((await store.getRun('run-1'))?.targets).toHaveLength(4);
  });
});

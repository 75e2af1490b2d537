/**
 * statemachines/nightly-audit.asl.json: valid JSONPath ASL whose Task resources are CDK substitutions, executed
 * locally through the real handlers — including the paths where a target fails and the Map's Catch records it.
 */
import './quiet-powertools.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../functions/adapters/store/fleet-store.ts';
import { RETRYABLE_TARGET_ERRORS } from '../../functions/handlers/nightly/audit-target.ts';
import {
  LOCAL_NIGHTLY_SUBSTITUTIONS,
  NIGHTLY_DEFINITION_URL,
  loadNightlyDefinition,
  runNightlyLocally,
} from '../../functions/handlers/nightly/local-run.ts';
import { createRecordTargetFailureHandler } from '../../functions/handlers/nightly/target-failure.ts';
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
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, State> };
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const raw = readFileSync(NIGHTLY_DEFINITION_URL, 'utf8');
const definition = JSON.parse(raw) as Definition;
const iteration = definition.States['AuditTargets']?.ItemProcessor?.States ?? {};

const world = useNightlyWorld();

describe('nightly-audit.asl.json', () => {
  it('is valid Amazon States Language once CDK substitutes the function ARNs', async () => {
    const result = validate(await loadNightlyDefinition(), { checkArn: true, checkPaths: true });

    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only: no JSONata, Assign, Credentials or Distributed Map', () => {
    expect(raw).not.toMatch(/"QueryLanguage"|"Assign"|"Credentials"|"Output"|"Arguments"/);
    expect(definition.States['AuditTargets']?.ItemProcessor?.ProcessorConfig?.Mode).toBe('INLINE');
  });

  it('names every task Lambda by a definition substitution', () => {
    const resources = [...Object.values(definition.States), ...Object.values(iteration)]
      .filter((state) => state.Type === 'Task')
      .map((state) => state.Resource);
    expect(resources.sort()).toEqual([
      '${AuditTargetFunctionArn}',
      '${DispatchUpgradesFunctionArn}',
      '${FinishRunFunctionArn}',
      '${RecordTargetFailureFunctionArn}',
      '${StartRunFunctionArn}',
    ]);
    expect(Object.keys(LOCAL_NIGHTLY_SUBSTITUTIONS).sort()).toEqual(resources.map((r) => r?.slice(2, -1)).sort());
  });

  it('retries exactly the errors AuditTarget throws to be retried, and catches everything else into RecordTargetFailure', () => {
    const audit = iteration['AuditTarget'];
    expect(audit?.Retry?.[0]?.ErrorEquals).toEqual(expect.arrayContaining([...RETRYABLE_TARGET_ERRORS]));
    expect(audit?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordTargetFailure' }]);
    expect(iteration['RecordTargetFailure']?.Catch?.[0]?.Next).toBe('TargetFailureNotRecorded');
  });

  it('runs StartRun → AuditTargets → FinishRun → DispatchUpgrades, which starts the upgrade executions', () => {
    expect(definition.StartAt).toBe('StartRun');
    expect(definition.States['StartRun']?.Next).toBe('AuditTargets');
    expect(definition.States['AuditTargets']?.Next).toBe('FinishRun');
    expect(definition.States['FinishRun']?.Next).toBe('DispatchUpgrades');
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
    expect(execution.statesEntered.filter((s) => s === 'AuditTarget')).toHaveLength(4);
    expect(execution.statesEntered.at(-1)).toBe('DispatchUpgrades');
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      counts: { targets: 4, alertsSent: 5, digestsSent: 1 },
      upgradeCandidates: [{ name: 'cdn', nextVersion: '1.34' }],
    });
    expect(notifier.subjects('DIGEST')).toHaveLength(1);
  });

  it('retries a target whose endpoint does not answer, then records it FAILED and finishes the run', async () => {
    const { deps, store, sim } = await world({
      sim: { hangRegions: ['eu-west-1'] },
      requestTimeoutMs: 150,
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

  it('reports a target as OUTCOME_MISSING when even its failure cannot be recorded', async () => {
    const { deps, store, dynamo } = await world({
      sim: { hangRegions: ['eu-west-1'] },
      requestTimeoutMs: 150,
      maxAttempts: 1,
    });
    const unreachableTable = new FleetStore({ client: dynamo, tableName: 'no-such-table' });

    const { execution, result } = await runNightlyLocally({
      deps,
      input: { now: NOW, runId: 'run-1' },
      handlers: { RecordTargetFailure: createRecordTargetFailureHandler({ store: unreachableTable }) },
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered).toContain('TargetFailureNotRecorded');
    expect(result?.counts).toMatchObject({ targetsFailed: 2 });
    expect((await store.getRun('run-1'))?.targets.filter((t) => t.errorCode === 'OUTCOME_MISSING')).toHaveLength(2);
    expect(await store.getCluster(arn(SHOP, 'us-east-1', 'billing'))).toMatchObject({ runId: 'run-1', stale: false });
  });
});

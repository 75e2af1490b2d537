/**
 * The nightly Lambda handlers: each nightly task of functions/application/nightly wrapped the one way every task
 * is (middy + Powertools, see lambda-handler.ts), with the Powertools telemetry plugged in. The entry files in
 * entry/ build one of these from the environment; the local runner and the tests build them from their own deps.
 */
import { powertoolsTelemetry } from '../adapters/powertools-telemetry.ts';
import { auditAccountRegionTask } from '../application/nightly/audit-account-region-task.ts';
import { dispatchTonightsUpgrades } from '../application/nightly/dispatch-upgrades.ts';
import type { DispatchUpgradesResult } from '../application/nightly/dispatch-upgrades.ts';
import { finishRun } from '../application/nightly/finish-run.ts';
import type { FinishRunResult } from '../application/nightly/finish-run.ts';
import { loadBatch } from '../application/nightly/load-batch.ts';
import type { LoadBatchResult } from '../application/nightly/load-batch.ts';
import type {
  AuditAccountRegionDeps,
  DispatchUpgradesDeps,
  FinishRunDeps,
  LoadBatchDeps,
  RecordAccountRegionFailureDeps,
  StartRunDeps,
} from '../application/nightly/nightly-deps.ts';
import { recordCaughtAccountRegionFailure } from '../application/nightly/record-account-region-failure.ts';
import type { AccountRegionResult } from '../application/nightly/record-account-region-failure.ts';
import { RunWaveIndex } from '../application/nightly/run-wave-index.ts';
import { startRun } from '../application/nightly/start-run.ts';
import type { StartRunResult } from '../application/nightly/start-run.ts';
import type { TelemetryDeps } from '../application/ports/telemetry.ts';
import { lambdaHandler } from './lambda-handler.ts';
import type { LambdaHandler } from './lambda-handler.ts';

/** The deps of a use case as a handler is given them: the handler plugs in the telemetry itself. */
export type HandlerDeps<D extends TelemetryDeps> = Omit<D, 'telemetry'>;

/** `deps` with the Powertools telemetry: every nightly Lambda handler reports through it. */
function withPowertools<D extends TelemetryDeps>(deps: HandlerDeps<D>): HandlerDeps<D> & TelemetryDeps {
  return { ...deps, telemetry: powertoolsTelemetry };
}

/** The StartRun Lambda handler (middy + Powertools) around {@link startRun}. */
export function createStartRunHandler(deps: HandlerDeps<StartRunDeps>): LambdaHandler<StartRunResult> {
  const bound = withPowertools<StartRunDeps>(deps);
  return lambdaHandler((event) => startRun(event, bound));
}

/** The AuditAccountRegion Lambda handler (middy + Powertools) around {@link auditAccountRegionTask}. */
export function createAuditAccountRegionHandler(
  deps: HandlerDeps<AuditAccountRegionDeps>,
): LambdaHandler<AccountRegionResult> {
  // One wave index per handler (per Lambda container): read once per run, shared by the run's account-regions.
  const withIndex = withPowertools<AuditAccountRegionDeps>({
    ...deps,
    waveIndex: deps.waveIndex ?? new RunWaveIndex(),
  });
  return lambdaHandler((event) => auditAccountRegionTask(event, withIndex));
}

/** The LoadBatch Lambda handler (middy + Powertools) around {@link loadBatch}. */
export function createLoadBatchHandler(deps: HandlerDeps<LoadBatchDeps>): LambdaHandler<LoadBatchResult> {
  const bound = withPowertools<LoadBatchDeps>(deps);
  return lambdaHandler((event) => loadBatch(event, bound));
}

/** The RecordAccountRegionFailure Lambda handler (middy + Powertools) around {@link recordCaughtAccountRegionFailure}. */
export function createRecordAccountRegionFailureHandler(
  deps: HandlerDeps<RecordAccountRegionFailureDeps>,
): LambdaHandler<AccountRegionResult> {
  const bound = withPowertools<RecordAccountRegionFailureDeps>(deps);
  return lambdaHandler((event) => recordCaughtAccountRegionFailure(event, bound));
}

/** The FinishRun Lambda handler (middy + Powertools) around {@link finishRun}. */
export function createFinishRunHandler(deps: HandlerDeps<FinishRunDeps>): LambdaHandler<FinishRunResult> {
  const bound = withPowertools<FinishRunDeps>(deps);
  return lambdaHandler((event) => finishRun(event, bound));
}

/** The `DispatchUpgrades` Lambda handler (middy + Powertools) around {@link dispatchTonightsUpgrades}. */
export function createDispatchUpgradesHandler(
  deps: HandlerDeps<DispatchUpgradesDeps>,
): LambdaHandler<DispatchUpgradesResult> {
  const bound = withPowertools<DispatchUpgradesDeps>(deps);
  return lambdaHandler((event) => dispatchTonightsUpgrades(event, bound));
}

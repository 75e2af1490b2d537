/**
 * The local implementation of the reconciliation's `UpgradeExecutionReader`: the local Step Functions runner keeps
 * each execution it started in the store (name, input, status), as Step Functions keeps them in AWS.
 */
import type { DescribedExecution, UpgradeExecutionReader } from '../application/ports/upgrade-execution-reader.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';
import type { FleetStore } from '../application/ports/fleet-store.ts';

/** Describes upgrade executions of the local runner from the store. */
export class LocalExecutionReader implements UpgradeExecutionReader {
  constructor(private readonly store: Pick<FleetStore, 'getExecution'>) {}

  /** The stored execution's status and input; NOT_FOUND when the local runner never started it. */
  async describe(executionName: string): Promise<DescribedExecution> {
    const execution = await this.store.getExecution(executionName);
    if (execution === null) return { status: 'NOT_FOUND', input: null, cause: null };
    const cause =
      execution.status === 'ABORTED'
        ? 'its process stopped while it ran (killed or crashed); not started again'
        : execution.status === 'FAILED'
          ? 'the local execution failed without recording its outcome'
          : null;
    return { status: execution.status, input: JSON.parse(execution.input) as UpgradeExecutionInput, cause };
  }
}

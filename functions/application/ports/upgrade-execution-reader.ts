/** Port: what the execution service (Step Functions, or the local runner's records) says of an upgrade execution. */
import type { UpgradeExecutionInput } from '../../core/upgrade-execution.ts';
import type { ExecutionStatus } from '../../core/upgrade-reconciliation.ts';

/** What the execution service says of one upgrade execution. */
export interface DescribedExecution {
  readonly status: ExecutionStatus;
  /** The execution's input, when the service still has it. */
  readonly input: UpgradeExecutionInput | null;
  /** Its error and cause when it failed, else null. */
  readonly cause: string | null;
}

/** Port: describes upgrade executions by name (Step Functions DescribeExecution, or the local runner's records). */
export interface UpgradeExecutionReader {
  describe(executionName: string): Promise<DescribedExecution>;
}

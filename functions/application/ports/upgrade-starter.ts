/** Port: starts upgrade executions (Step Functions in AWS, the local interpreter in `nightly`). */
import type { UpgradeExecutionInput } from '../../core/upgrade-execution.ts';

/** How an execution ended (known only to starters that wait for it, i.e. the local one). */
export interface ExecutionOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The named error it failed with. */
  readonly error: string | null;
  readonly cause: string | null;
}

/** What a starter did with one request. */
export type UpgradeStartResult =
  | {
      readonly code: 'STARTED';
      readonly executionArn: string | null;
      readonly reason: string;
      /** Resolves when the execution ends (local runs); null when it runs elsewhere (Step Functions). */
      readonly completion: Promise<ExecutionOutcome> | null;
    }
  | { readonly code: 'ALREADY_STARTED'; readonly executionArn: string | null; readonly reason: string };

/** Port: starts upgrade executions (Step Functions StartExecution, or the local interpreter). */
export interface UpgradeStarter {
  /**
   * Starts an execution named `name` (default `input.executionName`); ALREADY_STARTED when an execution of that name
   * exists. A resume passes its own name: its input keeps the baking execution's name (the lock holder).
   */
  start(input: UpgradeExecutionInput, name?: string): Promise<UpgradeStartResult>;
}

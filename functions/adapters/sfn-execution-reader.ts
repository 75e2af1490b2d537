/**
 * The Step Functions implementation of the reconciliation's `UpgradeExecutionReader`: DescribeExecution of the
 * upgrade state machine's execution of that name. ExecutionDoesNotExist means "not known" (never started here, or
 * closed more than 90 days ago), not an error.
 */
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DescribedExecution, UpgradeExecutionReader } from '../application/ports/upgrade-execution-reader.ts';
import type { ExecutionStatus } from '../core/upgrade-reconciliation.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';
import { translateAwsError } from './aws-errors.ts';

const KNOWN: ReadonlySet<string> = new Set([
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

/** The ARN of the execution `name` of the state machine `stateMachineArn`. */
function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

function parseInput(text: string | undefined): UpgradeExecutionInput | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as UpgradeExecutionInput;
  } catch {
    return null;
  }
}

/** Describes executions of the upgrade state machine in AWS Step Functions. */
export class StepFunctionsExecutionReader implements UpgradeExecutionReader {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** DescribeExecution; NOT_FOUND for ExecutionDoesNotExist; other failures as named adapter errors. */
  async describe(executionName: string): Promise<DescribedExecution> {
    const executionArn = executionArnOf(this.stateMachineArn, executionName);
    try {
      const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const status = (KNOWN.has(out.status ?? '') ? out.status : 'RUNNING') as ExecutionStatus;
      const cause =
        out.error === undefined && out.cause === undefined
          ? null
          : [out.error, out.cause].filter((part) => part !== undefined && part !== '').join(': ');
      return { status, input: parseInput(out.input), cause };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') {
        return { status: 'NOT_FOUND', input: null, cause: null };
      }
      throw translateAwsError(error, `DescribeExecution ${executionName}`);
    }
  }
}

/**
 * The Step Functions implementation of the dispatcher's `UpgradeStarter`: StartExecution of the upgrade state
 * machine under the deterministic execution name. ExecutionAlreadyExists means "already started today", not an
 * error. (Step Functions answers an identical repeat of a running start — same name and input — with the original
 * execution: that is a retry of the same dispatch and reported as STARTED.)
 */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { translateAwsError } from './aws-errors.ts';
import type { UpgradeExecutionInput } from '../core/upgrade-execution.ts';
import type { UpgradeStarter, UpgradeStartResult } from '../application/ports/upgrade-starter.ts';

/** Starts upgrade executions in AWS Step Functions. */
export class StepFunctionsUpgradeStarter implements UpgradeStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** StartExecution; ALREADY_STARTED for ExecutionAlreadyExists; other failures as named adapter errors. */
  async start(input: UpgradeExecutionInput, executionName?: string): Promise<UpgradeStartResult> {
    const name = executionName ?? input.executionName;
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return {
        code: 'STARTED',
        executionArn: out.executionArn ?? null,
        reason: `execution ${name} started`,
        completion: null,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return {
          code: 'ALREADY_STARTED',
          executionArn: `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
          reason: `an execution named ${name} already exists: this upgrade was started today`,
        };
      }
      throw translateAwsError(error, `StartExecution ${name}`);
    }
  }
}

/**
 * Execution names of the local Step Functions runner (`fleet-auditor nightly`): Step Functions refuses a second
 * execution of a name for 90 days, and remembers how each ended; locally the store does, so a rerun after a crash
 * refuses a name that already ran and reconciles an execution that was RUNNING when its process died.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FleetTable } from './fleet-table.ts';
import { isoInstant, str } from './items.ts';
import type { Item } from './items.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type { LocalExecutionRecord, LocalExecutionStatus } from '../../application/ports/fleet-store.ts';

/** How long a name is kept: as Step Functions keeps a closed execution's name, 90 days. */
const KEEP_SECONDS = 90 * 86_400;

/** The local-execution part of the fleet store. */
export class LocalExecutions {
  constructor(private readonly table: FleetTable) {}

  /** Records the start of `name`; false when an execution of that name exists (whatever its status). */
  async startExecution(name: string, input: string, at: string): Promise<boolean> {
    const startedAt = isoInstant('startExecution', 'at', at);
    return this.table.putNew('startExecution', {
      ...itemKeys.execution(name),
      name,
      status: 'RUNNING',
      startedAt,
      input,
      [TABLE_SCHEMA.ttlAttribute]: Math.floor(Date.parse(startedAt) / 1000) + KEEP_SECONDS,
    });
  }

  /** Closes a RUNNING execution with its final status; false when it was not RUNNING. */
  async finishExecution(name: string, status: Exclude<LocalExecutionStatus, 'RUNNING'>, at: string): Promise<boolean> {
    const finishedAt = isoInstant('finishExecution', 'at', at);
    return this.table.conditional('finishExecution', () =>
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.execution(name),
          UpdateExpression: 'SET #status = :status, finishedAt = :at',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': finishedAt, ':running': 'RUNNING' },
        }),
      ),
    );
  }

  /** One execution by name, or null. */
  async getExecution(name: string): Promise<LocalExecutionRecord | null> {
    const item = await this.table.getItem('getExecution', itemKeys.execution(name));
    return item === undefined ? null : toRecord(item);
  }

  /** Every execution still RUNNING (locally, with the state directory locked: every one whose process died). */
  async runningExecutions(): Promise<LocalExecutionRecord[]> {
    const items = await this.table.scanAll('runningExecutions', {
      FilterExpression: 'begins_with(pk, :prefix) AND #status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':prefix': 'EXECUTION#', ':running': 'RUNNING' },
      ConsistentRead: true,
    });
    return items.map(toRecord);
  }
}

function toRecord(item: Item): LocalExecutionRecord {
  return {
    name: str(item, 'name'),
    status: str(item, 'status') as LocalExecutionStatus,
    startedAt: str(item, 'startedAt'),
    input: str(item, 'input'),
    finishedAt: typeof item['finishedAt'] === 'string' ? item['finishedAt'] : null,
  };
}

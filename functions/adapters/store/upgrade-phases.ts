/**
 * Upgrade phases between executions (DESIGN §7.1): one item per cluster whose in-place upgrade is baking (its
 * control plane moved, its node groups wait), rolling back, or held after a rollback. They live in one partition
 * (`PHASES` / `<arn>`), so the bake check lists every baking cluster with one query, however large the fleet: only
 * clusters in one of these phases have an item, and a finished or released phase deletes it.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RollbackHold } from '../../core/upgrade-phase.ts';
import type { FleetTable } from './fleet-table.ts';
import { isoInstant, optStr, plain, str } from './items.ts';
import type { Item } from './items.ts';
import { itemKeys } from './table-schema.ts';
import type { BakeCheckRecord, StoredUpgradePhase, UpgradePhaseName } from '../../application/ports/fleet-store.ts';

/** The upgrade-phase part of the fleet store. */
export class UpgradePhases {
  private readonly table: FleetTable;

  constructor(table: FleetTable) {
    this.table = table;
  }

  /** Writes (or replaces) a cluster's phase. */
  async putUpgradePhase(phase: StoredUpgradePhase): Promise<void> {
    const op = 'putUpgradePhase';
    isoInstant(op, 'updatedAt', phase.updatedAt);
    await this.table.send(op, () =>
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...itemKeys.phase(phase.arn), ...plain(phase) },
        }),
      ),
    );
  }

  /** A cluster's phase, or null when it is in none (no upgrade between executions). */
  async getUpgradePhase(arn: string): Promise<StoredUpgradePhase | null> {
    const item = await this.table.getItem('getUpgradePhase', itemKeys.phase(arn));
    return item === undefined ? null : toPhase(item);
  }

  /** Every cluster in a phase (one query of one small partition). */
  async listUpgradePhases(): Promise<StoredUpgradePhase[]> {
    const items = await this.table.queryAll('listUpgradePhases', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': itemKeys.phase('').pk },
      ConsistentRead: true,
    });
    return items.map(toPhase);
  }

  /** Ends a cluster's phase (the bake moved on, or the hold was released); a missing item is not an error. */
  async deleteUpgradePhase(arn: string): Promise<void> {
    await this.table.send('deleteUpgradePhase', () =>
      this.table.client.send(new DeleteCommand({ TableName: this.table.tableName, Key: itemKeys.phase(arn) })),
    );
  }
}

function toPhase(item: Item): StoredUpgradePhase {
  return {
    arn: str(item, 'arn'),
    phase: str(item, 'phase') as UpgradePhaseName,
    targetVersion: str(item, 'targetVersion'),
    resume: (item['resume'] ?? null) as Readonly<Record<string, unknown>> | null,
    hold: (item['hold'] ?? null) as RollbackHold | null,
    lastCheck: (item['lastCheck'] ?? null) as BakeCheckRecord | null,
    updatedAt: optStr(item, 'updatedAt') ?? '',
  };
}

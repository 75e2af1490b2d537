/**
 * Upgrade records (DESIGN §6): one item per upgrade execution of a cluster (a Step Functions execution), keyed by
 * its start and execution name, patched as the state machine moves through its steps and hops.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FleetTable } from './fleet-table.ts';
import { isoInstant, optStr, plain, str } from './items.ts';
import type { Item } from './items.ts';
import { StoreItemNotFoundError, isConditionalCheckFailed, translateStoreError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type {
  RunningUpgradeRef,
  UpgradeErrorRecord,
  UpgradeHopRecord,
  UpgradeRecord,
  UpgradeRecordPatch,
  UpgradeStatus,
} from '../../application/ports/fleet-store.ts';

/** The sparse-index keys an open record carries (and a closed one drops). */
function runningIndexKeys(record: RunningUpgradeRef): Item {
  const { sparse } = TABLE_SCHEMA;
  return {
    [sparse.partitionKey]: itemKeys.runningUpgradesPartition(),
    [sparse.sortKey]: `${record.arn}#${record.startedAt}#${record.executionName}`,
  };
}

/** The upgrade-record part of the fleet store. */
export class UpgradeRecords {
  private readonly table: FleetTable;

  constructor(table: FleetTable) {
    this.table = table;
  }

  /** Creates an upgrade record; false when one with the same start and execution name exists (a duplicate start). */
  async putUpgradeRecord(record: UpgradeRecord): Promise<boolean> {
    const op = 'putUpgradeRecord';
    isoInstant(op, 'startedAt', record.startedAt);
    return this.table.putNew(op, {
      ...itemKeys.upgrade(record.arn, record.startedAt, record.executionName),
      ...plain(record),
      ...(record.status === 'RUNNING' ? runningIndexKeys(record) : {}),
    });
  }

  /**
   * Applies `patch` to an existing upgrade record and stamps `updatedAt`; returns the record as stored.
   *
   * @throws StoreItemNotFoundError when there is no such record.
   */
  async updateUpgradeRecord(
    arn: string,
    startedAt: string,
    executionName: string,
    patch: UpgradeRecordPatch,
    updatedAt: string,
  ): Promise<UpgradeRecord> {
    const op = 'updateUpgradeRecord';
    const names: Record<string, string> = {};
    const values: Item = { ':updatedAt': isoInstant(op, 'updatedAt', updatedAt) };
    const sets = ['updatedAt = :updatedAt'];
    for (const [field, value] of Object.entries(plain(patch))) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    // A record leaves the index of open upgrades when it closes (and enters it again, should it reopen).
    const { sparse } = TABLE_SCHEMA;
    let remove = '';
    if (patch.status === 'RUNNING') {
      for (const [field, value] of Object.entries(runningIndexKeys({ arn, startedAt, executionName }))) {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
    } else if (patch.status !== undefined) {
      names['#gsi2pk'] = sparse.partitionKey;
      names['#gsi2sk'] = sparse.sortKey;
      remove = ' REMOVE #gsi2pk, #gsi2sk';
    }
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: itemKeys.upgrade(arn, startedAt, executionName),
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: 'attribute_exists(pk)',
          ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUpgradeRecord(out.Attributes ?? {});
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        throw new StoreItemNotFoundError(op, `no upgrade record ${executionName} of ${arn} started at ${startedAt}`, {
          cause: err,
        });
      }
      throw translateStoreError(op, err);
    }
  }

  /**
   * Where every open (RUNNING) upgrade record is, from the sparse index (eventually consistent: read the record
   * itself before acting on it). Records written before the index existed are not listed.
   */
  async listRunningUpgrades(): Promise<RunningUpgradeRef[]> {
    const { sparse } = TABLE_SCHEMA;
    const items = await this.table.queryAll('listRunningUpgrades', {
      IndexName: sparse.indexName,
      KeyConditionExpression: `${sparse.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': itemKeys.runningUpgradesPartition() },
    });
    return items.map((item) => {
      const [startedAt = '', ...name] = str(item, 'sk').split('#');
      return { arn: str(item, 'arn'), startedAt, executionName: name.join('#') };
    });
  }

  /** The upgrade records of one cluster, newest first. */
  async listUpgradeRecords(arn: string): Promise<UpgradeRecord[]> {
    const items = await this.table.queryAll('listUpgradeRecords', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': itemKeys.upgrade(arn, '', '').pk },
      ConsistentRead: true,
      ScanIndexForward: false,
    });
    return items.map(toUpgradeRecord);
  }
}

function toUpgradeRecord(item: Item): UpgradeRecord {
  return {
    arn: str(item, 'arn'),
    executionName: str(item, 'executionName'),
    startedAt: str(item, 'startedAt'),
    fromVersion: str(item, 'fromVersion'),
    toVersion: str(item, 'toVersion'),
    status: str(item, 'status') as UpgradeStatus,
    step: optStr(item, 'step'),
    error: (item['error'] ?? null) as UpgradeErrorRecord | null,
    hops: (item['hops'] ?? []) as UpgradeHopRecord[],
    updatedAt: str(item, 'updatedAt'),
    finishedAt: optStr(item, 'finishedAt'),
  };
}

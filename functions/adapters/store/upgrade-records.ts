/**
 * Upgrade records (DESIGN §6): one item per upgrade execution of a cluster (a Step Functions execution), keyed by
 * its start and execution name, patched as the state machine moves through its steps and hops.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IsoInstant } from '../../core/types.ts';
import type { FleetTable } from './fleet-table.ts';
import { isoInstant, optStr, plain, str } from './items.ts';
import type { Item } from './items.ts';
import { StoreItemNotFoundError, isConditionalCheckFailed, translateStoreError } from './store-errors.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';

/** Where an upgrade, or one hop of it, stands. */
export type UpgradeStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One minor-version hop of an upgrade. */
export interface UpgradeHopRecord {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly status: UpgradeStatus;
  readonly startedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
}

/** A failure, by code (the named error) and message. */
export interface UpgradeErrorRecord {
  readonly code: string;
  readonly message: string;
}

/** One upgrade execution of one cluster (a Step Functions execution). */
export interface UpgradeRecord {
  readonly arn: string;
  readonly executionName: string;
  readonly startedAt: IsoInstant;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly status: UpgradeStatus;
  /** The state-machine step last recorded (e.g. `CONTROL_PLANE`), or null before the first. */
  readonly step: string | null;
  readonly error: UpgradeErrorRecord | null;
  readonly hops: readonly UpgradeHopRecord[];
  readonly updatedAt: IsoInstant;
  readonly finishedAt: IsoInstant | null;
}

/** Where an open (RUNNING) upgrade record is, as the sparse index lists it. */
export interface RunningUpgradeRef {
  readonly arn: string;
  readonly startedAt: IsoInstant;
  readonly executionName: string;
}

/** The sparse-index keys an open record carries (and a closed one drops). */
function runningIndexKeys(record: RunningUpgradeRef): Item {
  const { sparse } = TABLE_SCHEMA;
  return {
    [sparse.partitionKey]: itemKeys.runningUpgradesPartition(),
    [sparse.sortKey]: `${record.arn}#${record.startedAt}#${record.executionName}`,
  };
}

/** Fields of an upgrade record that {@link UpgradeRecords.updateUpgradeRecord} may change. */
export interface UpgradeRecordPatch {
  readonly status?: UpgradeStatus;
  readonly step?: string | null;
  readonly error?: UpgradeErrorRecord | null;
  readonly hops?: readonly UpgradeHopRecord[];
  readonly finishedAt?: IsoInstant | null;
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

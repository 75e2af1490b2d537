/**
 * The request plumbing every part of the fleet store shares: one table reached through one document client, with
 * SDK failures translated into the named errors of `store-errors.ts` and failed conditions returned as `false`.
 * Every write is a single-item (conditional) write — no transactions — so it runs unchanged against the local
 * dynalite server and against AWS.
 */
import type { DynamoDBDocumentClient, QueryCommandInput, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Item } from './items.ts';
import { isConditionalCheckFailed, translateStoreError } from './store-errors.ts';
import type { ItemKey } from './table-schema.ts';

/** A Query on the fleet table, without the table name and the paging key that {@link FleetTable} fills in. */
type TableQuery = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** A Scan on the fleet table, without the table name and the paging key that {@link FleetTable} fills in. */
type TableScan = Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** One fleet table and the client that reaches it; shared by every part of the store. */
export class FleetTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  /** Runs one request, translating every failure into a named store error. */
  async send<Output>(op: string, request: () => Promise<Output>): Promise<Output> {
    try {
      return await request();
    } catch (err) {
      throw translateStoreError(op, err);
    }
  }

  /** Runs one conditional write: true when it applied, false when its condition did not hold. */
  async conditional(op: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw translateStoreError(op, err);
    }
  }

  /** One item by key, read consistently, or undefined when there is none. */
  async getItem(op: string, key: ItemKey): Promise<Item | undefined> {
    const out = await this.send(op, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /** Creates `item` unless an item with its key exists: true when created, false when it was already there. */
  async putNew(op: string, item: Item): Promise<boolean> {
    return this.conditional(op, () =>
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    );
  }

  /** Every item a Query matches, following pagination to the end (the SDK's paginator). */
  async queryAll(op: string, query: TableQuery): Promise<Item[]> {
    return this.collect(op, paginateQuery({ client: this.client }, { ...query, TableName: this.tableName }));
  }

  /** Every item a Scan returns, following pagination to the end (the SDK's paginator). */
  async scanAll(op: string, scan: TableScan): Promise<Item[]> {
    return this.collect(op, paginateScan({ client: this.client }, { ...scan, TableName: this.tableName }));
  }

  private async collect(op: string, pages: AsyncIterable<{ readonly Items?: Item[] }>): Promise<Item[]> {
    const items: Item[] = [];
    try {
      for await (const page of pages) items.push(...(page.Items ?? []));
    } catch (err) {
      throw translateStoreError(op, err);
    }
    return items;
  }
}

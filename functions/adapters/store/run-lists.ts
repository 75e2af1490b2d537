/**
 * Lists a run hands from one task to the next by reference (DESIGN §6): FinishRun's upgrade candidates and the
 * clusters the wave rule holds back, and DispatchUpgrades' per-cluster outcomes. They are written into the table under
 * the run, so the state machine carries only their counts and no state payload grows with the fleet; the next task
 * (and the local CLI) reads them back. A list is cut into items of at most {@link MAX_LIST_ITEM_BYTES}.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { WRITE_CONCURRENCY, mapLimited } from '../../shared/limit.ts';
import type { FleetTable } from './fleet-table.ts';
import { epochSeconds, isoInstant, num, plain } from './items.ts';
import { TABLE_SCHEMA, itemKeys } from './table-schema.ts';
import type { RunListKind } from '../../application/ports/fleet-store.ts';

/** Largest JSON size of the entries of one list item, well under DynamoDB's 400 KB per item. */
export const MAX_LIST_ITEM_BYTES = 300_000;

const DAY_SECONDS = 86_400;

/** Cuts `entries` into consecutive parts whose JSON takes at most `maxBytes` each (an entry is never split). */
export function chunkBySize<T>(entries: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** The run-list part of the fleet store. */
export class RunLists {
  private readonly table: FleetTable;
  private readonly ttlSeconds: number;

  /** `ttlDays`: how long list items live after the run's `at` (they matter only while the run is looked at). */
  constructor(table: FleetTable, ttlDays: number) {
    this.table = table;
    this.ttlSeconds = ttlDays * DAY_SECONDS;
  }

  /**
   * Writes (or rewrites, on a retry) a run's list of `kind`: part n under `LIST#<kind>#n`, each part saying how many
   * parts the list has, so a shorter rewrite never reads the longer list's leftover parts. Returns the part count.
   */
  async putRunList(runId: string, kind: RunListKind, at: string, entries: readonly object[]): Promise<number> {
    const op = 'putRunList';
    const expiresAt = epochSeconds(isoInstant(op, 'at', at)) + this.ttlSeconds;
    const parts = chunkBySize(entries.map(plain), MAX_LIST_ITEM_BYTES);
    await mapLimited(
      parts.map((part, index) => ({ part, index })),
      WRITE_CONCURRENCY,
      ({ part, index }) =>
        this.table.send(op, () =>
          this.table.client.send(
            new PutCommand({
              TableName: this.table.tableName,
              Item: {
                ...itemKeys.runList(runId, kind, index),
                runId,
                kind,
                part: index,
                parts: parts.length,
                entries: part,
                [TABLE_SCHEMA.ttlAttribute]: expiresAt,
              },
            }),
          ),
        ),
    );
    return parts.length;
  }

  /** A run's list of `kind`, in the order it was written; null when it was never written. */
  async getRunList<T>(runId: string, kind: RunListKind): Promise<T[] | null> {
    const items = await this.table.queryAll('getRunList', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :list)',
      ExpressionAttributeValues: { ':pk': itemKeys.run(runId).pk, ':list': itemKeys.runListPrefix(kind) },
      ConsistentRead: true,
    });
    const first = items[0];
    if (first === undefined) return null;
    const parts = num(first, 'parts');
    return items.filter((item) => num(item, 'part') < parts).flatMap((item) => item['entries'] as T[]);
  }
}

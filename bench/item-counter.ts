/**
 * DynamoDB items read and written, and requests by command, counted at a document client (every store part sends
 * through it): what the nightly bench reports per account-region, summed over the pipeline's processes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Items read (returned by GetItem, scanned by Query and Scan) and written, and requests by command. */
export interface ItemCounts {
  read: number;
  written: number;
  requests: Record<string, number>;
}

/** Counts DynamoDB items read (returned or scanned) and written, and requests by command, at the document client. */
export function countItems(client: DynamoDBDocumentClient): ItemCounts {
  const counts: ItemCounts = { read: 0, written: 0, requests: {} };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName ?? '');
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      const write = /^(Put|Update|Delete)/.test(name);
      try {
        const out = await next(args);
        const output = out.output as { Item?: unknown; Count?: number; ScannedCount?: number };
        if (write) counts.written += 1;
        else if (/^Get/.test(name)) counts.read += output.Item === undefined ? 0 : 1;
        else if (/^(Query|Scan)/.test(name)) counts.read += output.ScannedCount ?? output.Count ?? 0;
        return out;
      } catch (error) {
        if (write) counts.written += 1; // a refused conditional write is still a write request
        throw error;
      }
    },
    { step: 'initialize', name: 'benchItemCounter' },
  );
  return counts;
}

/** The sum of several processes' counts. */
export function sumCounts(all: readonly ItemCounts[]): ItemCounts {
  const total: ItemCounts = { read: 0, written: 0, requests: {} };
  for (const counts of all) {
    total.read += counts.read;
    total.written += counts.written;
    for (const [name, n] of Object.entries(counts.requests)) total.requests[name] = (total.requests[name] ?? 0) + n;
  }
  return total;
}

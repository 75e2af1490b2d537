/**
 * The embedded local DynamoDB (dynalite: the real DynamoDB wire protocol over loopback), used by tests and by
 * `fleet-auditor nightly --state DIR` so the whole pipeline runs without an AWS account. Data lives in memory, or
 * in a LevelDB directory under `dir` so a later run with the same directory finds it again.
 *
 * dynalite has no transactions, no streams and no UpdateTimeToLive: the store therefore uses single-item
 * conditional writes only, and TTL is not enforced locally.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  LocalDynamoStartError,
  isResourceNotFound,
  translateStoreError,
  StoreUnavailableError,
} from './store-errors.ts';
import { createTableInput } from './table-schema.ts';

/** A running local DynamoDB and a document client pointed at it. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for other clients (e.g. a CLI child process). */
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  /** Stops the server, flushes and closes the on-disk store, and destroys the client. */
  close(): Promise<void>;
}

/** Options of {@link startLocalDynamo}. */
export interface LocalDynamoOptions {
  /** Persist under `<dir>/dynamodb` (created if missing); in memory when absent. */
  readonly dir?: string;
}

/** Sub-directory of `dir` holding the LevelDB files, so they do not mix with a caller's other state files. */
export const LOCAL_DYNAMO_SUBDIR = 'dynamodb';

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
type DynaliteFactory = (options: DynaliteOptions) => Server;
interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}
type LevelConstructor = new (location: string) => LevelDatabase;

// dynalite is CommonJS without type declarations; load it (and the `level` it bundles) through require, typed here.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as DynaliteFactory;
const requireFromDynalite = createRequire(require.resolve('dynalite'));

/**
 * Starts dynalite on 127.0.0.1 on an ephemeral port, in memory or persisted under `options.dir`, and returns a
 * document client for it (dummy credentials, region `us-east-1`, undefined values removed when marshalling).
 * Fails with `LocalDynamoStartError` when the directory is already in use by another running instance.
 *
 * @example
 * const local = await startLocalDynamo({ dir: stateDir });
 * await ensureTable(local.client, 'fleet');
 * // … use new FleetStore({ client: local.client, tableName: 'fleet' }) …
 * await local.close();
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  let path: string | undefined;
  if (options.dir !== undefined) {
    path = join(options.dir, LOCAL_DYNAMO_SUBDIR);
    await mkdir(path, { recursive: true });
    await assertNotLocked(path);
  }
  const server = dynalite({
    ...(path === undefined ? {} : { path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close: (): Promise<void> => {
      closed ??= (async (): Promise<void> => {
        client.destroy();
        await new Promise<void>((resolve, reject) => {
          server.close((err) => (err ? reject(err) : resolve()));
        });
      })();
      return closed;
    },
  };
}

/**
 * LevelDB allows one opener per directory; dynalite would crash the process on its first request if another
 * instance holds it, so probe first and fail with a readable error instead.
 */
async function assertNotLocked(path: string): Promise<void> {
  const { Level } = requireFromDynalite('level') as { Level: LevelConstructor };
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (err) {
    throw new LocalDynamoStartError(
      `the local DynamoDB directory ${path} cannot be opened (is another fleet-auditor using it?)`,
      { cause: err },
    );
  }
  await probe.close();
}

/** Options of {@link ensureTable}. */
export interface EnsureTableOptions {
  /** Give up waiting for ACTIVE after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * Creates the fleet table if it does not exist (see `createTableInput`) and waits until it and its index are
 * ACTIVE. Idempotent, and safe when two callers race to create it. Meant for the local DynamoDB; in AWS the CDK
 * stack owns the table.
 */
export async function ensureTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (err) {
      if (!isResourceNotFound(err)) throw err;
      try {
        await client.send(new CreateTableCommand(createTableInput(tableName)));
      } catch (createErr) {
        if (!(createErr instanceof Error && createErr.name === 'ResourceInUseException')) throw createErr;
      }
    }
    // waitUntilTableExists wants a DynamoDBClient and polls no faster than once a second; poll briefly ourselves.
    let delayMs = 10;
    for (;;) {
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
      if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
      if (Date.now() > deadline) {
        throw new StoreUnavailableError('ensureTable', `table ${tableName} is not ACTIVE after waiting`);
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 1000);
    }
  } catch (err) {
    throw translateStoreError('ensureTable', err);
  }
}

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
import { makeLevelErrorsAnswerable } from './level-io-errors.ts';
import { checkLocalStore, describeStoreFsError, markStoreOpen, sealStore } from './local-store-check.ts';

/** A running local DynamoDB and a document client pointed at it. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for other clients (e.g. a CLI child process). */
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  /** Stops the server, flushes and closes the on-disk store, and destroys the client. */
  close(): Promise<void>;
}

/** Options of {@link startLocalDynamo}. */
interface LocalDynamoOptions {
  /** Persist under `<dir>/dynamodb` (created if missing); in memory when absent. */
  readonly dir?: string;
  /** When a new store's seal says it was created (default: now). */
  readonly now?: Date;
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
 * A persisted store that has existed is checked first (see `checkLocalStore`) and sealed again at `close`.
 * Fails with `LocalDynamoStartError` when its files are damaged (naming the file and the way out), when it cannot
 * be written (read-only, disk full), or when the directory is already in use by another running instance.
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
    await checkLocalStore(options.dir, path);
    try {
      await mkdir(path, { recursive: true });
      await markStoreOpen(options.dir, options.now ?? new Date());
    } catch (error) {
      throw describeStoreFsError(error, path) ?? error;
    }
    await assertNotLocked(path);
    makeLevelErrorsAnswerable(requireFromDynalite);
  }
  const dir = options.dir;
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
        if (dir !== undefined && path !== undefined) await sealStore(dir, path);
      })();
      return closed;
    },
  };
}

/**
 * LevelDB allows one opener per directory, and dynalite would crash the process on its first request if the
 * directory cannot be opened, so probe first and fail with one readable line naming the cause instead.
 */
async function assertNotLocked(path: string): Promise<void> {
  const { Level } = requireFromDynalite('level') as { Level: LevelConstructor };
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    const text = cause instanceof Error ? cause.message : String(cause);
    const fs = describeStoreFsError(cause, path);
    if (fs !== null) throw fs;
    if (/lock/i.test(text)) {
      throw new LocalDynamoStartError(
        `the local DynamoDB directory ${path} is in use by another process (is another fleet-auditor using it?)`,
        { cause: err },
      );
    }
    throw new LocalDynamoStartError(
      `the local store ${path} cannot be opened (${text.split('\n')[0] ?? ''}): restore it from a backup, or run ` +
        'again with --reset-state (it moves the store to a backup folder and starts with an empty one)',
      { cause: err, code: /corrupt/i.test(text) ? 'LOCAL_STORE_DAMAGED' : 'LOCAL_DYNAMO_START_FAILED' },
    );
  }
  await probe.close();
}

/** Options of {@link ensureTable}. */
interface EnsureTableOptions {
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

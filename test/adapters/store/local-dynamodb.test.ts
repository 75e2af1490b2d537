import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoFleetStore } from '../../../functions/adapters/store/fleet-store.ts';
import {
  LOCAL_DYNAMO_SUBDIR,
  ensureTable,
  startLocalDynamo,
} from '../../../functions/adapters/store/local-dynamodb.ts';
import type { LocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import { STORE_SEAL_FILE } from '../../../functions/adapters/store/local-store-check.ts';
import { LocalDynamoStartError } from '../../../functions/adapters/store/store-errors.ts';
import { TABLE_SCHEMA, createTableInput } from '../../../functions/adapters/store/table-schema.ts';

const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
const TABLE = 'fleet-auditor';

const running: LocalDynamo[] = [];
const dirs: string[] = [];

async function start(dir?: string): Promise<LocalDynamo> {
  const local = await startLocalDynamo(dir === undefined ? {} : { dir });
  running.push(local);
  return local;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-auditor-store-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((local) => local.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createTableInput', () => {
  it('declares pk/sk, the byTarget index on gsi1pk/gsi1sk and on-demand billing', () => {
    const input = createTableInput('fleet');

    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byTarget',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(TABLE_SCHEMA.ttlAttribute).toBe('expiresAt');
  });
});

describe('startLocalDynamo', () => {
  it('serves DynamoDB on an ephemeral loopback port', async () => {
    const local = await start();

    await ensureTable(local.client, TABLE);
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: TABLE }));

    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('keeps data across close and restart with the same dir', async () => {
    const dir = await tempDir();
    const first = await start(dir);
    await ensureTable(first.client, TABLE);
    await new DynamoFleetStore({ client: first.client, tableName: TABLE }).acquireLock(
      ARN,
      'exec-a',
      new Date('2025-02-15T02:00:00Z'),
      900,
    );
    await first.close();

    const second = await start(dir);
    await ensureTable(second.client, TABLE);
    const lease = await new DynamoFleetStore({ client: second.client, tableName: TABLE }).getLock(ARN);

    expect(lease?.holder).toBe('exec-a');
    expect((await readdir(dir)).sort()).toEqual([LOCAL_DYNAMO_SUBDIR, STORE_SEAL_FILE]);
  });

  it('forgets everything without a dir', async () => {
    const first = await start();
    await ensureTable(first.client, TABLE);
    await first.close();

    const second = await start();

    await expect(second.client.send(new DescribeTableCommand({ TableName: TABLE }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses a dir that another running instance holds', async () => {
    const dir = await tempDir();
    await start(dir);

    await expect(startLocalDynamo({ dir })).rejects.toBeInstanceOf(LocalDynamoStartError);
  });

  it('can be closed twice', async () => {
    const local = await start();
    await local.close();
    await expect(local.close()).resolves.toBeUndefined();
  });
});

describe('ensureTable', () => {
  it('is idempotent, also when two callers race', async () => {
    const local = await start();

    await Promise.all([ensureTable(local.client, TABLE), ensureTable(local.client, TABLE)]);
    await ensureTable(local.client, TABLE);

    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexStatus)).toEqual(['ACTIVE', 'ACTIVE']);
  });
});

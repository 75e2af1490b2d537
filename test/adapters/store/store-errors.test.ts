import { describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFleetStore } from '../../../functions/adapters/store/fleet-store.ts';
import { startLocalDynamo } from '../../../functions/adapters/store/local-dynamodb.ts';
import {
  StoreAccessDeniedError,
  StoreError,
  StoreTableNotFoundError,
  StoreThrottledError,
  StoreUnavailableError,
  StoreValidationError,
  isConditionalCheckFailed,
  translateStoreError,
} from '../../../functions/adapters/store/store-errors.ts';

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name }, extra);
}

describe('translateStoreError', () => {
  it.each<[string, Error, typeof StoreError, string]>([
    ['throttling', sdkError('ProvisionedThroughputExceededException'), StoreThrottledError, 'STORE_THROTTLED'],
    ['a missing table', sdkError('ResourceNotFoundException'), StoreTableNotFoundError, 'STORE_TABLE_NOT_FOUND'],
    ['denied access', sdkError('AccessDeniedException'), StoreAccessDeniedError, 'STORE_ACCESS_DENIED'],
    ['a malformed request', sdkError('ValidationException'), StoreValidationError, 'STORE_VALIDATION'],
    ['a refused connection', sdkError('Error', { code: 'ECONNREFUSED' }), StoreUnavailableError, 'STORE_UNAVAILABLE'],
    [
      'a server fault',
      sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } }),
      StoreUnavailableError,
      'STORE_UNAVAILABLE',
    ],
    ['anything else', sdkError('SomethingNew'), StoreError, 'STORE_ERROR'],
  ])('names %s', (_what, err, expected, code) => {
    const translated = translateStoreError('getCluster', err);

    expect(translated).toBeInstanceOf(expected);
    expect(translated.name).toBe(expected.name);
    expect(translated.code).toBe(code);
    expect(translated.operation).toBe('getCluster');
    expect(translated.cause).toBe(err);
  });

  it('passes a store error through unchanged', () => {
    const err = new StoreValidationError('claimAlert', 'bad threshold');
    expect(translateStoreError('other', err)).toBe(err);
  });
});

describe('isConditionalCheckFailed', () => {
  it.each<[unknown, boolean]>([
    [sdkError('ConditionalCheckFailedException'), true],
    [sdkError('ValidationException'), false],
    ['ConditionalCheckFailedException', false],
  ])('tells %s apart', (err, expected) => {
    expect(isConditionalCheckFailed(err)).toBe(expected);
  });
});

describe('FleetStore errors against a real server', () => {
  it('raises StoreTableNotFoundError when the table is missing', async () => {
    const local = await startLocalDynamo();
    try {
      const store = new DynamoFleetStore({ client: local.client, tableName: 'no-such-table' });
      await expect(store.getCluster('arn')).rejects.toMatchObject({
        name: 'StoreTableNotFoundError',
        operation: 'getCluster',
        cause: { name: 'ResourceNotFoundException' },
      });
    } finally {
      await local.close();
    }
  });

  it('raises StoreUnavailableError when the server is gone', async () => {
    const local = await startLocalDynamo();
    await local.close();
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: local.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    );
    try {
      await expect(new DynamoFleetStore({ client, tableName: 'fleet' }).getLock('arn')).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    } finally {
      client.destroy();
    }
  });
});

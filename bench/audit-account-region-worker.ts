/**
 * Child-process entry of one AuditAccountRegion container of the nightly bench (see `audit-account-region-pool.ts`): builds the
 * AuditAccountRegion dependencies once, as a Lambda container does at its cold start, then runs the real handler for each
 * invocation, any number at once.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CredentialBroker } from '../functions/adapters/accounts.ts';
import { createConnection, stsClient } from '../functions/adapters/aws-clients.ts';
import { DynamoFleetStore } from '../functions/adapters/store/fleet-store.ts';
import type { LambdaHandler } from '../functions/handlers/lambda-handler.ts';
import { createAuditAccountRegionHandler } from '../functions/handlers/nightly-handlers.ts';
import { nightlyAccountRegionReaders } from '../functions/adapters/account-region-reader.ts';
import { localLambdaContext } from '../functions/local/nightly-pipeline.ts';
import type { WorkerConfig, WorkerReply, WorkerRequest } from './audit-account-region-pool.ts';
import { countItems } from './item-counter.ts';
import type { ItemCounts } from './item-counter.ts';

let handler: LambdaHandler<unknown> | null = null;
let counts: ItemCounts | null = null;
/** CPU time at the end of the cold start: the invocations' CPU is counted from there. */
let cpuAtStart = process.cpuUsage();

function reply(message: WorkerReply): void {
  process.send?.(message);
}

function start(config: WorkerConfig): void {
  const connection = createConnection({ endpoint: config.simEndpoint, credentials: config.hubCredentials });
  const raw = new DynamoDBClient({
    endpoint: config.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  counts = countItems(client);
  handler = createAuditAccountRegionHandler({
    store: new DynamoFleetStore({ client, tableName: config.tableName }),
    readerForRun: nightlyAccountRegionReaders({
      connection: connection,
      broker: new CredentialBroker({ sts: stsClient(connection), roleName: 'fleet-auditor-read' }),
      tagPrefix: config.tagPrefix,
    }),
    tagPrefix: config.tagPrefix,
    soakDays: config.soakDays,
  });
  cpuAtStart = process.cpuUsage();
}

process.on('message', (message: WorkerRequest) => {
  switch (message.type) {
    case 'start':
      start(message.config);
      reply({ type: 'started' });
      return;
    case 'invoke': {
      const invoke = handler;
      if (invoke === null) {
        reply({ type: 'failed', id: message.id, name: 'Error', message: 'the container is not started' });
        return;
      }
      invoke(message.event, localLambdaContext('fleet-auditor-AuditAccountRegion')).then(
        (result) => reply({ type: 'result', id: message.id, result }),
        (error: unknown) =>
          reply({
            type: 'failed',
            id: message.id,
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          }),
      );
      return;
    }
    case 'stats': {
      const cpu = process.cpuUsage(cpuAtStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      reply({ type: 'stats', id: message.id, counts: counts ?? { read: 0, written: 0, requests: {} }, cpuMs });
      return;
    }
    case 'close':
      // Keep-alive sockets would hold the container open: it ends here, as a container the platform reclaims.
      process.exit(0);
  }
});

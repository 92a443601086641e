// The load process: a separate Node process, so generating load never shares an event loop (or a CPU
// slice accounted to it) with the server under test. Runs one scenario per message from the parent.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from '../src/dynamo/client';
import { createTransactionOperation, getOperation, scanOperation } from './ddb-operations';
import { httpClient } from './http-operation';
import { runLoad } from './run-load';
import type { DynamoTarget, FromLoad, Scenario, ToLoad } from './scenario';

interface Clients {
  /** The service's own client (same factory, sockets, timeouts, retries, cached middleware). */
  readonly raw: DynamoDBClient;
  /** lib-dynamodb over a plain client on the same sockets (its cached handler would resend one command). */
  readonly document: DynamoDBDocumentClient;
}

const clients = new Map<string, Clients>();

function clientFor(target: DynamoTarget): Clients {
  let entry = clients.get(target.endpoint);
  if (entry === undefined) {
    const raw = createDynamoClient({
      region: target.region,
      endpointUrl: target.endpoint,
      useLocalCredentials: true,
    });
    const plain = new DynamoDBClient({
      region: target.region,
      endpoint: target.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
      requestHandler: raw.config.requestHandler,
    });
    entry = { raw, document: DynamoDBDocumentClient.from(plain) };
    clients.set(target.endpoint, entry);
  }
  return entry;
}

async function run(scenario: Scenario) {
  switch (scenario.kind) {
    case 'http': {
      const client = httpClient(scenario.client, scenario.spec.baseUrl, scenario.shape.concurrency);
      try {
        return await runLoad(scenario.name, client.operation(scenario.spec), scenario.shape);
      } finally {
        await client.close();
      }
    }
    case 'ddb-get': {
      const { document } = clientFor(scenario.target);
      const op = getOperation(document, scenario.target.tableName, scenario.seqNums);
      return runLoad(scenario.name, op, scenario.shape);
    }
    case 'ddb-scan': {
      const { document } = clientFor(scenario.target);
      const op = scanOperation(document, scenario.target.tableName, scenario.limit, scenario.limit);
      return runLoad(scenario.name, op, scenario.shape);
    }
    case 'ddb-transact': {
      const { raw } = clientFor(scenario.target);
      const op = createTransactionOperation(raw, scenario.target, scenario.idFrom);
      return runLoad(scenario.name, op, scenario.shape);
    }
  }
}

const send = (message: FromLoad) => process.send?.(message);

process.on('message', (message: ToLoad) => {
  if (message.type === 'exit') {
    for (const { raw, document } of clients.values()) {
      document.destroy();
      raw.destroy();
    }
    process.exit(0);
  }
  run(message.scenario).then(
    (result) => send({ type: 'result', result }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });

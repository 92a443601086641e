// The load process: a separate Node process, so generating load never shares an event loop (or a CPU
// slice accounted to it) with the server under test. Runs one scenario per message from the parent.
import http from 'node:http';
import { createDynamoClients, type DynamoClients } from '../src/dynamo-client';
import { createTransactionOperation, getOperation } from './ddb-operations';
import { httpOperation } from './http-operation';
import { runLoad } from './run-load';
import type { DynamoTarget, FromLoad, Scenario, ToLoad } from './scenario';

const clients = new Map<string, DynamoClients>();

/** The service's own client factory and settings, so the floors use the same sockets, timeouts, retries. */
function clientFor(target: DynamoTarget): DynamoClients {
  let client = clients.get(target.endpoint);
  if (client === undefined) {
    client = createDynamoClients({
      region: target.region,
      endpointUrl: target.endpoint,
      useLocalCredentials: true,
    });
    clients.set(target.endpoint, client);
  }
  return client;
}

async function run(scenario: Scenario) {
  switch (scenario.kind) {
    case 'http': {
      const agent = new http.Agent({ keepAlive: true, maxSockets: scenario.shape.concurrency });
      try {
        return await runLoad(scenario.name, httpOperation(scenario.spec, agent), scenario.shape);
      } finally {
        agent.destroy();
      }
    }
    case 'ddb-get': {
      const client = clientFor(scenario.target);
      return runLoad(
        scenario.name,
        getOperation(client.document, scenario.target.tableName, scenario.seqNums),
        scenario.shape,
      );
    }
    case 'ddb-transact': {
      const client = clientFor(scenario.target);
      const op = createTransactionOperation(client.raw, scenario.target.tableName, scenario.idFrom);
      return runLoad(scenario.name, op, scenario.shape);
    }
  }
}

const send = (message: FromLoad) => process.send?.(message);

process.on('message', (message: ToLoad) => {
  if (message.type === 'exit') {
    for (const client of clients.values()) client.raw.destroy();
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

// npm run bench:budget — what the request budget costs per DynamoDB call. Two worker processes send the
// same GetItem to DynamoDB Local through createDynamoClient with 8 calls in flight: one plainly (the
// reference), one inside withRequestBudget (AsyncLocalStorage context, abort signal, timer). Separate
// processes, because once AsyncLocalStorage is used its promise hooks stay on for the whole process
// (Node 20; Node 24, the container's runtime, carries the context without them). The runs alternate for
// 7 rounds (each order in turn); the report gives the median ratios budget / plain of calls per second and CPU per call.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../src/dynamo-client';
import { withRequestBudget } from '../src/store/request-budget';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { median } from './stats';

const TABLE = 'BudgetOverhead';
const KEY = { pk: { S: 'one' } };
const IN_FLIGHT = 8;
const ROUNDS = 7;
const RUN_MS = 2000;

type Mode = 'plain' | 'budget';
interface RunResult {
  readonly calls: number;
  readonly seconds: number;
  readonly cpuMs: number;
}

async function worker(mode: Mode, endpoint: string): Promise<void> {
  const client = createDynamoClient({
    region: 'eu-west-1',
    endpointUrl: endpoint,
    useLocalCredentials: true,
  });
  const get = () => client.send(new GetItemCommand({ TableName: TABLE, Key: KEY }));
  const call = mode === 'budget' ? () => withRequestBudget(3000, get, 100) : get;
  const run = async (ms: number): Promise<RunResult> => {
    let calls = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const stopAt = start + ms;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() < stopAt) {
          await call();
          calls++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return { calls, seconds: (performance.now() - start) / 1000, cpuMs: (used.user + used.system) / 1000 };
  };
  await run(2000); // warm-up: JIT, sockets
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'run') process.send?.(await run(RUN_MS));
    else {
      client.destroy();
      process.exit(0);
    }
  });
  process.send?.({ ready: true });
}

function startWorker(mode: Mode, endpoint: string) {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['worker', mode, endpoint]);
  let next: ((r: RunResult) => void) | undefined;
  const ready = new Promise<void>((resolveReady) => {
    child.on('message', (m: RunResult | { ready: true }) => {
      if ('ready' in m) resolveReady();
      else next?.(m);
    });
  });
  return {
    ready,
    run: () =>
      new Promise<RunResult>((resolveRun) => {
        next = resolveRun;
        child.send({ type: 'run' });
      }),
    exit: () => child.send({ type: 'exit' }),
  };
}

async function main(): Promise<void> {
  const ddb = await startDynamoLocal();
  const admin = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: ddb.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await admin.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await admin.send(new PutItemCommand({ TableName: TABLE, Item: { ...KEY, name: { S: 'x' } } }));
    const plain = startWorker('plain', ddb.endpoint);
    const budget = startWorker('budget', ddb.endpoint);
    await Promise.all([plain.ready, budget.ready]);
    const rateRatios: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so drift (JIT, the JVM, other load) hits both alike.
      const [p, b] =
        round % 2 === 1
          ? [await plain.run(), await budget.run()]
          : await budget.run().then(async (first) => [await plain.run(), first] as const);
      const rate = (r: RunResult) => r.calls / r.seconds;
      const cpuPerCall = (r: RunResult) => (r.cpuMs * 1000) / r.calls;
      rateRatios.push(rate(b) / rate(p));
      cpuRatios.push(cpuPerCall(b) / cpuPerCall(p));
      console.log(
        `round ${round}: plain ${rate(p).toFixed(0)} calls/s ${cpuPerCall(p).toFixed(0)} µs CPU/call; ` +
          `budget ${rate(b).toFixed(0)} calls/s ${cpuPerCall(b).toFixed(0)} µs CPU/call`,
      );
    }
    console.log(
      `median budget/plain: calls/s ${median(rateRatios).toFixed(3)}, CPU per call ${median(cpuRatios).toFixed(3)} ` +
        `(${process.version}, ${IN_FLIGHT} in flight, ${ROUNDS} rounds of ${RUN_MS} ms)`,
    );
    plain.exit();
    budget.exit();
  } finally {
    admin.destroy();
    await ddb.stop();
  }
}

if (process.argv[2] === 'worker') await worker(process.argv[3] as Mode, process.argv[4] ?? '');
else await main();

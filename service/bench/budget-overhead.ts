// npm run bench:budget — what the request budget costs per DynamoDB call. Four worker
// processes send the same GetItem to DynamoDB Local through createDynamoClient with 8 calls in flight:
// plainly (the reference); under a budget passed with the command (`withinBudget`: abort signal, timer, the two
// middlewares' lookups: what the service does); the same inside an AsyncLocalStorage context (how the
// service carried the budget before, measured to show what that context costs); and with
// `send(command, { abortSignal })` (the alternative, which makes the SDK drop its per-command middleware
// cache). Separate processes, because once AsyncLocalStorage is used its promise hooks stay on for the
// whole process (Node 20; Node 24, the container's runtime, carries the context without them). The runs
// take turns for 7 rounds (rotating the order); the report gives the median ratios to the plain run of
// calls per second and CPU per call, and writes them to build/bench-budget.json (what the docs quote, through
// docs/figures/, once recorded with `npm run docs:figures -- --record build/bench-budget.json`).
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { withinBudget } from '../src/dynamo/call-budget';
import { createDynamoClient } from '../src/dynamo/client';
import { withRequestBudget } from '../src/dynamo/request-budget';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { median } from './stats';

// The SDK's notice that it will need a newer Node is noise in a benchmark's output (as in npm run dev).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const TABLE = 'BudgetOverhead';
const KEY = { pk: { S: 'one' } };
const IN_FLIGHT = 8;
const ROUNDS = 7;
const RUN_MS = 2000;

type Mode = 'plain' | 'budget' | 'budget-in-async-context' | 'send-options';
const MODES: readonly Mode[] = ['plain', 'budget', 'budget-in-async-context', 'send-options'];
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
  const context = new AsyncLocalStorage<unknown>();
  const underBudget = () =>
    withRequestBudget(
      3000,
      (budget) => client.send(withinBudget(new GetItemCommand({ TableName: TABLE, Key: KEY }), budget)),
      100,
    );
  const calls: Record<Mode, () => Promise<unknown>> = {
    plain: get,
    budget: underBudget,
    'budget-in-async-context': () => context.run({}, underBudget),
    'send-options': () =>
      client.send(new GetItemCommand({ TableName: TABLE, Key: KEY }), {
        abortSignal: AbortSignal.timeout(2900),
      }),
  };
  const call = calls[mode];
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
    const workers = MODES.map((mode) => ({ mode, worker: startWorker(mode, ddb.endpoint) }));
    await Promise.all(workers.map((w) => w.worker.ready));
    const rate = (r: RunResult) => r.calls / r.seconds;
    const cpuPerCall = (r: RunResult) => (r.cpuMs * 1000) / r.calls;
    const ratios: Record<string, { rate: number[]; cpu: number[] }> = {};
    const plainCpuPerCall: number[] = [];
    const loadBefore = loadavg();
    for (let round = 1; round <= ROUNDS; round++) {
      // Rotate the order, so drift (JIT, the JVM, other load) hits every mode alike.
      const order = workers.map((_, i) => workers[(i + round) % workers.length] as (typeof workers)[number]);
      const results: Partial<Record<Mode, RunResult>> = {};
      for (const { mode, worker } of order) results[mode] = await worker.run();
      const plain = results.plain as RunResult;
      plainCpuPerCall.push(cpuPerCall(plain));
      console.log(
        `round ${round}: ${MODES.map((m) => {
          const r = results[m] as RunResult;
          return `${m} ${rate(r).toFixed(0)} calls/s ${cpuPerCall(r).toFixed(0)} µs CPU/call`;
        }).join('; ')}`,
      );
      for (const mode of MODES.slice(1)) {
        const r = results[mode] as RunResult;
        ratios[mode] ??= { rate: [], cpu: [] };
        ratios[mode].rate.push(rate(r) / rate(plain));
        ratios[mode].cpu.push(cpuPerCall(r) / cpuPerCall(plain));
      }
    }
    for (const [mode, r] of Object.entries(ratios)) {
      console.log(
        `median ${mode}/plain: calls/s ${median(r.rate).toFixed(3)}, CPU per call ${median(r.cpu).toFixed(3)} ` +
          `(CPU per call by round: ${r.cpu.map((x) => x.toFixed(2)).join(' ')})`,
      );
    }
    console.log(`${process.version}, ${IN_FLIGHT} in flight, ${ROUNDS} rounds of ${RUN_MS} ms`);
    const round2 = (x: number) => Number(x.toFixed(2));
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { before: loadBefore.map(round2), after: loadavg().map(round2) },
      inFlight: IN_FLIGHT,
      rounds: ROUNDS,
      roundMs: RUN_MS,
      plainCpuUsPerCall: Math.round(median(plainCpuPerCall)),
      // Per mode: the median ratio to the plain run (CPU per call, calls per second) and each round's CPU ratio.
      modes: Object.fromEntries(
        Object.entries(ratios).map(([mode, r]) => [
          mode,
          {
            cpuPerCall: round2(median(r.cpu)),
            callsPerSecond: round2(median(r.rate)),
            cpuRounds: r.cpu.map(round2),
          },
        ]),
      ),
    };
    const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'bench-budget.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${out}`);
    for (const { worker } of workers) worker.exit();
  } finally {
    admin.destroy();
    await ddb.stop();
  }
}

if (process.argv[2] === 'worker') await worker(process.argv[3] as Mode, process.argv[4] ?? '');
else await main();

// npm run bench:api — load each endpoint of the service (the production esbuild bundle, as a child
// process) from a separate load process, next to the floors it cannot beat: a bare Hono server and the
// SDK's own calls against the same DynamoDB Local. Prints a table and writes build/bench-api.json.
// Knobs (env): BENCH_CONCURRENCY (16), BENCH_WARMUP_MS (1000), BENCH_DURATION_MS (4000), BENCH_ROUNDS (2).
// Not part of `npm test`: numbers depend on the machine, and on this one the 2 CPUs are shared by
// DynamoDB Local's JVM, the service and the load process, so ratios measure CPU per request as much as
// latency; each row also reports CPU ms per request of every process to show where the time goes.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildService, nodeBundleOptions } from '../scripts/build';
import { createDynamoClients } from '../src/dynamo-client';
import { ensureTable } from '../src/store';
import { startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import type { HttpSpec } from './http-operation';
import { cpuMs, dynamoLocalPid, rssMiB, type ServerProcess, sampleRss, startNodeServer } from './processes';
import { atLeast, atMost, renderReport } from './report';
import type { LoadShape } from './run-load';
import type { FromLoad, Scenario, ToLoad } from './scenario';
import { seedGuests } from './seed';
import type { ScenarioResult } from './stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = (file: string) => resolve(root, 'build', file);
const SHAPE: LoadShape = {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 1000),
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 4000),
};
const REGION = 'eu-west-1';
const TABLE = 'BenchGuests';
const SMALL = 1000;
const LARGE = 20_000;

const log = (message: string) => console.error(`[bench] ${message}`);

function loadProcess(
  script: string,
): Promise<{ pid: number; run(s: Scenario): Promise<ScenarioResult>; exit(): void }> {
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: ((result: ScenarioResult) => void) | undefined;
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    child.on('message', (message: FromLoad) => {
      if (message.type === 'ready') {
        resolveReady({
          pid: child.pid as number,
          run: (scenario) =>
            new Promise((resolveResult) => {
              waiting = resolveResult;
              child.send({ type: 'run', scenario } satisfies ToLoad);
            }),
          exit: () => child.send({ type: 'exit' } satisfies ToLoad),
        });
      } else {
        waiting?.(message.result);
        waiting = undefined;
      }
    });
  });
}

const http = (name: string, baseUrl: string, spec: Omit<HttpSpec, 'baseUrl'>, shape = SHAPE): Scenario => ({
  kind: 'http',
  name,
  spec: { baseUrl, ...spec },
  shape,
});

/** Rounds of each measured pair; the last round is reported (earlier ones warm DynamoDB Local's JIT). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadBefore = loadavg();
  log(
    `building bundles; ${cpus().length} CPUs, load average ${loadBefore[0]?.toFixed(2)}, ` +
      `concurrency ${SHAPE.concurrency}, ${SHAPE.warmupMs} + ${SHAPE.durationMs} ms per run, ${ROUNDS} rounds`,
  );
  const serviceScript = await buildService();
  await Promise.all(
    ['hello-server', 'load-worker'].map((name) =>
      build(nodeBundleOptions(resolve(root, `service/bench/${name}.ts`), out(`bench/${name}.mjs`))),
    ),
  );

  const ddb = await startDynamoLocal();
  const client = createDynamoClients({
    region: REGION,
    endpointUrl: ddb.endpoint,
    useLocalCredentials: true,
  }).document;
  const target = { endpoint: ddb.endpoint, region: REGION, tableName: TABLE };
  const load = await loadProcess(out('bench/load-worker.mjs'));
  const servers: ServerProcess[] = [];
  try {
    await ensureTable(client, TABLE);
    const seqNums = await seedGuests(client, TABLE, SMALL, 10_000_000_000);
    log(`seeded ${SMALL} guests`);
    const rounds: (ScenarioResult & { round: number })[] = [];
    const reported: ScenarioResult[] = [];
    const pids: Record<string, number> = { load: load.pid };
    const jvm = dynamoLocalPid(ddb.port);
    if (jvm !== undefined) pids['dynamodb-local'] = jvm;
    const once = async (scenario: Scenario, round: number) => {
      const before = Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)] as const);
      const measured = await load.run(scenario);
      const perRequest: Record<string, number> = {};
      for (const [name, cpu] of before) {
        const used = cpuMs(pids[name] as number) - cpu;
        if (Number.isFinite(used) && measured.allRequests) perRequest[name] = used / measured.allRequests;
      }
      const result = { ...measured, cpuMsPerRequest: perRequest };
      rounds.push({ ...result, round });
      log(
        `round ${round} ${result.name}: ${result.rps.toFixed(0)} req/s, ` +
          `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`,
      );
      return result;
    };
    /** Runs the scenarios alternately for ROUNDS rounds, so drift hits all alike; reports the last round. */
    const alternate = async <const T extends readonly ((round: number) => Scenario)[]>(
      ...make: T
    ): Promise<{ [K in keyof T]: ScenarioResult }> => {
      let last: ScenarioResult[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        last = [];
        for (const scenario of make) last.push(await once(scenario(round), round));
      }
      reported.push(...last);
      return last as { [K in keyof T]: ScenarioResult };
    };

    const hello = await startNodeServer({
      script: out('bench/hello-server.mjs'),
      port: await freePort(),
      env: {},
    });
    servers.push(hello);
    pids['bare-hono'] = hello.pid;
    const service = await startNodeServer({
      script: serviceScript,
      port: await freePort(),
      env: {
        NODE_ENV: 'production',
        DDB_ENDPOINT_URL: ddb.endpoint,
        DDB_TABLE: TABLE,
        AWS_REGION: REGION,
        PUBLIC_DIR: resolve(root, 'service/public'),
        // As in production: one JSON access-log line per request (to /dev/null here).
        LOG_LEVEL: 'info',
      },
    });
    servers.push(service);
    pids.service = service.pid;
    const rssIdleMiB = rssMiB(service.pid);
    log(`service cold start ${service.coldStartMs.toFixed(0)} ms, idle RSS ${rssIdleMiB.toFixed(1)} MiB`);
    const rss = sampleRss(service.pid);
    const base = service.baseUrl;
    const get = (path: string) => ({ method: 'GET' as const, paths: [path], expectStatus: 200 });
    const getPaths = seqNums.map((s) => `/guests/${s}`);

    const [healthz, helloRun] = await alternate(
      () => http('GET /healthz', base, get('/healthz')),
      () => http('floor: bare Hono GET /healthz', hello.baseUrl, get('/healthz')),
    );
    await hello.stop();
    delete pids['bare-hono'];
    await alternate(() => http('GET /health', base, get('/health')));
    const [getOne, sdkGet] = await alternate(
      () => http('GET /guests/:seq_num', base, { method: 'GET', paths: getPaths, expectStatus: 200 }),
      () => ({ kind: 'ddb-get', name: 'floor: SDK GetCommand', target, seqNums, shape: SHAPE }),
    );
    const [list1k] = await alternate(() =>
      http(`GET /guests?limit=100 @${SMALL}`, base, get('/guests?limit=100')),
    );
    const [post, sdkTx] = await alternate(
      (round) =>
        http('POST /guests', base, {
          method: 'POST',
          paths: ['/guests'],
          expectStatus: 201,
          uniqueGuestFrom: 50_000_000_000 + round * 100_000_000,
        }),
      (round) => ({
        kind: 'ddb-transact',
        name: 'floor: SDK TransactWrite (create)',
        target,
        idFrom: 60_000_000_000 + round * 100_000_000,
        shape: SHAPE,
      }),
    );

    const count = async () =>
      ((await (await fetch(`${base}/health`)).json()) as { guests_count: number }).guests_count;
    const toSeed = Math.max(0, LARGE - (await count()));
    const seedStart = Date.now();
    await seedGuests(client, TABLE, toSeed, 20_000_000_000);
    const total = await count();
    log(`seeded ${toSeed} more guests in ${Date.now() - seedStart} ms: ${total} in the table`);
    const [list20k] = await alternate(() =>
      http(`GET /guests?limit=100 @${total}`, base, get('/guests?limit=100')),
    );
    const rssPeakMiB = rss.stop();

    const targets = [
      atLeast('GET /guests/:seq_num req/s / SDK GetCommand req/s', getOne.rps, sdkGet.rps, 0.9),
      atLeast('GET /healthz req/s / bare Hono req/s', healthz.rps, helloRun.rps, 0.8),
      atLeast('POST /guests req/s / SDK TransactWrite req/s', post.rps, sdkTx.rps, 0.85),
      atMost(`p99 of a 100-item page @${total} / @${SMALL}`, list20k.p99Ms, list1k.p99Ms, 1.5),
    ];
    const serviceSummary = { coldStartMs: service.coldStartMs, rssIdleMiB, rssPeakMiB };
    console.log(`\n${renderReport(reported, targets, serviceSummary)}`);

    const loadAfter = loadavg();
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { before: loadBefore, after: loadAfter },
      shape: SHAPE,
      rounds: ROUNDS,
      service: {
        script: 'build/service/main.mjs (esbuild bundle, node)',
        logLevel: 'info',
        ...serviceSummary,
      },
      scenarios: reported,
      allRounds: rounds,
      targets,
      seconds: (Date.now() - startedAt) / 1000,
    };
    await mkdir(out(''), { recursive: true });
    await writeFile(out('bench-api.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `load average ${loadBefore[0]?.toFixed(2)} before, ${loadAfter[0]?.toFixed(2)} after (2 CPUs shared by ` +
        `DynamoDB Local, the service and the load process); wrote build/bench-api.json, ${report.seconds.toFixed(0)} s total`,
    );
  } finally {
    load.exit();
    await Promise.all(servers.map((s) => s.stop()));
    client.destroy();
    await ddb.stop();
  }
}

await main();

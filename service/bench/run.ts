// npm run bench:api — load each endpoint of the service (the production esbuild bundle, as a child
// process) from a separate load process, next to the floors it cannot beat: a bare Hono server and the
// SDK's own calls against the same DynamoDB Local. Each endpoint alternates with its floor for several
// rounds; the report gives the median of each measure and the median of the per-round ratios.
// Prints a table and writes build/bench-api.json.
// Knobs (env): BENCH_CONCURRENCY (16), BENCH_WARMUP_MS (500), BENCH_DURATION_MS (2500), BENCH_ROUNDS (5),
// BENCH_SINGLE_ROUNDS (2, for endpoints without a floor).
// Not part of `npm test`: numbers depend on the machine, and on this one the 2 CPUs are shared by
// DynamoDB Local's JVM, the service and the load process, so ratios measure CPU per request as much as
// latency; each row also reports CPU ms per request of every process to show where the time goes.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { buildService, nodeBundleOptions } from '../scripts/build';
import { ensureGuestTables } from '../src/store';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { envKnob } from './args';
import { HTTP_CLIENT_KINDS, type HttpClientKind, type HttpSpec } from './http-operation';
import { compareMemoryWith, renderMemory } from './memory';
import {
  cpuMs,
  dynamoLocalPid,
  rssMiB,
  type ServerProcess,
  sampleRss,
  startLoadProcess,
  startNodeServer,
} from './processes';
import { atLeast, atMost, renderReport, reported as withoutGoal } from './report';
import type { LoadShape } from './run-load';
import type { Scenario } from './scenario';
import { seedGuests } from './seed';
import { medianOf, type ScenarioResult } from './stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The SDK's notice that it will need a newer Node is noise in a benchmark's output (as in npm run dev).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const out = (file: string) => resolve(root, 'build', file);
const knob = (name: string, fallback: number, min: number, max: number) =>
  envKnob('bench:api', name, fallback, min, max);
const SHAPE: LoadShape = {
  concurrency: knob('BENCH_CONCURRENCY', 16, 1, 256),
  warmupMs: knob('BENCH_WARMUP_MS', 500, 0, 60_000),
  durationMs: knob('BENCH_DURATION_MS', 2500, 100, 600_000),
};
/** The load process's HTTP client (http-operation.ts): a bad value is one line and exit 2. */
const HTTP_CLIENT = ((): HttpClientKind => {
  const raw = process.env.BENCH_HTTP_CLIENT ?? 'node';
  const kind = HTTP_CLIENT_KINDS.find((k) => k === raw);
  if (kind === undefined) {
    process.stderr.write(
      `bench:api: BENCH_HTTP_CLIENT="${raw}" must be one of ${HTTP_CLIENT_KINDS.join(', ')}\n`,
    );
    process.exit(2);
  }
  return kind;
})();
const REGION = 'eu-west-1';
const TABLE = 'BenchGuests';
const GUARD_TABLE = 'BenchGuests-guards';
const SMALL = 1000;
const LARGE = 20_000;

const log = (message: string) => console.error(`[bench] ${message}`);

const http = (name: string, baseUrl: string, spec: Omit<HttpSpec, 'baseUrl'>, shape = SHAPE): Scenario => ({
  kind: 'http',
  name,
  spec: { baseUrl, ...spec },
  shape,
  client: HTTP_CLIENT,
});

/** Rounds of each measured pair; medians over them are reported. */
const ROUNDS = knob('BENCH_ROUNDS', 5, 1, 100);
/** Rounds of an endpoint measured without a floor (reported for information, no ratio). */
const SINGLE_ROUNDS = knob('BENCH_SINGLE_ROUNDS', 2, 1, 100);

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadBefore = loadavg();
  log(
    `building bundles; ${cpus().length} CPUs, load average ${loadBefore[0]?.toFixed(2)}, ` +
      `concurrency ${SHAPE.concurrency}, ${SHAPE.warmupMs} + ${SHAPE.durationMs} ms per run, ${ROUNDS} rounds`,
  );
  const serviceScript = await buildService();
  await Promise.all(
    ['hello-server', 'load-worker', 'reference-server'].map((name) =>
      build(nodeBundleOptions(resolve(root, `service/bench/${name}.ts`), out(`bench/${name}.mjs`))),
    ),
  );

  const ddb = await startDynamoLocal();
  const raw = new DynamoDBClient({ region: REGION, endpoint: ddb.endpoint, credentials: LOCAL_CREDENTIALS });
  const client = DynamoDBDocumentClient.from(raw);
  const tables = { tableName: TABLE, guardTableName: GUARD_TABLE };
  const target = { endpoint: ddb.endpoint, region: REGION, ...tables };
  const load = await startLoadProcess(out('bench/load-worker.mjs'));
  const servers: ServerProcess[] = [];
  try {
    await ensureGuestTables(raw, tables);
    const seqNums = await seedGuests(client, tables, SMALL, 10_000_000_000);
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
    /**
     * Runs the scenarios alternately for `rounds` rounds, so drift hits all alike; resolves to each
     * scenario's results by round, and reports each scenario's medians.
     */
    const alternate = async <const T extends readonly ((round: number) => Scenario)[]>(
      rounds: number,
      ...make: T
    ): Promise<{ [K in keyof T]: ScenarioResult[] }> => {
      const byScenario: ScenarioResult[][] = make.map(() => []);
      for (let round = 1; round <= rounds; round++) {
        for (const [i, scenario] of make.entries()) byScenario[i]?.push(await once(scenario(round), round));
      }
      reported.push(...byScenario.map(medianOf));
      return byScenario as { [K in keyof T]: ScenarioResult[] };
    };
    const compareMemory = compareMemoryWith({
      serviceScript,
      referenceScript: out('bench/reference-server.mjs'),
      shape: SHAPE,
      client: HTTP_CLIENT,
      log,
    });
    const rps = (results: readonly ScenarioResult[]) => results.map((r) => r.rps);
    const p99 = (results: readonly ScenarioResult[]) => results.map((r) => r.p99Ms);

    const hello = await startNodeServer({
      script: out('bench/hello-server.mjs'),
      port: await freePort(),
      env: {},
    });
    servers.push(hello);
    pids['bare-hono'] = hello.pid;
    const serviceEnv = {
      NODE_ENV: 'production',
      DDB_ENDPOINT_URL: ddb.endpoint,
      DDB_TABLE: TABLE,
      DDB_GUARD_TABLE: GUARD_TABLE,
      AWS_REGION: REGION,
      PUBLIC_DIR: resolve(root, 'service/public'),
      // As in production: one JSON access-log line per request (to /dev/null here).
      LOG_LEVEL: 'info',
      // Its own free port, so a service already listening on the default 9464 cannot stop the bench.
      METRICS_PORT: String(await freePort()),
    };
    const service = await startNodeServer({ script: serviceScript, port: await freePort(), env: serviceEnv });
    servers.push(service);
    pids.service = service.pid;
    const rssIdleMiB = rssMiB(service.pid);
    log(`service cold start ${service.coldStartMs.toFixed(0)} ms, idle RSS ${rssIdleMiB.toFixed(1)} MiB`);
    const rss = sampleRss(service.pid);
    const base = service.baseUrl;
    const get = (path: string) => ({ method: 'GET' as const, paths: [path], expectStatus: 200 });
    const getPaths = seqNums.map((s) => `/guests/${s}`);

    const [healthz, helloRun] = await alternate(
      ROUNDS,
      () => http('GET /healthz', base, get('/healthz')),
      () => http('floor: bare Hono GET /healthz', hello.baseUrl, get('/healthz')),
    );
    await hello.stop();
    delete pids['bare-hono'];
    await alternate(SINGLE_ROUNDS, () => http('GET /health', base, get('/health')));
    const [getOne, sdkGet] = await alternate(
      ROUNDS,
      () => http('GET /guests/:seq_num', base, { method: 'GET', paths: getPaths, expectStatus: 200 }),
      () => ({ kind: 'ddb-get', name: 'floor: SDK GetCommand', target, seqNums, shape: SHAPE }),
    );
    const [list1k] = await alternate(SINGLE_ROUNDS, () =>
      http(`GET /guests?limit=100 @${SMALL}`, base, get('/guests?limit=100')),
    );
    // The whole table of 1,000 guests in one response, against one SDK Scan of the same 1,000 items.
    const [listAll, sdkScan] = await alternate(
      ROUNDS,
      () => http(`GET /guests (all ${SMALL})`, base, get('/guests')),
      () => ({
        kind: 'ddb-scan',
        name: `floor: SDK ScanCommand (${SMALL})`,
        target,
        limit: SMALL,
        shape: SHAPE,
      }),
    );
    const [post, sdkTx] = await alternate(
      ROUNDS,
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
    await seedGuests(client, tables, toSeed, 20_000_000_000);
    const total = await count();
    log(`seeded ${toSeed} more guests in ${Date.now() - seedStart} ms: ${total} in the table`);
    const [list20k] = await alternate(SINGLE_ROUNDS, () =>
      http(`GET /guests?limit=100 @${total}`, base, get('/guests?limit=100')),
    );
    const rssPeakMiB = rss.stop();
    await service.stop();
    delete pids.service;
    const memory = await compareMemory(serviceEnv, seqNums, (scenario) => load.run(scenario));

    const targets = [
      atLeast(`GET /guests (${SMALL}) req/s / SDK Scan req/s`, rps(listAll), rps(sdkScan), 0.85),
      // No goal: the service and its floor are each bound by one Node thread on these 2-core machines
      // (service/README.md, Results), so the ratio measures the thread, not the code.
      withoutGoal('GET /guests/:seq_num req/s / SDK GetCommand req/s', rps(getOne), rps(sdkGet)),
      atLeast('POST /guests req/s / SDK TransactWrite req/s', rps(post), rps(sdkTx), 0.85),
      atLeast('GET /healthz req/s / bare Hono req/s', rps(healthz), rps(helloRun), 0.8),
      atMost(`p99 of a 100-item page @${total} / @${SMALL}`, p99(list20k), p99(list1k), 1.5),
    ];
    const serviceSummary = { coldStartMs: service.coldStartMs, rssIdleMiB, rssPeakMiB };
    console.log(`\n${renderReport(reported, targets, serviceSummary)}`);
    console.log(renderMemory(memory));

    const loadAfter = loadavg();
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      httpClient: HTTP_CLIENT,
      cpus: cpus().length,
      loadAverage: { before: loadBefore, after: loadAfter },
      shape: SHAPE,
      rounds: ROUNDS,
      singleRounds: SINGLE_ROUNDS,
      service: {
        script: 'build/service/main.mjs (esbuild bundle, node)',
        // The one figure the docs quote for the image's bundle (MB, one decimal).
        bundleMB: Number(((await stat(serviceScript)).size / 1e6).toFixed(1)),
        logLevel: 'info',
        ...serviceSummary,
      },
      memory,
      scenarios: reported,
      allRounds: rounds,
      targets,
      seconds: (Date.now() - startedAt) / 1000,
    };
    await mkdir(out(''), { recursive: true });
    await writeFile(out('bench-api.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `load average ${loadBefore[0]?.toFixed(2)} before, ${loadAfter[0]?.toFixed(2)} after (2 CPUs shared by ` +
        `DynamoDB Local, the service and the load process); HTTP client ${HTTP_CLIENT}; wrote build/bench-api.json, ` +
        `${report.seconds.toFixed(0)} s total`,
    );
  } finally {
    await load.exit();
    await Promise.all(servers.map((s) => s.stop()));
    client.destroy();
    raw.destroy();
    await ddb.stop();
  }
}

await main();

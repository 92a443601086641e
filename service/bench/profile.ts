// npm run bench:profile -- [--scenario get|post|list|page|healthz|floor-get] [--seconds 8] [--concurrency 16]
// Runs the service bundle under `node --cpu-prof` against DynamoDB Local with 1,000 guests, drives one
// endpoint from this process, and says where the service's CPU went during the measuring window, by
// npm package and by the service's own files (see cpu-profile.ts). It answers "how much of a request's
// CPU is ours, and how much is the SDK's or Node's", which bench:api's ratios cannot.
// `floor-get` profiles bench:api's floor for a read instead: lib-dynamodb's GetCommand in the load process.
// Writes the profile to build/profile/ (open it in Chrome DevTools or VS Code for the call tree).

import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { buildService, nodeBundleOptions } from '../scripts/build';
import { ensureGuestTables } from '../src/store';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { benchArgs } from './args';
import { breakdownByOwner, type CpuProfile, type ProfileWindow, sourceMapResolver } from './cpu-profile';
import { type HttpSpec, httpClient } from './http-operation';
import { cpuMs, type LoadProcess, type ServerProcess, startLoadProcess, startNodeServer } from './processes';
import { runLoad } from './run-load';
import { seedGuests } from './seed';
import { type ScenarioResult, table } from './stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SCENARIOS = ['get', 'post', 'list', 'page', 'healthz', 'floor-get'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const options = () =>
  benchArgs('bench:profile', {
    scenario: { default: 'get', oneOf: SCENARIOS },
    seconds: { default: 8, min: 1, max: 60 },
    concurrency: { default: 16, min: 1, max: 256 },
  });

/** Coarse groups of owners, for the first table. */
function groupOf(owner: string): string {
  if (/^@(aws-sdk|smithy|aws)\//.test(owner)) return 'AWS SDK (@aws-sdk/*, @smithy/*)';
  if (owner === 'hono' || owner.startsWith('@hono/')) return 'Hono and its node server';
  if (owner === 'zod' || owner.startsWith('@asteasolutions/')) return 'zod';
  if (owner === 'prom-client') return 'prom-client';
  if (owner.startsWith('service/bench/')) return "the bench's own code";
  if (owner.startsWith('service/')) return "the service's own code";
  return owner;
}

const TABLE = 'ProfileGuests';
const GUARD_TABLE = 'ProfileGuests-guards';

/** What was measured: the load's result, and the profiled process's CPU over the measuring window. */
interface Measured {
  readonly result: ScenarioResult;
  readonly cpuPerRequest: number;
  readonly window: ProfileWindow;
}

/**
 * Runs `drive` (warm-up `warmupMs`, then the measuring window) and reads process `pid`'s CPU time from /proc
 * over the same window, which starts when the warm-up ends.
 */
async function measure(
  pid: number,
  warmupMs: number,
  drive: () => Promise<ScenarioResult>,
): Promise<Measured> {
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let fromUs = Number.NaN;
  let cpuFrom = Number.NaN;
  const mark = setTimeout(() => {
    fromUs = nowUs();
    cpuFrom = cpuMs(pid);
  }, warmupMs);
  const result = await drive();
  clearTimeout(mark);
  const toUs = nowUs();
  return { result, cpuPerRequest: (cpuMs(pid) - cpuFrom) / result.requests, window: { fromUs, toUs } };
}

async function report(who: string, bundle: string, profileDir: string, measured: Measured): Promise<void> {
  const { result, cpuPerRequest, window } = measured;
  const file = (await readdir(profileDir)).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`${who} wrote no profile to ${profileDir}`);
  const profile = JSON.parse(await readFile(resolve(profileDir, file), 'utf8')) as CpuProfile;
  const breakdown = breakdownByOwner(
    profile,
    pathToFileURL(bundle).href,
    sourceMapResolver(`${bundle}.map`),
    root,
    window,
  );
  // The profile's samples give the shares; /proc gives the CPU time they are shares of (sampled busy
  // time also counts moments the thread was runnable but waiting for a CPU, and the profiler's own cost).
  const perRequest = (share: number) => (share * cpuPerRequest).toFixed(3);
  const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
  const groups = new Map<string, number>();
  for (const { owner, share } of breakdown.byOwner) {
    groups.set(groupOf(owner), (groups.get(groupOf(owner)) ?? 0) + share);
  }
  const rows = (shares: readonly { owner: string; share: number }[]) =>
    shares.map((r) => [r.owner, perRequest(r.share), pct(r.share)]);
  console.log(
    `\n${result.name}: ${result.requests} requests in ${result.seconds.toFixed(1)} s (${result.rps.toFixed(0)} ` +
      `req/s, ${result.errors} errors) on Node ${process.version}; ${who} used ${cpuPerRequest.toFixed(3)} ms ` +
      'of CPU per request (/proc, profiler on)\n',
  );
  console.log(
    table([
      ['charged to (with the Node internals it called)', 'ms/request', 'share'],
      ...rows([...groups].sort((a, b) => b[1] - a[1]).map(([owner, share]) => ({ owner, share }))),
    ]),
  );
  console.log(
    `\n${table([['package or file', 'ms/request', 'share'], ...rows(breakdown.byOwner.slice(0, 15))])}`,
  );
  const nodeRows = rows(breakdown.nodeOnlyByFrame.slice(0, 8));
  console.log(
    `\n${table([['with no bundled code on the stack, by top frame', 'ms/request', 'share'], ...nodeRows])}`,
  );
  console.log(`\nprofile: ${resolve(profileDir, file)}`);
}

async function main(): Promise<void> {
  const { scenario, seconds, concurrency } = options();
  const profileDir = resolve(root, 'build/profile');
  await rm(profileDir, { recursive: true, force: true });
  await mkdir(profileDir, { recursive: true });
  const profiling = ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const shape = { concurrency, warmupMs: 1000, durationMs: seconds * 1000 };
  const ddb = await startDynamoLocal();
  const raw = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: ddb.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const client = DynamoDBDocumentClient.from(raw);
  let service: ServerProcess | undefined;
  let load: LoadProcess | undefined;
  try {
    const tables = { tableName: TABLE, guardTableName: GUARD_TABLE };
    await ensureGuestTables(raw, tables);
    const seqNums = await seedGuests(client, tables, 1000, 10_000_000_000);
    if (scenario === 'floor-get') {
      // bench:api's floor for a read: lib-dynamodb's GetCommand, in the bench's own load process.
      const bundle = resolve(root, 'build/bench/load-worker.mjs');
      await build(nodeBundleOptions(resolve(root, 'service/bench/load-worker.ts'), bundle));
      const started = await startLoadProcess(bundle, profiling);
      load = started;
      const target = { endpoint: ddb.endpoint, region: 'eu-west-1', ...tables };
      const measured = await measure(started.pid, shape.warmupMs, () =>
        started.run({ kind: 'ddb-get', name: 'floor: SDK GetCommand', target, seqNums, shape }),
      );
      await started.exit();
      await report('the load process', bundle, profileDir, measured);
      return;
    }
    const bundle = await buildService();
    const started = await startNodeServer({
      script: bundle,
      port: await freePort(),
      nodeArgs: profiling,
      env: {
        NODE_ENV: 'production',
        DDB_ENDPOINT_URL: ddb.endpoint,
        DDB_TABLE: TABLE,
        DDB_GUARD_TABLE: GUARD_TABLE,
        AWS_REGION: 'eu-west-1',
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
      },
    });
    service = started;
    const base = started.baseUrl;
    const specs: Record<Exclude<ScenarioName, 'floor-get'>, HttpSpec> = {
      get: { baseUrl: base, method: 'GET', paths: seqNums.map((s) => `/guests/${s}`), expectStatus: 200 },
      post: { baseUrl: base, method: 'POST', paths: ['/guests'], expectStatus: 201, uniqueGuestFrom: 5e10 },
      list: { baseUrl: base, method: 'GET', paths: ['/guests'], expectStatus: 200 },
      page: { baseUrl: base, method: 'GET', paths: ['/guests?limit=100'], expectStatus: 200 },
      healthz: { baseUrl: base, method: 'GET', paths: ['/healthz'], expectStatus: 200 },
    };
    const http = httpClient('node', base, concurrency);
    const measured = await measure(started.pid, shape.warmupMs, () =>
      runLoad(scenario, http.operation(specs[scenario]), shape),
    ).finally(() => http.close());
    await started.stop();
    await report('the service', bundle, profileDir, measured);
  } finally {
    await service?.stop();
    await load?.exit();
    client.destroy();
    raw.destroy();
    await ddb.stop();
  }
}

await main();

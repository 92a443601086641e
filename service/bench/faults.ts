// npm run bench:faults [-- --soak-minutes N] [-- --fault-seconds N]
// Runs the production bundle (build/service/main.mjs) against DynamoDB Local behind the fault proxy, all
// on 127.0.0.1, under a bounded load of 16 keep-alive connections. Each fault is applied for 10 s and
// cleared; per fault it reports the share of 2xx / 503 / other, p50 / p99 against the budget, hung
// requests (must be 0), the time to recover, DynamoDB requests per HTTP request (retry amplification),
// /healthz + /readyz latency, and whether the tables are consistent afterwards. Then a soak at moderate
// load (default 10 min, a fault in the first 15 s of every minute) compares the server's RSS and open
// file descriptors at the end with the start, and a last run sends SIGTERM under load.
// Prints tables and writes build/bench-faults.json. Not part of `npm test` (it takes ~14 minutes).
import { fork } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { buildService, nodeBundleOptions } from '../scripts/build';
import { ensureGuestTables } from '../src/store/ensure-table';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { type Fault, startFaultProxy } from '../test/fault-proxy';
import { freePort } from '../test/free-port';
import { inconsistencies, readTables } from '../test/table-consistency';
import { benchArgs } from './args';
import { FaultLoad } from './fault-load';
import { type FaultSummary, summarizeFault, summarizeShutdown } from './fault-summary';
import type { ProbeSample } from './health-probe';
import { benchGuest } from './http-operation';
import { autogroupScheduling, cpuMs, killOnExit, rssMiB, startNodeServer } from './processes';
import { seedGuests } from './seed';
import { percentile, table } from './stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The SDK's notice that it will need a newer Node is noise in a benchmark's output (as in npm run dev).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REGION = 'eu-west-1';
const TABLES = { tableName: 'FaultGuests', guardTableName: 'FaultGuests-guards' };
const BUDGET_MS = 3000;
const CONNECTIONS = 16;
const HUNG_MS = BUDGET_MS + 2000;

const log = (message: string) => console.error(`[bench:faults] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the /healthz + /readyz prober in its own process; `stop` resolves to its samples. */
function probeHealth(script: string, baseUrl: string) {
  // Its own session, like the kubelet, which probes from outside the pod and the clients' cgroups.
  const child = fork(script, [baseUrl, '100'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  killOnExit(child);
  const samples = new Promise<ProbeSample[]>((resolveSamples) => {
    child.on('message', (m: { type: string; samples: ProbeSample[] }) => resolveSamples(m.samples));
  });
  return {
    stop: () => {
      child.send({ type: 'stop' });
      return samples;
    },
  };
}

/** Polls /readyz like a load balancer's health check; `ready` turns false for good at the first non-200. */
function pollReadiness(baseUrl: string, intervalMs: number) {
  let ready = true;
  let notReadyAt = Number.NaN;
  const timer = setInterval(() => {
    fetch(`${baseUrl}/readyz`)
      .then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      })
      .catch(() => 0)
      .then((status) => {
        if (status !== 200 && ready) {
          ready = false;
          notReadyAt = performance.now();
        }
      });
  }, intervalMs);
  return {
    ready: () => ready,
    notReadyAt: () => notReadyAt,
    stop: () => clearInterval(timer),
  };
}

/** What the service's metrics say about its event loop and garbage collector. */
interface RuntimeSample {
  /** Event-loop delay since the previous scrape (prom-client resets its histogram on every scrape), ms. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Garbage-collection pauses so far that took longer than 10 ms and 100 ms (all kinds). */
  readonly gcOver10ms: number;
  readonly gcOver100ms: number;
  /** `/healthz` + `/readyz` requests so far, and those the service itself took over 25 ms / 100 ms to answer. */
  readonly probes: number;
  readonly probesOver25ms: number;
  readonly probesOver100ms: number;
}

async function runtimeSample(metricsUrl: string): Promise<RuntimeSample> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : Number.NaN;
  };
  // Sums a gc histogram series over its kinds.
  const gc = (suffix: string) => {
    let sum = 0;
    for (const m of text.matchAll(new RegExp(`^nodejs_gc_duration_seconds_${suffix} (\\S+)$`, 'gm'))) {
      sum += Number(m[1]);
    }
    return sum;
  };
  // The service's own view of the probes: its request-duration histogram (from the request's arrival in Hono).
  const probeSeries = (le: string) => {
    let sum = 0;
    for (const route of ['/healthz', '/readyz']) {
      const series =
        le === ''
          ? `_count\\{method="GET",route="${route}"\\}`
          : `_bucket\\{le="${le}",method="GET",route="${route}"\\}`;
      const match = new RegExp(`^http_request_duration_seconds${series} (\\S+)$`, 'm').exec(text);
      sum += match ? Number(match[1]) : 0;
    }
    return sum;
  };
  const probes = probeSeries('');
  const count = gc('count\\{kind="\\w+"\\}');
  return {
    loopDelayP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    loopDelayMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
    gcOver10ms: count - gc('bucket\\{le="0.01",kind="\\w+"\\}'),
    gcOver100ms: count - gc('bucket\\{le="0.1",kind="\\w+"\\}'),
    probes,
    probesOver25ms: probes - probeSeries('0.025'),
    probesOver100ms: probes - probeSeries('0.1'),
  };
}

const openFds = async (pid: number) => (await readdir(`/proc/${pid}/fd`)).length;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');

async function main(): Promise<void> {
  const { 'soak-minutes': soakMinutes, 'fault-seconds': faultSeconds } = benchArgs('bench:faults', {
    'soak-minutes': { default: 10, min: 0, max: 600 },
    'fault-seconds': { default: 10, min: 0, max: 600 },
  });
  // Ctrl-C: exit through 'exit', which stops the server and prober (they run in sessions of their own).
  process.once('SIGINT', () => process.exit(130));
  const startedAt = Date.now();
  const loadBefore = loadavg();
  log(`building the service bundle; ${cpus().length} CPUs, load average ${loadBefore[0]?.toFixed(2)}`);
  const script = await buildService();
  const probeScript = resolve(root, 'build/bench/health-probe.mjs');
  await build(nodeBundleOptions(resolve(root, 'service/bench/health-probe.ts'), probeScript));
  const ddb = await startDynamoLocal();
  const proxy = await startFaultProxy({ upstreamPort: ddb.port });
  const direct = new DynamoDBClient({
    region: REGION,
    endpoint: ddb.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const doc = DynamoDBDocumentClient.from(direct);
  let server: Awaited<ReturnType<typeof startNodeServer>> | undefined;
  try {
    await ensureGuestTables(direct, TABLES);
    const seqNums = await seedGuests(doc, TABLES, 1000, 10_000_000_000);
    const metricsPort = await freePort();
    server = await startNodeServer({
      script,
      ownSchedulingGroup: true,
      port: await freePort(),
      env: {
        NODE_ENV: 'production',
        DDB_ENDPOINT_URL: proxy.endpoint,
        DDB_TABLE: TABLES.tableName,
        DDB_GUARD_TABLE: TABLES.guardTableName,
        DDB_REQUEST_BUDGET_MS: String(BUDGET_MS),
        AWS_REGION: REGION,
        METRICS_PORT: String(metricsPort),
        PUBLIC_DIR: resolve(root, 'service/public'),
        LOG_LEVEL: 'info',
      },
    });
    const base = server.baseUrl;
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    let idFrom = 30_000_000_000;

    const faults: { name: string; apply: () => unknown; clear: () => unknown }[] = [
      ...(
        [
          ['black hole', { kind: 'black-hole' }],
          ['latency 500 ms', { kind: 'latency', ms: 500 }],
          ['latency 5 s', { kind: 'latency', ms: 5000 }],
          ['reset mid-answer', { kind: 'reset-mid-response' }],
          ['refused', { kind: 'refuse' }],
          [
            'throttled 50% (PTEE)',
            { kind: 'throttle', share: 0.5, error: 'ProvisionedThroughputExceededException' },
          ],
          ['throttled 100% (Throttling)', { kind: 'throttle', share: 1, error: 'ThrottlingException' }],
        ] as [string, Fault][]
      ).map(([name, fault]) => ({
        name,
        apply: () => proxy.setFault(fault),
        clear: () => proxy.setFault({ kind: 'none' }),
      })),
      { name: 'DynamoDB Local frozen (SIGSTOP)', apply: () => ddb.freeze(), clear: () => ddb.resume() },
    ];

    const rows: (FaultSummary & Record<string, unknown>)[] = [];
    // --fault-seconds 0 skips the fault runs (to measure only the soak and SIGTERM).
    for (const fault of faultSeconds > 0 ? faults : []) {
      const load = new FaultLoad({
        baseUrl: base,
        connections: CONNECTIONS,
        hungMs: HUNG_MS,
        seqNums,
        idFrom,
      });
      const probe = probeHealth(probeScript, base);
      load.start();
      await sleep(2000);
      proxy.resetStats();
      const runtimeBefore = await runtimeSample(metricsUrl); // also resets the event-loop delay histogram
      const cpuAtApply = cpuMs(server.pid);
      const applied = performance.now();
      await fault.apply();
      await sleep(faultSeconds * 1000);
      const dynamoRequests = proxy.stats.requests;
      const cleared = performance.now();
      const serviceCpuShare = (cpuMs(server.pid) - cpuAtApply) / (cleared - applied);
      const runtime = await runtimeSample(metricsUrl);
      await fault.clear();
      await sleep(5000);
      await load.stop();
      const probes = await probe.stop();
      idFrom = load.idCursor;
      const summary = summarizeFault(fault.name, load.records, { applied, cleared });
      const needingDynamo = load.records.filter((r) => r.start >= applied && r.start < cleared).length;
      // A client retrying each POST that got 503 with the same person id.
      const retried: Record<string, number> = {};
      for (const r of load.records) {
        if (r.route !== 'POST /guests' || r.outcome !== 503 || r.personId === undefined) continue;
        const res = await fetch(`${base}/guests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(benchGuest(Number(r.personId))),
        });
        await res.arrayBuffer();
        retried[res.status] = (retried[res.status] ?? 0) + 1;
      }
      await sleep(500); // writes a frozen DynamoDB resumed land before the tables are read
      const problems = inconsistencies(await readTables(direct, TABLES));
      const probeMs = Float64Array.from(probes.map((p) => p.ms)).sort();
      const row = {
        ...summary,
        p99WithinBudget: summary.p99Ms <= BUDGET_MS,
        dynamoRequestsPerRequest: needingDynamo === 0 ? 0 : dynamoRequests / needingDynamo,
        healthP50Ms: percentile(probeMs, 50),
        healthP99Ms: percentile(probeMs, 99),
        healthMaxMs: probeMs.at(-1) ?? Number.NaN,
        healthOver100: probes.filter((p) => p.ms >= 100).length,
        healthSamples: probes.length,
        healthNot200: probes.filter((p) => p.status !== 200).length,
        // The prober's own timer lateness beside its slowest answer: CPU starvation, not the service.
        proberDelayAtMaxMs: probes.reduce((a, p) => (p.ms > a.ms ? p : a), { ms: -1, ownDelayMs: 0 })
          .ownDelayMs,
        proberDelayMaxMs: Math.max(...probes.map((p) => p.ownDelayMs)),
        // The service's own state during the fault: a share near 1 means its one thread was saturated
        // (probes queue behind its work); a long event-loop delay with a low share means it waited for a CPU.
        serviceCpuShare,
        serviceLoopDelayP99Ms: runtime.loopDelayP99Ms,
        serviceLoopDelayMaxMs: runtime.loopDelayMaxMs,
        serviceGcOver10ms: runtime.gcOver10ms - runtimeBefore.gcOver10ms,
        serviceGcOver100ms: runtime.gcOver100ms - runtimeBefore.gcOver100ms,
        // The same probes timed inside the service (Hono's handling only), to place a slow probe.
        serviceProbes: runtime.probes - runtimeBefore.probes,
        serviceProbesOver25ms: runtime.probesOver25ms - runtimeBefore.probesOver25ms,
        serviceProbesOver100ms: runtime.probesOver100ms - runtimeBefore.probesOver100ms,
        loadAverage1m: loadavg()[0],
        retriedPosts: retried,
        consistent: problems.length === 0,
        problems: problems.slice(0, 5),
      };
      rows.push(row);
      log(
        `${fault.name}: ${summary.requests} requests, 2xx ${pct(summary.share2xx)}, 503 ${pct(summary.share503)}, ` +
          `p99 ${ms(summary.p99Ms)} ms, hung ${summary.hung}, recovery ${ms(summary.recoveryMs)} ms, ` +
          `consistent ${row.consistent}`,
      );
    }

    const soak =
      soakMinutes > 0 ? await runSoak(base, server.pid, seqNums, idFrom, soakMinutes, faults) : undefined;
    if (soak !== undefined) idFrom = soak.idCursor;

    // SIGTERM under the same load: in-flight requests finish, nothing accepted fails. The load stands in
    // for a load balancer: it polls /readyz every 250 ms and sends nothing new once that is not 200.
    const readiness = pollReadiness(base, 250);
    const load = new FaultLoad({
      baseUrl: base,
      connections: CONNECTIONS,
      hungMs: HUNG_MS,
      seqNums,
      idFrom,
      routable: readiness.ready,
    });
    load.start();
    await sleep(2000);
    const termAt = performance.now();
    await server.stop();
    const exitMs = performance.now() - termAt;
    const exitCode = server.child.exitCode;
    server = undefined;
    await load.stop();
    readiness.stop();
    const notReadyAfterMs = readiness.notReadyAt() - termAt;
    const shutdown = { ...summarizeShutdown(load.records), exitCode, exitMs, notReadyAfterMs };
    log(`SIGTERM: ${JSON.stringify(shutdown)}`);

    console.log(`\n${renderFaults(rows, faultSeconds)}`);
    if (soak !== undefined) console.log(`\n${renderSoak(soak)}`);
    console.log(
      `\nSIGTERM under load (${CONNECTIONS} connections, sending stops when /readyz turns 503, seen after ` +
        `${ms(notReadyAfterMs)} ms): ${shutdown.requests} requests, ${shutdown.answered} answered ` +
        `(${shutdown.answered5xx} 5xx), ${shutdown.refused} refused, ${shutdown.failedAfterAccept} failed after ` +
        `being accepted; exit code ${exitCode} after ${ms(exitMs)} ms`,
    );
    const loadAfter = loadavg();
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { before: loadBefore, after: loadAfter },
      // The service and the prober ran in sessions of their own: with autogroup on, each had its own CPU share.
      autogroupScheduling: autogroupScheduling(),
      budgetMs: BUDGET_MS,
      connections: CONNECTIONS,
      faultSeconds,
      faults: rows,
      soak,
      shutdown,
      seconds: (Date.now() - startedAt) / 1000,
    };
    await mkdir(resolve(root, 'build'), { recursive: true });
    await writeFile(resolve(root, 'build/bench-faults.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote build/bench-faults.json, ${report.seconds.toFixed(0)} s total`);
  } finally {
    ddb.resume();
    await server?.stop();
    direct.destroy();
    await proxy.close();
    await ddb.stop();
  }
}

interface SoakResult {
  readonly minutes: number;
  readonly requests: number;
  readonly hung: number;
  readonly samples: { readonly atS: number; readonly rssMiB: number; readonly fds: number }[];
  readonly start: { readonly rssMiB: number; readonly fds: number };
  readonly end: { readonly rssMiB: number; readonly fds: number };
  readonly rssChange: number;
  readonly fdChange: number;
  readonly idCursor: number;
}

/**
 * Moderate load (4 connections, 20 ms between requests) for `minutes`, a fault (in turn) during the first
 * 15 s of every minute. Start: after 30 s of warm-up; end: the last sample, in the healthy part of the
 * last minute under the same load.
 */
async function runSoak(
  base: string,
  pid: number,
  seqNums: readonly string[],
  idFrom: number,
  minutes: number,
  faults: readonly { name: string; apply: () => unknown; clear: () => unknown }[],
): Promise<SoakResult> {
  log(`soak: ${minutes} min`);
  const load = new FaultLoad({
    baseUrl: base,
    connections: 4,
    hungMs: HUNG_MS,
    seqNums,
    idFrom,
    thinkMs: 20,
  });
  load.start();
  await sleep(30_000);
  const t0 = performance.now();
  const sample = async () => ({
    atS: Math.round((performance.now() - t0) / 1000),
    rssMiB: rssMiB(pid),
    fds: await openFds(pid),
  });
  const samples = [await sample()];
  for (let minute = 0; minute < minutes; minute++) {
    const fault = faults[minute % faults.length];
    await fault?.apply();
    await sleep(15_000);
    await fault?.clear();
    for (let i = 0; i < 9; i++) {
      await sleep(5000);
      samples.push(await sample());
    }
    log(`soak minute ${minute + 1}: ${fault?.name}; ${JSON.stringify(samples.at(-1))}`);
  }
  await load.stop();
  const start = samples[0] as SoakResult['start'];
  const end = samples.at(-1) as SoakResult['end'];
  return {
    minutes,
    requests: load.records.length,
    hung: load.records.filter((r) => r.outcome === 'hung').length,
    samples,
    start,
    end,
    rssChange: end.rssMiB / start.rssMiB - 1,
    fdChange: end.fds / start.fds - 1,
    idCursor: load.idCursor,
  };
}

function renderFaults(rows: readonly (FaultSummary & Record<string, unknown>)[], seconds: number): string {
  return [
    `Faults (${CONNECTIONS} keep-alive connections, each fault ${seconds} s, budget ${BUDGET_MS} ms):`,
    table([
      [
        'fault',
        'requests',
        '2xx',
        '503',
        'other',
        'p50 ms',
        'p99 ms',
        'hung',
        'recovery ms',
        'DDB req / req',
        'probes p99 / max ms',
        'service CPU',
        'loop delay p99 / max ms',
        'GC > 10 ms',
        'probes > 25 / 100 ms in service',
        'prober late max ms',
        'consistent',
      ],
      ...rows.map((r) => [
        r.fault,
        String(r.requests),
        pct(r.share2xx),
        pct(r.share503),
        pct(r.shareOther),
        ms(r.p50Ms),
        ms(r.p99Ms),
        String(r.hung),
        ms(r.recoveryMs),
        (r.dynamoRequestsPerRequest as number).toFixed(2),
        `${(r.healthP99Ms as number).toFixed(1)} / ${(r.healthMaxMs as number).toFixed(1)}`,
        pct(r.serviceCpuShare as number),
        `${ms(r.serviceLoopDelayP99Ms as number)} / ${ms(r.serviceLoopDelayMaxMs as number)}`,
        String(r.serviceGcOver10ms),
        `${r.serviceProbesOver25ms} / ${r.serviceProbesOver100ms} of ${r.serviceProbes}`,
        ms(r.proberDelayMaxMs as number),
        r.consistent ? 'yes' : 'NO',
      ]),
    ]),
  ].join('\n');
}

function renderSoak(soak: SoakResult): string {
  return (
    `Soak ${soak.minutes} min (4 connections, 20 ms think time, a fault in the first 15 s of each minute): ` +
    `${soak.requests} requests, ${soak.hung} hung; RSS ${soak.start.rssMiB.toFixed(1)} -> ${soak.end.rssMiB.toFixed(1)} MiB ` +
    `(${pct(soak.rssChange)}), open fds ${soak.start.fds} -> ${soak.end.fds} (${pct(soak.fdChange)})`
  );
}

await main();

// npm run bench:compare [-- --base <rev>] [--rounds N]: has the service become slower than it was at <rev>
// (default HEAD~1)? bench:api's ratios are taken against floors (a bare Hono server, the SDK's own calls) and
// move with the machine's load; this one puts the service against itself. It builds the service bundle of <rev>
// (its service/ tree, from git's objects) and of the working tree with the same esbuild and node_modules (refused
// when a package in the service bundle is at another version in <rev>: the bundles would then differ in more
// than our code), starts both against one DynamoDB Local, and drives the same endpoints on each from one load
// process, alternating which goes first round by round. Reports req/s and the service's CPU per request, and the
// ratio current / base of each; writes build/bench-compare.json. Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BuildOptions, type BuildResult, build, type Message } from 'esbuild';
import { nodeBundleOptions } from '../scripts/build';
import { ensureGuestTables } from '../src/store';
import { LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { benchArgs } from './args';
import { Refused, runBench } from './failure';
import type { HttpSpec } from './http-operation';
import { cpuMs, type ServerProcess, startLoadProcess, startNodeServer } from './processes';
import { atMost, reported, type TargetCheck } from './report';
import { seedGuests } from './seed';
import { median, table } from './stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const out = (file: string) => resolve(root, 'build', file);
const log = (message: string) => console.error(`[bench:compare] ${message}`);
const SHAPE = { concurrency: 16, warmupMs: 500, durationMs: 2500 };
const TABLE = 'CompareGuests';
const GUARD_TABLE = 'CompareGuests-guards';
/** Current CPU per request over base's, median of the rounds: more than this is a regression. */
const CPU_LIMIT = 1.1;

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** The commit of `rev`, or a refusal naming it. */
function commitOf(rev: string): string {
  try {
    return git('rev-parse', '--verify', '--quiet', `${rev}^{commit}`).trim();
  } catch {
    throw new Refused(`--base "${rev}" is not a commit of this repository`);
  }
}

/** The version of every installed package (path -> version), from a package-lock.json text. */
function lockedVersions(lockText: string): Map<string, string> {
  const lock = JSON.parse(lockText) as { packages: Record<string, { version?: string }> };
  return new Map(
    Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, p]) => [path, p.version ?? '']),
  );
}

/**
 * Refuses when a package the service bundle contains is installed at another version in `commit` than in the
 * working tree: the base bundle is built from this checkout's node_modules, so it would not be the bundle `commit`
 * shipped. `bundled` are the bundle's node_modules paths (esbuild's metafile); other packages (the synth CLI's,
 * the tools') do not matter here.
 */
async function checkSameDependencies(commit: string, rev: string, bundled: readonly string[]): Promise<void> {
  const base = lockedVersions(git('show', `${commit}:package-lock.json`));
  const current = lockedVersions(await readFile(join(root, 'package-lock.json'), 'utf8'));
  const differ = bundled.filter((p) => base.get(p) !== current.get(p)).sort();
  if (differ.length > 0) {
    const named = differ
      .slice(0, 3)
      .map(
        (p) =>
          `${p.replace(/^.*node_modules\//, '')} ${base.get(p) ?? 'absent'} -> ${current.get(p) ?? 'absent'}`,
      );
    throw new Refused(
      `${rev} installs other versions of ${differ.length} package(s) in the service bundle than the working tree (${named.join(', ')}${differ.length > 3 ? ', ...' : ''}); compare two revisions with the same service dependencies`,
    );
  }
}

/**
 * esbuild's build, its own report silenced; a failure is a refusal naming `what` and the first error, at its
 * file and line (a base revision whose service does not build is a fact about that revision, not a bug here).
 */
async function bundle(options: BuildOptions, what: string): Promise<BuildResult> {
  try {
    return await build({ ...options, logLevel: 'silent' });
  } catch (err) {
    const first = (err as { errors?: Message[] }).errors?.[0];
    if (first === undefined) throw err;
    const at = first.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Refused(`${what} does not build: ${at}${first.text}`);
  }
}

/** Builds the working tree's service bundle; resolves to its path and the node_modules packages it contains. */
async function buildCurrent(): Promise<{ script: string; bundled: string[] }> {
  const script = out('compare/current.mjs');
  const result = await bundle(
    { ...nodeBundleOptions(resolve(root, 'service/src/main.ts'), script), metafile: true },
    'the service in the working tree',
  );
  const bundled = new Set<string>();
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const name = /^node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(input.slice(at))?.[1];
    if (name !== undefined) bundled.add(`node_modules/${name}`);
  }
  return { script, bundled: [...bundled] };
}

/** Builds `commit`'s service bundle: its service/ tree in a temporary folder, with this checkout's node_modules. */
async function buildBase(commit: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-compare-'));
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', commit, 'service', 'tsconfig.json'], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const outfile = out('compare/base.mjs');
    await bundle(
      nodeBundleOptions(join(dir, 'service', 'src', 'main.ts'), outfile),
      `the service at ${commit}`,
    );
    return outfile;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What each side's load looks like: the same endpoint, on that side's server. */
const ENDPOINTS = {
  healthz: { label: 'GET /healthz', spec: () => ({ method: 'GET', paths: ['/healthz'], expectStatus: 200 }) },
  getById: {
    label: 'GET /guests/:seq_num',
    spec: (seqNums: readonly string[]) => ({
      method: 'GET',
      paths: seqNums.map((s) => `/guests/${s}`),
      expectStatus: 200,
    }),
  },
  page: {
    label: 'GET /guests?limit=100',
    spec: () => ({ method: 'GET', paths: ['/guests?limit=100'], expectStatus: 200 }),
  },
  post: {
    label: 'POST /guests',
    spec: (_: readonly string[], from: number) => ({
      method: 'POST',
      paths: ['/guests'],
      expectStatus: 201,
      uniqueGuestFrom: from,
    }),
  },
} as const satisfies Record<
  string,
  { label: string; spec: (seqNums: readonly string[], from: number) => Omit<HttpSpec, 'baseUrl'> }
>;
type Side = 'base' | 'current';
const SIDES: readonly Side[] = ['base', 'current'];

async function main(): Promise<void> {
  const { base: rev, rounds } = benchArgs('bench:compare', {
    base: {
      default: 'HEAD~1',
      pattern: /^[\w./~^@{}-]+$/,
      rule: 'a git revision (commit, tag, branch, HEAD~N)',
    },
    rounds: { default: 5, min: 1, max: 50 },
  });
  const startedAt = Date.now();
  const loadBefore = loadavg();
  const commit = commitOf(rev);
  const current = await buildCurrent();
  await checkSameDependencies(commit, rev, current.bundled);
  const dirty = git('status', '--porcelain', '--', 'service', 'package-lock.json').trim() !== '';
  log(
    `building ${rev} (${commit.slice(0, 12)}) and the working tree${dirty ? ' (uncommitted changes)' : ''}`,
  );
  const scripts: Record<Side, string> = { base: await buildBase(commit), current: current.script };
  await bundle(
    nodeBundleOptions(resolve(root, 'service/bench/load-worker.ts'), out('bench/load-worker.mjs')),
    'the load worker',
  );

  const ddb = await startDynamoLocal();
  const raw = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: ddb.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const servers: ServerProcess[] = [];
  let load: Awaited<ReturnType<typeof startLoadProcess>> | undefined;
  try {
    load = await startLoadProcess(out('bench/load-worker.mjs'));
    const tables = { tableName: TABLE, guardTableName: GUARD_TABLE };
    await ensureGuestTables(raw, tables);
    const seqNums = await seedGuests(DynamoDBDocumentClient.from(raw), tables, 1000, 10_000_000_000);
    const env = {
      NODE_ENV: 'production',
      DDB_ENDPOINT_URL: ddb.endpoint,
      DDB_TABLE: TABLE,
      DDB_GUARD_TABLE: GUARD_TABLE,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      PUBLIC_DIR: resolve(root, 'service/public'),
      LOG_LEVEL: 'info',
    };
    const start = async (script: string) => {
      const server = await startNodeServer({
        script,
        port: await freePort(),
        env: { ...env, METRICS_PORT: String(await freePort()) },
      });
      servers.push(server);
      return server;
    };
    const server: Record<Side, ServerProcess> = {
      base: await start(scripts.base),
      current: await start(scripts.current),
    };
    type Series = { rps: number[]; cpuUs: number[] };
    const results: Record<string, Record<Side, Series>> = {};
    for (const [key, endpoint] of Object.entries(ENDPOINTS)) {
      const series: Record<Side, Series> = { base: { rps: [], cpuUs: [] }, current: { rps: [], cpuUs: [] } };
      for (let round = 1; round <= rounds; round++) {
        const order = round % 2 === 1 ? SIDES : [...SIDES].reverse();
        for (const side of order) {
          const target = server[side];
          const from = (side === 'base' ? 30 : 40) * 1e9 + round * 1e8;
          const before = cpuMs(target.pid);
          const r = await load.run({
            kind: 'http',
            name: `${side} ${endpoint.label}`,
            spec: { baseUrl: target.baseUrl, ...endpoint.spec(seqNums, from) },
            shape: SHAPE,
            client: 'node',
          });
          if (r.errors > 0)
            throw new Refused(`${side} ${endpoint.label}: ${r.errors} errors (${r.firstError})`);
          const cpuUs = ((cpuMs(target.pid) - before) * 1000) / (r.allRequests ?? r.requests);
          series[side].rps.push(r.rps);
          series[side].cpuUs.push(cpuUs);
          log(
            `round ${round} ${side} ${endpoint.label}: ${r.rps.toFixed(0)} req/s, ${cpuUs.toFixed(1)} µs CPU/request`,
          );
        }
      }
      results[key] = series;
    }
    const targets: TargetCheck[] = Object.entries(ENDPOINTS).flatMap(([key, endpoint]) => {
      const s = results[key] as Record<Side, Series>;
      return [
        atMost(`${endpoint.label} CPU per request, current / base`, s.current.cpuUs, s.base.cpuUs, CPU_LIMIT),
        reported(`${endpoint.label} req/s, current / base`, s.current.rps, s.base.rps),
      ];
    });
    const fixed = (n: number, d: number) => (Number.isFinite(n) ? n.toFixed(d) : '-');
    console.log(
      table([
        [
          'endpoint (median of rounds)',
          'base req/s',
          'current req/s',
          'base µs CPU/req',
          'current µs CPU/req',
        ],
        ...Object.entries(ENDPOINTS).map(([key, e]) => {
          const s = results[key] as Record<Side, Series>;
          return [
            e.label,
            fixed(median(s.base.rps), 0),
            fixed(median(s.current.rps), 0),
            fixed(median(s.base.cpuUs), 1),
            fixed(median(s.current.cpuUs), 1),
          ];
        }),
      ]),
    );
    console.log(
      `\n${table([
        ['ratio', 'median', 'rounds', 'goal', 'result'],
        ...targets.map((t) => [
          t.check,
          fixed(t.value, 2),
          t.rounds.map((r) => fixed(r, 2)).join(' '),
          t.goal,
          t.pass === null ? '-' : t.pass ? 'pass' : 'MISS',
        ]),
      ])}`,
    );
    const round3 = (n: number) => Number(n.toFixed(3));
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { before: loadBefore.map((n) => round3(n)), after: loadavg().map((n) => round3(n)) },
      base: { rev, commit: commit.slice(0, 12) },
      current: { commit: git('rev-parse', '--short=12', 'HEAD').trim(), uncommittedChanges: dirty },
      rounds,
      shape: SHAPE,
      endpoints: Object.fromEntries(
        Object.entries(results).map(([key, s]) => [
          key,
          {
            baseRps: round3(median(s.base.rps)),
            currentRps: round3(median(s.current.rps)),
            baseCpuUs: round3(median(s.base.cpuUs)),
            currentCpuUs: round3(median(s.current.cpuUs)),
          },
        ]),
      ),
      targets: targets.map((t) => ({ ...t, value: round3(t.value), rounds: t.rounds.map(round3) })),
      seconds: round3((Date.now() - startedAt) / 1000),
    };
    await mkdir(dirname(out('bench-compare.json')), { recursive: true });
    await writeFile(out('bench-compare.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote build/bench-compare.json, ${report.seconds.toFixed(0)} s`);
  } finally {
    // Each step of the cleanup runs even when one before it fails (a failure here must not leave DynamoDB Local).
    await Promise.allSettled(servers.map((s) => s.stop()));
    await load?.exit().catch(() => undefined);
    raw.destroy();
    await ddb.stop();
  }
}

// Every failure of the run (a refusal, a build that fails, a server that does not start, a side's request errors)
// is one line on stderr and exit 1; BENCH_DEBUG=1 adds the stack. The finally blocks above have stopped what ran.
await runBench('bench:compare', main);

// Benchmark of `synth status` and `synth verify` against the local fake Kubernetes API server (TLS, bearer
// token) with 50 ms added to every request, in one run:
//   - status over 20 environments, in-process and as the real CLI process (`sh synth/bin/synth status`, what
//     `npm run status` runs), against two references measured in the same run: one request's round trip (the
//     floor) and the same reads made one after another (what a loop over environments would cost). The server runs in a process
//     of its own (fake-api-process.ts), as a real API server does; status against a server on the measuring
//     thread itself (its 60 TLS handshakes and JSON on the same event loop) is reported beside it;
//   - verify: how long after the server reports the final healthy state verify exits, with watches and with
//     watches denied (polling only).
// Writes build/bench-status.json.
// Usage: npm run bench:status [-- --runs 7] [-- --envs 20] [-- --latency 50] [-- --no-cli]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run as runSynth } from '../src/cli';
import { createClusterReader } from '../src/cluster/kube-client';
import { loadKubeConfig } from '../src/cluster/kube-config';
import { collectStatus } from '../src/cluster/status-run';
import { loadTargets } from '../src/cluster/targets';
import { application, DIGEST_A, deployment, pod, REPOSITORY } from '../test/cluster-fixtures';
import { FakeKubeApi } from '../test/fake-kube-api';
import { writeKubeconfig } from '../test/kubeconfig';
import { selfSignedCertificate } from '../test/self-signed';
import { createWorkspace, initRepository } from '../test/workspace';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = benchArgs('bench:status', {
  runs: { default: 7, min: 1, max: 100 },
  envs: { default: 20, min: 1, max: 1000 },
  latency: { default: 50, min: 0, max: 10000 },
  'no-cli': { flag: true },
});
const RUNS = args.runs as number;
const ENVS = args.envs as number;
const LATENCY = args.latency as number;
const TOKEN = 'bench-token-0123456789';
const IMAGE = `${REPOSITORY}:0.2.0@${DIGEST_A}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const round = (x: number) => Math.round(x * 10) / 10;
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

function healthy(api: FakeKubeApi, env: string, revision: string): void {
  api.put(application({ env, revision }));
  api.put(deployment({ env, image: IMAGE }));
  for (const x of ['a', 'b', 'c'])
    api.put(pod({ env, name: `guestlist-7d9c8b6f5-${x}`, image: IMAGE, digest: DIGEST_A }));
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; ms: number; out: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', [join(root, 'synth', 'bin', 'synth'), ...args], {
      env,
      cwd: root,
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, ms: performance.now() - started, out }));
  });
}

/** The fake API server in a child process (fake-api-process.ts), with every environment healthy. */
interface RemoteApi {
  readonly url: string;
  /** Sends one command line and resolves with the answer line. */
  ask(line: 'reset' | 'max'): Promise<string>;
  stop(): Promise<void>;
}

async function startRemoteApi(setup: Record<string, unknown>): Promise<RemoteApi> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'synth', 'bench', 'fake-api-process.ts')],
    {
      cwd: root,
      env: { ...process.env, BENCH_FAKE_API: JSON.stringify(setup) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
    waiting.shift()?.resolve(line),
  );
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`fake-api-process exited with ${code}`));
  });
  const next = () => new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
  const url = await next();
  return {
    url,
    ask: (line) => {
      const answer = next();
      child.stdin?.write(`${line}\n`);
      return answer;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function main(): Promise<void> {
  const names = Array.from({ length: ENVS }, (_, i) => `env${String(i + 1).padStart(2, '0')}`);
  const ws = createWorkspace(names.map((name) => ({ name, tag: '0.2.0', digest: DIGEST_A })));
  const commit = initRepository(ws);
  const tls = selfSignedCertificate();
  // The server status is measured against: a process of its own.
  const remote = await startRemoteApi({
    tls,
    token: TOKEN,
    latencyMs: LATENCY,
    environments: names,
    revision: commit,
    image: IMAGE,
    digest: DIGEST_A,
  });
  const kubeconfig = writeKubeconfig(join(ws, 'kubeconfig'), {
    server: remote.url,
    token: TOKEN,
    ca: tls.cert,
  });
  // The same server on this process's own thread, for comparison.
  const api = await FakeKubeApi.start({ tls, token: TOKEN, latencyMs: LATENCY });
  for (const name of names) healthy(api, name, commit);
  const sameThreadConfig = writeKubeconfig(join(ws, 'kubeconfig-same-thread'), {
    server: api.url,
    token: TOKEN,
    ca: tls.cert,
  });
  const targets = loadTargets({ environmentsDir: join(ws, 'environments'), distDir: join(ws, 'dist') });
  const access = loadKubeConfig({ kubeconfig, env: {} });
  const sameThreadAccess = loadKubeConfig({ kubeconfig: sameThreadConfig, env: {} });
  const reader = createClusterReader(access);

  // Warm-up (JIT, TLS session code paths), then alternate the measurements run by run.
  await collectStatus(targets, reader);
  const warmUp = createClusterReader(sameThreadAccess);
  await collectStatus(targets, warmUp);
  warmUp.close();
  const floor: number[] = [];
  const sequential: number[] = [];
  const concurrent: number[] = [];
  const sameThread: number[] = [];
  const warm: number[] = [];
  let inFlight = 0;
  for (let run = 0; run < RUNS; run++) {
    floor.push(await time(() => reader.getApplication('argocd', 'guestlist-env01')));
    sequential.push(
      await time(async () => {
        for (const t of targets) {
          await reader.getApplication('argocd', `guestlist-${t.env.name}`);
          await reader.getDeployment(`guestlist-${t.env.name}`, 'guestlist');
          await reader.listPods(`guestlist-${t.env.name}`, 'app=guestlist');
        }
      }),
    );
    await remote.ask('reset');
    // A fresh reader each run: new TCP and TLS connections, as a `synth status` process has.
    const fresh = createClusterReader(access);
    concurrent.push(await time(() => collectStatus(targets, fresh)));
    fresh.close();
    inFlight = Math.max(inFlight, Number(await remote.ask('max')));
    const local = createClusterReader(sameThreadAccess);
    sameThread.push(await time(() => collectStatus(targets, local)));
    local.close();
    warm.push(await time(() => collectStatus(targets, reader)));
  }

  // The real CLI process, start-up included (bundle load, client-node import). --no-cli skips it.
  const cli: number[] = [];
  const help: number[] = [];
  if (args['no-cli'] !== true) {
    const cliEnv = { ...process.env, KUBECONFIG: kubeconfig };
    const cliArgs = [
      'status',
      '--environments',
      join(ws, 'environments'),
      '--dist',
      join(ws, 'dist'),
      '--json',
    ];
    for (let run = 0; run <= RUNS; run++) {
      const r = await runCli(cliArgs, cliEnv);
      if (r.code !== 0) throw new Error(`synth status failed (${r.code}): ${r.out.slice(0, 2000)}`);
      if (run > 0) cli.push(r.ms); // the first run may rebuild the bundle and its code cache
    }
    for (let run = 0; run < RUNS; run++) help.push((await runCli(['help'], cliEnv)).ms);
  }

  // verify: start while rolling out, flip to healthy after 1.5 s, measure exit - flip.
  async function verifyLag(denyWatch: boolean): Promise<number> {
    const server = await FakeKubeApi.start({ tls, token: TOKEN, latencyMs: LATENCY });
    const cfg = writeKubeconfig(join(ws, `kubeconfig-verify-${denyWatch}`), {
      server: server.url,
      token: TOKEN,
      ca: tls.cert,
    });
    if (denyWatch) {
      server.deny('watch', '', 'pods');
      server.deny('watch', 'apps', 'deployments');
      server.deny('watch', 'argoproj.io', 'applications');
    }
    server.put(
      application({
        env: 'env01',
        revision: commit,
        phase: 'Running',
        finishedAt: null,
        health: 'Progressing',
      }),
    );
    server.put(deployment({ env: 'env01', image: IMAGE, updated: 2, ready: 1, total: 3 }));
    let flipped = 0;
    const timer = setTimeout(() => {
      healthy(server, 'env01', commit);
      server.put(
        application({
          env: 'env01',
          revision: commit,
          finishedAt: '2026-11-20T10:05:00Z',
          reconciledAt: '2026-11-20T10:05:01Z',
        }),
      );
      flipped = performance.now();
    }, 1500);
    const io = { out: () => {}, err: () => {} };
    const code = await runSynth(['verify', 'env01', '--kubeconfig', cfg, '--timeout', '30s'], {
      io,
      env: {},
      cwd: ws,
    });
    const lag = performance.now() - flipped;
    clearTimeout(timer);
    await server.stop();
    if (code !== 0 || flipped === 0) throw new Error(`verify exited ${code} before the flip`);
    return lag;
  }
  const verifyWatch: number[] = [];
  const verifyPoll: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 5); run++) {
    verifyWatch.push(await verifyLag(false));
    verifyPoll.push(await verifyLag(true));
  }
  reader.close();
  await api.stop();
  await remote.stop();
  rmSync(ws, { recursive: true, force: true });
  rmSync(`${ws}-origin.git`, { recursive: true, force: true });

  const result = {
    when: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadavg: loadavg().map(round),
    environments: ENVS,
    latencyMs: LATENCY,
    runs: RUNS,
    status: {
      oneRequestMs: round(median(floor)),
      sequentialMs: round(median(sequential)),
      inProcessMs: round(median(concurrent)),
      inProcessMinMaxMs: [round(Math.min(...concurrent)), round(Math.max(...concurrent))],
      inProcessKeptConnectionsMs: round(median(warm)),
      inProcessServerOnSameThreadMs: round(median(sameThread)),
      maxRequestsInFlight: inFlight,
      cliProcessMs: cli.length > 0 ? round(median(cli)) : null,
      cliHelpMs: help.length > 0 ? round(median(help)) : null,
      ratioToOneRequest: round(median(concurrent) / median(floor)),
      ratioToSequential: Math.round((median(concurrent) / median(sequential)) * 1000) / 1000,
    },
    verify: {
      exitAfterHealthyWithWatchMs: round(median(verifyWatch)),
      exitAfterHealthyWithWatchMaxMs: round(Math.max(...verifyWatch)),
      exitAfterHealthyPollingOnlyMs: round(median(verifyPoll)),
      exitAfterHealthyPollingOnlyMaxMs: round(Math.max(...verifyPoll)),
    },
  };
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(join(root, 'build', 'bench-status.json'), `${JSON.stringify(result, null, 2)}\n`);
  const s = result.status;
  const v = result.verify;
  console.log(
    `bench:status  ${ENVS} environments, +${LATENCY} ms per request, median of ${RUNS} (load ${result.loadavg.join(' ')})`,
  );
  console.log(`  one request (floor)                 ${s.oneRequestMs} ms`);
  console.log(`  reads one after another (a loop)    ${s.sequentialMs} ms`);
  console.log(
    `  status, in-process, new connections ${s.inProcessMs} ms  (${s.ratioToOneRequest}x one request, ${s.ratioToSequential}x the loop; ${s.maxRequestsInFlight} requests in flight)`,
  );
  console.log(`  status, in-process, kept connections ${s.inProcessKeptConnectionsMs} ms`);
  console.log(
    `  status, new connections, the server on the same thread ${s.inProcessServerOnSameThreadMs} ms (its TLS and JSON work counted too)`,
  );
  console.log(
    `  status, CLI process (start-up incl.) ${s.cliProcessMs} ms  (synth help alone: ${s.cliHelpMs} ms)`,
  );
  console.log(
    `  verify exits after healthy: watch   ${v.exitAfterHealthyWithWatchMs} ms (max ${v.exitAfterHealthyWithWatchMaxMs})`,
  );
  console.log(
    `  verify exits after healthy: polling ${v.exitAfterHealthyPollingOnlyMs} ms (max ${v.exitAfterHealthyPollingOnlyMaxMs})`,
  );
  const ok =
    s.inProcessMs <= 500 &&
    v.exitAfterHealthyWithWatchMaxMs <= 1000 &&
    v.exitAfterHealthyPollingOnlyMaxMs <= 1000;
  console.log(`  targets: status <= 500 ms, verify <= 1000 ms after healthy: ${ok ? 'met' : 'NOT met'}`);
}

await main();

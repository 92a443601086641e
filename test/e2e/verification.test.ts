// The `verification:` key through the user's door: an environment file that declares a metrics soak, `npm run
// synth` accepting it, then `npm run verify` as its own process against the local Kubernetes API server (playing
// Argo CD after a sync) and a real Prometheus scraping the real service under load. One soak that holds (exit 0)
// and one that breaks on the latency bound (exit 1, naming the query, its value and the file).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GuestlistService,
  runServiceLoad,
  startGuestlistService,
} from '../../synth/test/guestlist-service';
import {
  type PrometheusServer,
  prometheusInstalled,
  startPrometheus,
} from '../../synth/test/prometheus-server';
import { GitSandbox, git, runCli } from './git-sandbox';
import { CONTEXT, SimulatedArgoCd } from './simulated-argocd';

const real = prometheusInstalled();
if (!real) console.warn('verification.test.ts: Debian package "prometheus" is not installed; skipped');

/** The block a person appends to environments/dev.yaml (the form docs/status-and-verify.md shows). */
function verificationBlock(prometheusUrl: string, query: { name: string; query: string; max: number }) {
  return `verification:
  prometheus:
    url: ${prometheusUrl}
  soak: 2s
  interval: 1s
  queries:
    - name: ${query.name}
      query: ${JSON.stringify(query.query)}
      max: ${query.max}
`;
}

// The service's own series; `or vector(0)` because a quiet service has no 5xx series at all. The bound leaves
// room for a DynamoDB Local call timing out on a loaded test machine (a healthy run has none).
const ERROR_RATE = {
  name: 'error-rate',
  query: 'sum(rate(http_requests_total{status=~"5.."}[2s])) or vector(0)',
  max: 1,
};
// Every DynamoDB call takes longer than 1 ms, and the lowest bucket is 5 ms: this bound cannot hold.
const TIGHT_LIST_P99 = {
  name: 'list-p99-latency',
  query:
    'histogram_quantile(0.99, sum by (le, method, route) (rate(http_request_duration_seconds_bucket{method="GET",route="/guests"}[2s])))',
  max: 0.001,
};

describe.skipIf(!real)('verification: an environment file, npm run synth, npm run verify', () => {
  const sandbox = new GitSandbox();
  let argo: SimulatedArgoCd;
  let env: NodeJS.ProcessEnv;
  let service: GuestlistService;
  let prometheus: PrometheusServer;
  let load: Promise<number>;
  const stopLoad = new AbortController();

  beforeAll(async () => {
    const { GIT_DIR: _d, GIT_WORK_TREE: _w, GIT_INDEX_FILE: _i, ...rest } = process.env;
    argo = await SimulatedArgoCd.start(sandbox.base);
    env = { ...rest, KUBECONFIG: argo.kubeconfig, SYNTH_TIMINGS: '' };
    await sandbox.seed(env);
    service = await startGuestlistService();
    prometheus = await startPrometheus([service.metricsTarget]);
    load = runServiceLoad(service.url, {
      everyMs: 25,
      durationMs: 120_000,
      maxRequests: 3000,
      signal: stopLoad.signal,
    });
    // Wait until Prometheus holds a few scrapes, so rate() over 2 s has data.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const body = (await fetch(
        `${prometheus.url}/api/v1/query?query=count_over_time(http_requests_total{route="/healthz"}[3s])`,
      ).then((r) => r.json())) as { data: { result: { value: [number, string] }[] } };
      if (Number(body.data.result[0]?.value[1] ?? 0) >= 4) break;
      if (Date.now() > deadline) throw new Error('prometheus scraped nothing from the service in 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(async () => {
    stopLoad.abort();
    await load;
    await prometheus?.stop();
    await service?.stop();
    await argo?.stop();
    sandbox.remove();
  }, 60_000);

  /** Writes dev's verification block, renders with the CLI, commits and pushes; Argo CD syncs dev. */
  async function declare(dir: string, block: string): Promise<void> {
    const file = join(dir, 'environments', 'dev.yaml');
    const text = readFileSync(file, 'utf8').replace(/\nverification:\n[\s\S]*$/, '\n');
    writeFileSync(file, text);
    appendFileSync(file, block);
    const synth = await runCli(dir, env, []);
    expect([synth.code, synth.stderr]).toEqual([0, '']);
    const check = await runCli(dir, env, ['--check']);
    expect([check.code, check.stderr]).toEqual([0, '']);
    git(dir, 'commit', '--quiet', '-am', 'dev: verification');
    git(dir, 'push', '--quiet', 'origin', 'HEAD:main');
    argo.sync(sandbox, 'dev');
  }

  it('should refuse a bad soak with the file, line, key and rule, and write nothing', async () => {
    const dir = sandbox.clone('bad');
    appendFileSync(
      join(dir, 'environments', 'dev.yaml'),
      verificationBlock(prometheus.url, ERROR_RATE).replace('soak: 2s', 'soak: 2 seconds'),
    );
    const r = await runCli(dir, env, []);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^environments\/dev\.yaml:\d+:\d+ verification\.soak: "2 seconds" must be a duration such as 30s, 5m or 1h30m \(whole numbers with ms, s, m or h\)$/,
    );
    expect(git(dir, 'status', '--porcelain')).toBe('M environments/dev.yaml');
  }, 30_000);

  it('should verify dev once the error rate held for the soak, and exit 0', async () => {
    const dir = sandbox.clone('ok');
    await declare(dir, verificationBlock(prometheus.url, ERROR_RATE));
    const r = await runCli(dir, env, ['verify', 'dev', '--context', CONTEXT, '--timeout', '60s']);
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('waiting: metrics soak')]);
    expect(r.stdout).toMatch(
      /^verify dev: verified \S+ live at [0-9a-f]{12} .*; metrics held for 2 s: error-rate ≤ [0-9.e-]+ \(max 1\) \(/,
    );
  }, 90_000);

  it('should fail verify on the latency soak, naming the query, its value and the file', async () => {
    const dir = sandbox.clone('breach');
    await declare(dir, verificationBlock(prometheus.url, TIGHT_LIST_P99));
    const r = await runCli(dir, env, ['verify', 'dev', '--context', CONTEXT, '--timeout', '60s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /verify dev: failed: verification query "list-p99-latency" was [0-9.]+ at \S+ \{method="GET", route="\/guests"\}, above its max 0\.001 \(environments\/dev\.yaml\)/,
    );
  }, 90_000);
});

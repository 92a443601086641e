import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo } from './git-live';
import { createClusterReader } from './kube-client';
import { loadKubeConfig } from './kube-config';
import {
  evaluateSoak,
  findBreach,
  formatMetric,
  type MetricsVerification,
  PrometheusQueryError,
  type SoakState,
} from './prometheus-query';
import { FakeKubeApi } from './testing/fake-kube-api';
import { application, DIGEST_A, deployment, pod, REPOSITORY } from './testing/fixtures';
import { writeKubeconfig } from './testing/kubeconfig';
import { type Exporter, runLoad, startExporter } from './testing/metrics-exporter';
import { type PrometheusServer, prometheusInstalled, startPrometheus } from './testing/prometheus-server';
import { selfSignedCertificate } from './testing/self-signed';
import { createWorkspace, initRepository } from './testing/workspace';
import { runVerify, type VerifyTarget } from './verify-run';

describe('findBreach', () => {
  it('should return the earliest sample above max across series, +Inf included', () => {
    const series = [
      {
        metric: { route: '/a' },
        values: [
          [10, '0.1'],
          [12, '0.9'],
        ] as [number, string][],
      },
      { metric: { route: '/b' }, values: [[11, '+Inf']] as [number, string][] },
    ];
    expect(findBreach(series, 0.5)).toEqual({
      kind: 'breach',
      value: Number.POSITIVE_INFINITY,
      atSec: 11,
      metric: { route: '/b' },
    });
  });

  it('should count NaN (a quantile of no requests) as no data, not as a pass or a breach', () => {
    expect(
      findBreach(
        [
          {
            metric: {},
            values: [
              [1, 'NaN'],
              [2, '0.2'],
            ],
          },
        ],
        0.5,
      ),
    ).toEqual({
      kind: 'within',
      samples: 1,
      highest: 0.2,
    });
    expect(findBreach([], 0)).toEqual({ kind: 'within', samples: 0 });
  });

  it('should format labels sorted by name', () => {
    expect(formatMetric({ route: '/x', code: '500' })).toBe(' {code="500", route="/x"}');
    expect(formatMetric({})).toBe('');
  });
});

const real = prometheusInstalled();
if (!real)
  console.warn(
    'prometheus-query.test.ts: Debian package "prometheus" is not installed; real-Prometheus cases skipped',
  );

describe.skipIf(!real)('evaluateSoak against a real Prometheus scraping a service under load', () => {
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let load: Promise<number>;
  const stopLoad = new AbortController();

  const verification = (o: Partial<MetricsVerification>): MetricsVerification => ({
    prometheusUrl: prometheus.url,
    soakMs: 3000,
    intervalMs: 1000,
    queries: [],
    source: 'environments/dev.yaml',
    ...o,
  });

  /** Evaluates like verify does: at once, then every interval, until the soak ends or something fails. */
  async function soak(v: MetricsVerification): Promise<SoakState> {
    const start = Date.now();
    for (;;) {
      const state = await evaluateSoak(v, start, Date.now());
      if (state.kind !== 'soaking') return state;
      await new Promise((r) => setTimeout(r, v.intervalMs));
    }
  }

  beforeAll(async () => {
    exporter = await startExporter();
    prometheus = await startPrometheus([exporter.host]);
    // Bounded load: at most 1,200 requests over 25 s (stopped after the last test), 1 in 4 a 500 and 1 in 4 slow.
    load = runLoad(exporter.url, ['/ok', '/fail', '/ok', '/slow'], {
      everyMs: 20,
      durationMs: 25_000,
      maxRequests: 1200,
      signal: stopLoad.signal,
    });
    // Wait until Prometheus holds a few scrapes, so rate() over 2 s has data. (Its discovery hands new
    // targets to the scraper about 5 s after start; that, not the test, is most of this file's time.)
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await fetch(`${prometheus.url}/api/v1/query?query=count_over_time(up[3s])`).then((r) =>
        r.json(),
      );
      const n = Number(
        (body as { data: { result: { value: [number, string] }[] } }).data.result[0]?.value[1] ?? 0,
      );
      if (n >= 4) break;
      if (Date.now() > deadline) throw new Error('prometheus scraped nothing in 10 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 30_000);

  afterAll(async () => {
    stopLoad.abort();
    await load;
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('should pass when the 5xx rate and the p99 latency of a route stay in bounds for the whole soak', async () => {
    const state = await soak(
      verification({
        queries: [
          {
            name: 'ok-5xx-rate',
            query: 'sum(rate(http_requests_total{route="/ok",code=~"5.."}[2s])) or vector(0)',
            max: 0,
          },
          {
            name: 'ok-p99-latency',
            query:
              'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/ok"}[2s])))',
            max: 0.25,
          },
        ],
      }),
    );
    expect(state.kind).toBe('passed');
    expect(state.kind === 'passed' && state.summary).toMatch(
      /^metrics held for 3 s: ok-5xx-rate ≤ 0 \(max 0\), ok-p99-latency ≤ [0-9.e-]+ \(max 0.25\)$/,
    );
  });

  it('should fail at the first evaluation with the query name and value when the 5xx rate breaches', async () => {
    const started = Date.now();
    const state = await soak(
      verification({
        queries: [
          {
            name: 'error-rate',
            query: 'sum(rate(http_requests_total{code=~"5.."}[2s])) or vector(0)',
            max: 0,
          },
        ],
      }),
    );
    expect(state.kind).toBe('breach');
    expect(state.kind === 'breach' && state.reason).toMatch(
      /^verification query "error-rate" was [0-9.]+ at \d{4}-\d\d-\d\dT[0-9:.]+Z, above its max 0 \(environments\/dev\.yaml\)$/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should fail on a latency quantile above a tight bound, naming the series', async () => {
    const state = await soak(
      verification({
        queries: [
          {
            name: 'p99-latency',
            query:
              'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route="/slow"}[2s])))',
            max: 0.05,
          },
        ],
      }),
    );
    expect(state.kind === 'breach' && state.reason).toMatch(
      /^verification query "p99-latency" was 0\.[0-9]+ at .*Z \{route="\/slow"\}, above its max 0\.05 \(environments\/dev\.yaml\)$/,
    );
  });

  it('should fail a query that returned no data over the whole soak', async () => {
    const state = await soak(
      verification({
        soakMs: 1000,
        queries: [{ name: 'typo', query: 'sum(rate(http_request_total[2s]))', max: 1 }],
      }),
    );
    expect(state).toEqual({
      kind: 'breach',
      reason:
        'verification query "typo" returned no data over the 1 s soak (environments/dev.yaml); if no series means zero, end the query with "or vector(0)"',
    });
  });

  it('should refuse a query Prometheus cannot parse', async () => {
    await expect(
      evaluateSoak(
        verification({ queries: [{ name: 'broken', query: 'sum(rate(', max: 1 }] }),
        Date.now(),
        Date.now(),
      ),
    ).rejects.toThrow(PrometheusQueryError);
    await expect(
      evaluateSoak(
        verification({ queries: [{ name: 'broken', query: 'sum(rate(', max: 1 }] }),
        Date.now(),
        Date.now(),
      ),
    ).rejects.toThrow(/^verification query "broken" is refused by Prometheus \(bad_data\): .*parse error/);
  });

  it('should report an unreachable Prometheus as a condition to wait on', async () => {
    const closed = await startExporter();
    await closed.stop();
    const state = await evaluateSoak(
      verification({ prometheusUrl: closed.url, queries: [{ name: 'x', query: 'up', max: 1 }] }),
      Date.now(),
      Date.now(),
    );
    expect(state).toEqual({
      kind: 'unavailable',
      reason: `Prometheus at ${closed.url} cannot be queried: connect ECONNREFUSED ${closed.host}`,
    });
  });

  it('should make verify wait out the soak and exit 0, or fail it on a breach, once the cluster is healthy', async () => {
    const root = createWorkspace([{ name: 'dev', tag: '0.2.0', digest: DIGEST_A }]);
    const commit = initRepository(root);
    const tls = selfSignedCertificate();
    const api = await FakeKubeApi.start({ tls });
    const image = `${REPOSITORY}:0.2.0@${DIGEST_A}`;
    api.put(application({ revision: commit }));
    api.put(deployment({ image, replicas: 1 }));
    api.put(pod({ name: 'guestlist-7d9c8b6f5-a', image, digest: DIGEST_A }));
    const reader = createClusterReader(
      loadKubeConfig({
        kubeconfig: writeKubeconfig(join(root, '..', `${basename(root)}.kubeconfig`), {
          server: api.url,
          ca: tls.cert,
        }),
        env: {},
      }),
    );
    const target = (queries: MetricsVerification['queries']): VerifyTarget => ({
      environment: 'dev',
      application: { namespace: 'argocd', name: 'guestlist-dev' },
      deployment: {
        namespace: 'guestlist-dev',
        name: 'guestlist',
        labelSelector: 'app=guestlist',
        container: 'guestlist',
      },
      expected: { repository: REPOSITORY, tag: '0.2.0', digest: DIGEST_A },
      commit,
      sourcePath: 'dist/dev',
      verification: verification({ soakMs: 2000, queries }),
    });
    try {
      const repo = GitRepo.open(root);
      const progress: string[] = [];
      const ok = await runVerify(
        target([
          {
            name: 'ok-5xx-rate',
            query: 'sum(rate(http_requests_total{route="/ok",code=~"5.."}[2s])) or vector(0)',
            max: 0,
          },
        ]),
        { reader, repo, timeoutMs: 20_000, onProgress: (l) => progress.push(l) },
      );
      expect(ok.kind).toBe('verified');
      expect(ok.kind === 'verified' && ok.metrics).toBe('metrics held for 2 s: ok-5xx-rate ≤ 0 (max 0)');
      expect(ok.elapsedMs).toBeGreaterThanOrEqual(2000);
      expect(progress[0]).toMatch(/^waiting: metrics soak: [0-9] s of 2 s within bounds$/);
      const bad = await runVerify(
        target([
          {
            name: 'error-rate',
            query: 'sum(rate(http_requests_total{code=~"5.."}[2s])) or vector(0)',
            max: 0,
          },
        ]),
        { reader, repo, timeoutMs: 20_000 },
      );
      expect(bad.kind === 'failed' && bad.reason).toMatch(/^verification query "error-rate" was [0-9.]+ at /);
    } finally {
      reader.close();
      await api.stop();
      for (const p of [root, `${root}-origin.git`]) rmSync(p, { recursive: true, force: true });
    }
  });
});

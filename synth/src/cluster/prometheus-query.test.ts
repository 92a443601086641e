import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application, DIGEST_A, deployment, pod, REPOSITORY } from '../../test/cluster-fixtures';
import { FakeKubeApi } from '../../test/fake-kube-api';
import { type GuestlistService, runServiceLoad, startGuestlistService } from '../../test/guestlist-service';
import { writeKubeconfig } from '../../test/kubeconfig';
import { type PrometheusServer, prometheusInstalled, startPrometheus } from '../../test/prometheus-server';
import { selfSignedCertificate } from '../../test/self-signed';
import { createWorkspace, initRepository } from '../../test/workspace';
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

/** A TCP port on 127.0.0.1 that refuses connections (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const real = prometheusInstalled();
if (!real)
  console.warn(
    'prometheus-query.test.ts: Debian package "prometheus" is not installed; real-Prometheus cases skipped',
  );

describe.skipIf(!real)('evaluateSoak against a real Prometheus scraping the real service under load', () => {
  let service: GuestlistService;
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

  // The service's own series (service/src/observability/metrics.ts): http_requests_total{method,route,status}
  // and http_request_duration_seconds{method,route}, route being the route pattern.
  const ERROR_RATE = {
    name: 'error-rate',
    query: 'sum(rate(http_requests_total{status=~"5.."}[2s])) or vector(0)',
    max: 0,
  };
  const P99 = {
    name: 'p99-latency',
    query: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[2s])))',
    max: 2,
  };
  // Every DynamoDB call takes longer than 1 ms, and the lowest bucket is 5 ms: this bound cannot hold.
  const TIGHT_LIST_P99 = {
    name: 'list-p99-latency',
    query:
      'histogram_quantile(0.99, sum by (le, method, route) (rate(http_request_duration_seconds_bucket{method="GET",route="/guests"}[2s])))',
    max: 0.001,
  };

  beforeAll(async () => {
    service = await startGuestlistService();
    // A few requests one after another first, so the database's first (slow) calls are behind us.
    for (let i = 0; i < 4; i++) {
      expect((await fetch(`${service.url}/guests?limit=1`)).status).toBe(200);
    }
    prometheus = await startPrometheus([service.metricsTarget]);
    // Bounded load: at most 2,400 requests over 90 s (stopped after the last test), a quarter of them 400s.
    load = runServiceLoad(service.url, {
      everyMs: 25,
      durationMs: 90_000,
      maxRequests: 2400,
      signal: stopLoad.signal,
    });
    // Wait until Prometheus holds a few scrapes, so rate() over 2 s has data. (Its discovery hands new
    // targets to the scraper about 5 s after start; that, not the test, is most of this file's time.)
    const deadline = Date.now() + 20_000;
    for (;;) {
      const body = await fetch(
        `${prometheus.url}/api/v1/query?query=count_over_time(http_requests_total{route="/healthz"}[3s])`,
      ).then((r) => r.json());
      const n = Number(
        (body as { data: { result: { value: [number, string] }[] } }).data.result[0]?.value[1] ?? 0,
      );
      if (n >= 4) break;
      if (Date.now() > deadline) throw new Error('prometheus scraped nothing from the service in 20 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    stopLoad.abort();
    await load;
    await prometheus?.stop();
    if (service !== undefined) {
      await service.stop();
      // The service's process is gone: nothing answers on its port any more.
      await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    }
  }, 60_000);

  it('should pass when the 5xx rate and the p99 latency stay in bounds for the whole soak', async () => {
    const state = await soak(verification({ queries: [ERROR_RATE, P99] }));
    expect(state.kind === 'passed' ? state.summary : state).toMatch(
      /^metrics held for 3 s: error-rate ≤ 0 \(max 0\), p99-latency ≤ [0-9.e-]+ \(max 2\)$/,
    );
  });

  it('should fail on a latency quantile above a tight bound, naming the query, value and series', async () => {
    const state = await soak(verification({ queries: [TIGHT_LIST_P99] }));
    expect(state.kind === 'breach' ? state.reason : state).toMatch(
      /^verification query "list-p99-latency" was [0-9.]+ at \d{4}-\d\d-\d\dT[0-9:.]+Z \{method="GET", route="\/guests"\}, above its max 0\.001 \(environments\/dev\.yaml\)$/,
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
    const broken = verification({ queries: [{ name: 'broken', query: 'sum(rate(', max: 1 }] });
    await expect(evaluateSoak(broken, Date.now(), Date.now())).rejects.toThrow(PrometheusQueryError);
    await expect(evaluateSoak(broken, Date.now(), Date.now())).rejects.toThrow(
      /^verification query "broken" is refused by Prometheus \(bad_data\): .*parse error/,
    );
  });

  it('should report an unreachable Prometheus as a condition to wait on', async () => {
    const port = await closedPort();
    const state = await evaluateSoak(
      verification({
        prometheusUrl: `http://127.0.0.1:${port}`,
        queries: [{ name: 'x', query: 'up', max: 1 }],
      }),
      Date.now(),
      Date.now(),
    );
    expect(state).toEqual({
      kind: 'unavailable',
      reason: `Prometheus at http://127.0.0.1:${port} cannot be queried: connect ECONNREFUSED 127.0.0.1:${port}`,
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
      const ok = await runVerify(target([ERROR_RATE]), {
        reader,
        repo,
        timeoutMs: 20_000,
        onProgress: (l) => progress.push(l),
      });
      expect(ok.kind === 'verified' ? ok.metrics : ok).toBe('metrics held for 2 s: error-rate ≤ 0 (max 0)');
      expect(ok.elapsedMs).toBeGreaterThanOrEqual(2000);
      expect(progress[0]).toMatch(/^waiting: metrics soak: [0-9] s of 2 s within bounds$/);
      const bad = await runVerify(target([TIGHT_LIST_P99]), { reader, repo, timeoutMs: 20_000 });
      expect(bad.kind === 'failed' ? bad.reason : bad).toMatch(
        /^verification query "list-p99-latency" was [0-9.]+ at /,
      );
    } finally {
      reader.close();
      await api.stop();
      for (const p of [root, `${root}-origin.git`]) rmSync(p, { recursive: true, force: true });
    }
  });

  // Last: the database stops answering, so the service's calls run out of their budget and answer 503.
  it('should fail on the 5xx rate once the service starts failing during the soak', async () => {
    service.freezeDatabase();
    try {
      const state = await soak(verification({ soakMs: 30_000, queries: [ERROR_RATE] }));
      expect(state.kind === 'breach' ? state.reason : state).toMatch(
        /^verification query "error-rate" was [0-9.]+ at \d{4}-\d\d-\d\dT[0-9:.]+Z, above its max 0 \(environments\/dev\.yaml\)$/,
      );
    } finally {
      service.resumeDatabase();
    }
  }, 60_000);
});

// The alerts and dashboards synth renders query only series that exist: the service's metric names are read
// from a real server's GET /metrics (the service's own startServer on 127.0.0.1, its DynamoDB endpoint
// refusing connections so the error series appear too), and compared with every query in dist/.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningServer, startServer } from '../../service/src/server';
import { createMemoryLogger } from '../../service/test/memory-logger';
import { testConfig } from '../../service/test/test-config';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/**
 * Series that come from kube-state-metrics (a cluster prerequisite listed in docs/production.md), not from
 * the service. Anything else a query names must be on the service's /metrics.
 */
const KUBE_STATE_METRICS = new Set([
  'kube_pod_status_ready',
  'kube_pod_container_status_waiting_reason',
  'kube_pod_container_status_restarts_total',
]);

/** A TCP port on 127.0.0.1 that refuses connections (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Every sample name of a text exposition: histogram and summary families expand to their series. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, name = '', type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}

/** Metric names in a PromQL expression: every identifier directly followed by a `{` selector. */
function queriedNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1] as string);
}

/** Every PromQL query of the rendered PrometheusRules and Grafana dashboards, with where it is. */
function renderedQueries(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const env of readdirSync(DIST)) {
    if (env === 'argocd') continue;
    for (const file of readdirSync(join(DIST, env))) {
      const obj = parse(readFileSync(join(DIST, env, file), 'utf8'));
      if (obj.kind === 'PrometheusRule') {
        for (const g of obj.spec.groups)
          for (const r of g.rules) out.push({ where: `dist/${env}/${file} ${r.alert}`, expr: r.expr });
      }
      if (obj.kind === 'ConfigMap' && obj.metadata.labels?.grafana_dashboard === '1') {
        for (const json of Object.values(obj.data as Record<string, string>)) {
          for (const p of JSON.parse(json).panels)
            for (const t of p.targets) out.push({ where: `dist/${env}/${file} ${p.title}`, expr: t.expr });
        }
      }
    }
  }
  return out;
}

describe('rendered alerts and dashboards against the real service /metrics', () => {
  let server: RunningServer;
  let exposition = '';
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    server = await startServer(
      testConfig({ port: 0, endpointUrl: `http://127.0.0.1:${await closedPort()}`, requestBudgetMs: 500 }),
      {
        logger: createMemoryLogger(),
        hostname: '127.0.0.1',
        dynamo: { maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      },
    );
    // A probe, a failed API call (its DynamoDB call is refused) and a 404: every series family gets samples.
    await fetch(`${server.url}/readyz`);
    await fetch(`${server.url}/guests`);
    await fetch(`${server.url}/nope`);
    exposition = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  }, 30_000);
  afterAll(async () => {
    await server?.close(1000);
  });

  it('should expose the series the alerts are built on, probes under their own route', () => {
    expect(exposition).toMatch(/^http_requests_total\{method="GET",route="\/readyz",status="\d+"\} 1$/m);
    expect(exposition).toMatch(/^http_requests_total\{method="GET",route="\/guests",status="5\d\d"\} 1$/m);
    expect(exposition).toMatch(/^dynamodb_call_errors_total\{operation="\w+",error="[^"]+"\} \d+$/m);
    expect(exposition).toContain(
      'http_request_duration_seconds_bucket{le="0.5",method="GET",route="/guests"}',
    );
  });

  it('should query only metric names the service exports (or kube-state-metrics provides)', () => {
    const exported = exposedNames(exposition);
    const queries = renderedQueries();
    expect(queries.length).toBeGreaterThan(20);
    const unknown = queries.flatMap((q) =>
      queriedNames(q.expr)
        .filter((n) => !exported.has(n) && !KUBE_STATE_METRICS.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // Every service family the dashboard promises is really queried.
    const used = new Set(queries.flatMap((q) => queriedNames(q.expr)));
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'dynamodb_call_duration_seconds_bucket',
      'dynamodb_call_errors_total',
    ]) {
      expect(used.has(name), name).toBe(true);
    }
  });

  it('should catch a query on a name the service does not export (the check can fail)', () => {
    const exported = exposedNames(exposition);
    expect(
      queriedNames('sum(rate(http_requests_count{namespace="x"}[5m]))').filter((n) => !exported.has(n)),
    ).toEqual(['http_requests_count']);
  });
});

// Tests of our own PodMonitor and PrometheusRule schemas: what the pinned Prometheus Operator release accepts of
// what synth renders, and what it refuses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheusProblems } from './prometheus-schemas';
import { validateSchema } from './schema-gate';

const DIST = join(__dirname, '..', '..', '..', 'dist');

const podMonitor = () => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'guestlist', namespace: 'guestlist-dev', labels: { release: 'kube-prometheus-stack' } },
  spec: {
    selector: { matchLabels: { app: 'guestlist' } },
    podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
  },
});

const rule = () => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'guestlist', namespace: 'guestlist-dev' },
  spec: {
    groups: [
      {
        name: 'guestlist-slo',
        rules: [
          {
            alert: 'GuestlistDown',
            expr: 'up == 0',
            for: '2m',
            labels: { severity: 'critical' },
            annotations: { summary: 'down' },
          },
        ],
      },
    ],
  },
});

describe('the Prometheus Operator schemas of the pinned release (kube-prometheus-stack 81.4.5)', () => {
  it('should accept every PodMonitor and PrometheusRule committed under dist/', () => {
    const checked = readdirSync(DIST).flatMap((env) =>
      readdirSync(join(DIST, env))
        .filter((f) => /^(podmonitor|prometheusrule)-/.test(f))
        .map((f) => [`${env}/${f}`, parse(readFileSync(join(DIST, env, f), 'utf8')) as object] as const),
    );
    expect(checked.length).toBeGreaterThanOrEqual(6);
    for (const [file, obj] of checked) {
      expect(prometheusProblems(obj), file).toEqual([]);
      expect(validateSchema(obj as never), file).toEqual([]);
    }
  });

  it('should accept the CRD duration forms and an integer expr (the CRD types expr int-or-string)', () => {
    const r = rule();
    const first = r.spec.groups[0]?.rules[0] as Record<string, unknown>;
    for (const ok of ['0', '1h30m', '1y2w3d4h5m6s7ms', '15m']) {
      first.for = ok;
      expect(prometheusProblems(r), ok).toEqual([]);
    }
    first.expr = 1;
    expect(prometheusProblems(r)).toEqual([]);
  });

  it('should name unknown fields, bad durations and missing required fields by path', () => {
    const m = podMonitor();
    (m.spec.podMetricsEndpoints[0] as Record<string, unknown>).scrapeTimout = '10s';
    (m.spec.podMetricsEndpoints[0] as Record<string, unknown>).interval = '30 seconds';
    (m.spec as Record<string, unknown>).selector = undefined;
    expect(prometheusProblems(m)).toEqual([
      '/spec/selector is required',
      '/spec/podMetricsEndpoints/0/interval must be a Prometheus duration such as "30s" or "1h30m"',
      '/spec/podMetricsEndpoints/0/scrapeTimout: unknown field; did you mean "scrapeTimeout"?',
    ]);

    const r = rule();
    const first = r.spec.groups[0]?.rules[0] as Record<string, unknown>;
    first.for = '1.5h'; // Go's time.ParseDuration takes it; the CRD's pattern does not
    first.expr = undefined;
    (r.spec.groups[0] as Record<string, unknown>).partial_response_strategy = 'warn';
    expect(prometheusProblems(r)).toEqual([
      '/spec/groups/0/rules/0/expr is required',
      '/spec/groups/0/rules/0/for must be a Prometheus duration such as "30s" or "1h30m"',
      '/spec/groups/0/partial_response_strategy: unknown field',
    ]);
  });

  it('should refuse a missing spec, an empty group name and two groups of one name (a list map keyed by name)', () => {
    const { spec: _, ...bare } = rule();
    expect(prometheusProblems(bare)).toEqual(['/spec is required']);
    const r = rule();
    r.spec.groups.push({ ...(r.spec.groups[0] as (typeof r.spec.groups)[number]) });
    expect(prometheusProblems(r)).toEqual(['/spec/groups/1/name duplicates group "guestlist-slo"']);
    expect(prometheusProblems({ ...rule(), spec: { groups: [{ name: '' }] } })).toEqual([
      '/spec/groups/0/name Too small: expected string to have >=1 characters',
    ]);
  });

  it('should refuse an apiVersion the pinned release does not serve, and leave other kinds alone', () => {
    expect(validateSchema({ ...podMonitor(), apiVersion: 'monitoring.coreos.com/v1alpha1' })).toEqual([
      'no schema known for apiVersion "monitoring.coreos.com/v1alpha1" kind "PodMonitor" (add it to schema-kinds.ts and schema-gate.ts)',
    ]);
    expect(prometheusProblems({ apiVersion: 'v1', kind: 'Service' })).toBeUndefined();
  });
});

// The service's Grafana dashboard for one environment: its panels and PromQL queries, as dashboard JSON.
import type { AlertTarget } from './alert-rules';

/** One panel: a title, its unit and its PromQL queries (legend per query). */
interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}

/** The panels of the service dashboard, for one environment's namespace. */
export function dashboardPanels(target: AlertTarget): PanelSpec[] {
  const ns = `namespace="${target.namespace}"`;
  const api = `${ns},route!~"/healthz|/readyz"`;
  const quantile = (q: number, metric: string, by: string, sel: string) =>
    `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket{${sel}}[5m])))`;
  return [
    {
      title: 'Requests per second by status',
      unit: 'reqps',
      queries: [{ expr: `sum by (status) (rate(http_requests_total{${api}}[5m]))`, legend: '{{status}}' }],
    },
    {
      title: '5xx ratio',
      unit: 'percentunit',
      queries: [
        {
          expr: `sum(rate(http_requests_total{${api},status=~"5.."}[5m])) / sum(rate(http_requests_total{${api}}[5m]))`,
          legend: '5xx',
        },
      ],
    },
    {
      title: 'Request latency',
      unit: 's',
      queries: [0.5, 0.9, 0.99].map((q) => ({
        expr: quantile(q, 'http_request_duration_seconds', '', api),
        legend: `p${q * 100}`,
      })),
    },
    {
      title: 'DynamoDB latency p99 by operation',
      unit: 's',
      queries: [
        {
          expr: quantile(0.99, 'dynamodb_call_duration_seconds', 'operation', ns),
          legend: '{{operation}}',
        },
      ],
    },
    {
      title: 'DynamoDB errors per second',
      unit: 'ops',
      queries: [
        {
          expr: `sum by (operation, error) (rate(dynamodb_call_errors_total{${ns}}[5m]))`,
          legend: '{{operation}} {{error}}',
        },
      ],
    },
    {
      title: 'Pods ready',
      unit: 'short',
      queries: [
        {
          expr: `sum(kube_pod_status_ready{${ns},pod=~"${target.service}-.*",condition="true"})`,
          legend: 'ready',
        },
        {
          expr: `sum(kube_pod_status_ready{${ns},pod=~"${target.service}-.*",condition=~"false|unknown"})`,
          legend: 'not ready',
        },
      ],
    },
    {
      title: 'Container restarts (15 min)',
      unit: 'short',
      queries: [
        {
          expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns},container="${target.service}"}[15m]))`,
          legend: '{{pod}}',
        },
      ],
    },
  ];
}

// A Grafana template variable (the data source picker), written literally into the dashboard JSON.
const DATASOURCE_VARIABLE = ['$', '{datasource}'].join('');

/** Every PromQL query of the dashboard JSON (for tests and checks). */
export function dashboardQueries(dashboard: Readonly<Record<string, unknown>>): string[] {
  const panels = (dashboard.panels ?? []) as { targets?: { expr: string }[] }[];
  return panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

/** The Grafana dashboard JSON model of one environment (two panels per row, Prometheus data source picker). */
export function dashboard(target: AlertTarget): Record<string, unknown> {
  const panels = dashboardPanels(target).map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    datasource: { type: 'prometheus', uid: DATASOURCE_VARIABLE },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    targets: p.queries.map((q, j) => ({
      refId: String.fromCharCode(65 + j),
      expr: q.expr,
      legendFormat: q.legend,
    })),
  }));
  return {
    uid: `${target.service}-${target.environment}`,
    title: `Guest list (${target.environment})`,
    tags: [target.service, target.environment],
    timezone: 'utc',
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }],
    },
    panels,
  };
}

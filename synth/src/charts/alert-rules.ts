// The service's Prometheus alert rules for one environment: burn-rate alerts on its error and latency SLOs,
// plus pods not ready, crash loops, DynamoDB errors and throttling.
import type { MonitoringSettings } from '../config/monitoring';
import type { AlertGroup, AlertRule } from '../constructs/prometheus-rule';

/** What the alerts watch. */
export interface AlertTarget {
  /** Namespace of the environment (every series is filtered on it). */
  readonly namespace: string;
  /** Environment name (an alert label, for routing). */
  readonly environment: string;
  /** Container name and pod name prefix of the service. */
  readonly service: string;
}

/**
 * Multi-window, multi-burn-rate alerts of the SRE workbook (chapter "Alerting on SLOs"), for a 30-day SLO:
 * a page when 2% of the budget burns in 1 hour (14.4x, confirmed over 5 minutes), a ticket when 5% burns in
 * 6 hours (6x, confirmed over 30 minutes).
 */
export const BURN_WINDOWS = [
  { name: 'Fast', factor: 14.4, long: '1h', short: '5m', for: '2m', severity: 'critical' },
  { name: 'Slow', factor: 6, long: '6h', short: '30m', for: '15m', severity: 'warning' },
] as const;

/** DynamoDB error names that mean throttling (SDK v3 `error.name`). */
export const THROTTLING_ERRORS = [
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
] as const;

/**
 * DynamoDB error names that are answers, not failures: a transaction cancelled by its condition (a duplicate
 * person, a concurrent delete) is how the service enforces uniqueness.
 */
export const EXPECTED_DYNAMODB_ERRORS = [
  'TransactionCanceledException',
  'ConditionalCheckFailedException',
] as const;

// Probes call these; a draining pod's 503 on /readyz is not user pain.
const PROBE_ROUTES = '/healthz|/readyz';

/** Trims float noise (0.1% of 14.4 is 0.0144, not 0.014400000000000001). */
function num(n: number): string {
  return String(Number(n.toPrecision(10)));
}

/**
 * The alert groups of one environment: availability and latency SLO burn rates, pods not ready, crash
 * loops, DynamoDB errors and throttling. Service series come from the service's own `/metrics`; pod state
 * from kube-state-metrics (a cluster prerequisite).
 */
export function alertGroups(target: AlertTarget, settings: MonitoringSettings): AlertGroup[] {
  const ns = `namespace="${target.namespace}"`;
  const api = `${ns},route!~"${PROBE_ROUTES}"`;
  const labels = (severity: string) => ({ severity, environment: target.environment });
  const errorBudget = 1 - settings.availabilityObjectivePercent / 100;
  const latencyBudget = 1 - settings.latencyObjectivePercent / 100;
  const le = String(settings.latencyThresholdSeconds);

  const errorRatio = (w: string) =>
    `(sum(rate(http_requests_total{${api},status=~"5.."}[${w}])) / sum(rate(http_requests_total{${api}}[${w}])))`;
  const slowRatio = (w: string) =>
    `(1 - sum(rate(http_request_duration_seconds_bucket{${api},le="${le}"}[${w}])) / sum(rate(http_request_duration_seconds_count{${api}}[${w}])))`;

  const slo: AlertRule[] = BURN_WINDOWS.flatMap((b) => [
    {
      alert: `GuestlistErrorBudgetBurn${b.name}`,
      expr: `${errorRatio(b.long)} > ${num(b.factor * errorBudget)} and ${errorRatio(b.short)} > ${num(b.factor * errorBudget)}`,
      for: b.for,
      labels: labels(b.severity),
      annotations: {
        summary: `${target.environment}: 5xx responses burn the availability error budget ${b.factor}x too fast`,
        description: `More than ${num(b.factor * errorBudget * 100)}% of API requests in ${target.namespace} failed with 5xx over ${b.long} and ${b.short} (SLO ${settings.availabilityObjectivePercent}%).`,
      },
    },
    {
      alert: `GuestlistLatencyBudgetBurn${b.name}`,
      expr: `${slowRatio(b.long)} > ${num(b.factor * latencyBudget)} and ${slowRatio(b.short)} > ${num(b.factor * latencyBudget)}`,
      for: b.for,
      labels: labels(b.severity),
      annotations: {
        summary: `${target.environment}: slow responses burn the latency error budget ${b.factor}x too fast`,
        description: `More than ${num(b.factor * latencyBudget * 100)}% of API requests in ${target.namespace} took longer than ${le} s over ${b.long} and ${b.short} (SLO ${settings.latencyObjectivePercent}%).`,
      },
    },
  ]);

  const pod = `${ns},pod=~"${target.service}-.*"`;
  const container = `${ns},container="${target.service}"`;
  const throttles = THROTTLING_ERRORS.join('|');
  const workload: AlertRule[] = [
    {
      alert: 'GuestlistPodsNotReady',
      expr: `sum by (pod) (kube_pod_status_ready{${pod},condition=~"false|unknown"}) > 0`,
      for: `${settings.podsNotReadyMinutes}m`,
      labels: labels('warning'),
      annotations: {
        summary: `${target.environment}: pod {{ $labels.pod }} is not ready`,
        description: `Pod {{ $labels.pod }} in ${target.namespace} has not been ready for ${settings.podsNotReadyMinutes} minutes.`,
      },
    },
    {
      alert: 'GuestlistCrashLooping',
      expr: `max by (pod) (kube_pod_container_status_waiting_reason{${container},reason="CrashLoopBackOff"}) > 0 or max by (pod) (increase(kube_pod_container_status_restarts_total{${container}}[15m])) > ${settings.crashLoopRestarts}`,
      for: '5m',
      labels: labels('critical'),
      annotations: {
        summary: `${target.environment}: pod {{ $labels.pod }} is crash looping`,
        description: `Container ${target.service} of {{ $labels.pod }} in ${target.namespace} is in CrashLoopBackOff or restarted more than ${settings.crashLoopRestarts} times in 15 minutes.`,
      },
    },
    {
      alert: 'GuestlistDynamoDBErrors',
      expr: `sum(rate(dynamodb_call_errors_total{${ns},error!~"${EXPECTED_DYNAMODB_ERRORS.join('|')}"}[5m])) / sum(rate(dynamodb_call_duration_seconds_count{${ns}}[5m])) > ${num(settings.dynamodbErrorRatio)}`,
      for: '5m',
      labels: labels('critical'),
      annotations: {
        summary: `${target.environment}: DynamoDB calls are failing`,
        description: `More than ${num(settings.dynamodbErrorRatio * 100)}% of DynamoDB calls from ${target.namespace} failed for 5 minutes.`,
      },
    },
    {
      alert: 'GuestlistDynamoDBThrottled',
      expr: `sum(rate(dynamodb_call_errors_total{${ns},error=~"${throttles}"}[5m])) > ${num(settings.dynamodbThrottlesPerSecond)}`,
      for: '5m',
      labels: labels('warning'),
      annotations: {
        summary: `${target.environment}: DynamoDB throttles the service`,
        description: `DynamoDB throttled more than ${num(settings.dynamodbThrottlesPerSecond)} calls per second from ${target.namespace} for 5 minutes.`,
      },
    },
  ];
  return [
    { name: `${target.service}-slo`, rules: slo },
    { name: `${target.service}-workload`, rules: workload },
  ];
}

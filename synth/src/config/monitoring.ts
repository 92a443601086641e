// The `monitoring` key of an environment file: its schema and defaults (SLO objectives, alert and dashboard
// settings).
import { z } from 'zod';

/**
 * Upper bounds (seconds) of the service's `http_request_duration_seconds` histogram buckets
 * (service/src/observability/metrics.ts). A latency objective must sit on one of them: the ratio of fast
 * requests is read from the `le` bucket of exactly that bound.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Monitoring defaults; each is an environment key under `monitoring`. */
export const MONITORING_DEFAULTS = {
  enabled: true,
  prometheusNamespace: 'monitoring',
  ruleLabels: { release: 'kube-prometheus-stack' },
  availabilityObjectivePercent: 99.9,
  latencyObjectivePercent: 99,
  latencyThresholdSeconds: 0.5,
  podsNotReadyMinutes: 10,
  crashLoopRestarts: 3,
  dynamodbErrorRatio: 0.05,
  dynamodbThrottlesPerSecond: 0,
} as const;

const D = MONITORING_DEFAULTS;
const objective = z
  .number()
  .min(50, 'must be at least 50 (a percentage of good requests)')
  .max(99.999, 'must be at most 99.999 (a 100% objective leaves no error budget to burn)');

/** The `monitoring` key of an environment file. */
export const monitoringSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(D.enabled)
      .describe(
        'Render the PodMonitor, PrometheusRule and Grafana dashboard (needs the Prometheus Operator)',
      ),
    prometheusNamespace: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a namespace name')
      .default(D.prometheusNamespace)
      .describe('Namespace Prometheus scrapes from; the NetworkPolicy admits it to the metrics port'),
    ruleLabels: z
      .record(z.string(), z.string())
      .default({ ...D.ruleLabels })
      .describe(
        "Labels Prometheus' podMonitorSelector and ruleSelector match (kube-prometheus-stack: release)",
      ),
    availabilityObjectivePercent: objective
      .default(D.availabilityObjectivePercent)
      .describe('Availability SLO: percent of requests that are not 5xx (probes excluded), over 30 days'),
    latencyObjectivePercent: objective
      .default(D.latencyObjectivePercent)
      .describe('Latency SLO: percent of requests faster than latencyThresholdSeconds'),
    latencyThresholdSeconds: z
      .literal(LATENCY_BUCKETS, {
        error: `must be a bucket bound of http_request_duration_seconds: ${LATENCY_BUCKETS.join(', ')}`,
      })
      .default(D.latencyThresholdSeconds)
      .describe('Latency SLO threshold: a bucket bound of the service histogram'),
    podsNotReadyMinutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(D.podsNotReadyMinutes)
      .describe('Alert when a pod stays not ready this long'),
    crashLoopRestarts: z
      .number()
      .int()
      .min(1)
      .default(D.crashLoopRestarts)
      .describe(
        'Alert when a container restarts more than this often in 15 minutes, or sits in CrashLoopBackOff',
      ),
    dynamodbErrorRatio: z
      .number()
      .min(0.0001)
      .max(0.99)
      .default(D.dynamodbErrorRatio)
      .describe('Alert when this fraction of DynamoDB calls fails for 5 minutes'),
    dynamodbThrottlesPerSecond: z
      .number()
      .min(0)
      .default(D.dynamodbThrottlesPerSecond)
      .describe('Alert when DynamoDB throttles more than this many calls per second for 5 minutes'),
  })
  .default({ ...D, ruleLabels: { ...D.ruleLabels } })
  .describe('Prometheus scraping, SLO alerts and the Grafana dashboard');

/** The monitoring settings of an environment, defaults applied. */
export type MonitoringSettings = z.output<typeof monitoringSchema>;

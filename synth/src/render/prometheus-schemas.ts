// Our strict schemas of the PodMonitor and PrometheusRule synth renders, at the Prometheus Operator release the
// cluster entries pin.
import { z } from 'zod';
import { schemaProblems } from './ack-schemas';

/**
 * Strict schemas of the Prometheus Operator `PodMonitor` and `PrometheusRule` synth renders, at the API version
 * the pinned release serves (`monitoring.coreos.com/v1`; kube-prometheus-stack 81.4.5 ships operator v0.88.0).
 * Written here from the operator's CRDs (`example/prometheus-operator-crd/`, and the copies the chart carries in
 * `charts/crds/crds/`) and its API types (`pkg/apis/monitoring/v1/`) at the versions named in `crd-contracts.ts`;
 * no upstream file is copied. `@kubernetes-models/prometheus-operator` 6.0 is not used: the operator release it
 * was generated from is not stated, and its validators compile their patterns with RE2 (WebAssembly) at load,
 * about 30 ms of every synth start. Like the ACK and External Secrets schemas these hold only the fields synth
 * renders, with the CRD's names, patterns and required fields, so anything else is an error naming its JSON
 * path. Fields the CRD has and synth does not render (`partial_response_strategy`, `keep_firing_for`,
 * `relabelings`, `scheme`, ...) are refused too: rendering one means reading its CRD entry first.
 */

/**
 * The CRDs' pattern of the operator's `Duration` type (e.g. `30s`, `1h30m`, `0`), the same for a scrape interval
 * and timeout, a rule group's interval and a rule's `for` in every CRD version read. It has no inline flags, so JavaScript
 * reads it as the API server does.
 */
const duration = z
  .string()
  .regex(
    /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/,
    'must be a Prometheus duration such as "30s" or "1h30m"',
  );

/** A DNS-1123 subdomain, what the API server requires of an object name. */
const subdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain');

const stringMap = z.record(z.string(), z.string());

const metadata = z.strictObject({
  name: subdomain,
  namespace: z.string().min(1),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

/** `PodMonitorSpec`: `selector` is its one required field; no field synth renders has a `default:`. */
const podMonitorSpec = z.strictObject({
  selector: z.strictObject({ matchLabels: stringMap.optional() }),
  podMetricsEndpoints: z
    .array(
      z.strictObject({
        port: z.string().optional(),
        path: z.string().optional(),
        interval: duration.optional(),
        scrapeTimeout: duration.optional(),
      }),
    )
    .optional(),
});

/** `Rule`: `expr` is required (an int-or-string in the CRD); `for` is a Duration. */
const rule = z.strictObject({
  alert: z.string().optional(),
  expr: z.union([z.string(), z.number().int()], { error: 'must be a PromQL expression (string)' }),
  for: duration.optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

/** `RuleGroup`: `name` is required and at least one character. */
const ruleGroup = z.strictObject({
  name: z.string().min(1),
  interval: duration.optional(),
  rules: z.array(rule).optional(),
});

/** `PrometheusRuleSpec.groups` is a list map keyed by `name` (`x-kubernetes-list-type: map`): names are unique. */
const ruleGroups = z.array(ruleGroup).superRefine((groups, ctx) => {
  const seen = new Set<string>();
  for (const [i, g] of groups.entries()) {
    if (seen.has(g.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicates group "${g.name}"` });
    seen.add(g.name);
  }
});

/** `apiVersion/kind` -> schema of every Prometheus Operator kind synth may render. */
export const PROMETHEUS_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'monitoring.coreos.com/v1/PodMonitor': z.strictObject({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PodMonitor'),
    metadata,
    spec: podMonitorSpec,
  }),
  'monitoring.coreos.com/v1/PrometheusRule': z.strictObject({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PrometheusRule'),
    metadata,
    spec: z.strictObject({ groups: ruleGroups.optional() }),
  }),
};

/** Problems of a Prometheus Operator object, one line each; undefined when it is not a kind listed above. */
export function prometheusProblems(obj: object): string[] | undefined {
  return schemaProblems(PROMETHEUS_SCHEMAS, obj);
}

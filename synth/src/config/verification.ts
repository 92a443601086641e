// The `verification` key of an environment file: the metrics soak `synth verify` runs through Prometheus.
import { z } from 'zod';
import { DURATION_PATTERN, DURATION_RULE, parseDuration } from '../domain/duration';

// A text that is not a duration is reported once (its rule); only a real duration can be "0".
const duration = z
  .string()
  .regex(DURATION_PATTERN, `must be ${DURATION_RULE}`)
  .refine((d) => (parseDuration(d) ?? 1) > 0, { message: 'must be longer than 0' });

const query = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
      'must be lowercase letters, digits and "-" (1-63 characters)',
    )
    .describe('Named in the failure message'),
  query: z
    .string()
    .trim()
    .min(1, 'must be a PromQL expression')
    .describe('PromQL; every sample over the soak is checked'),
  max: z.number().describe('The largest value that passes; a sample above it fails verify'),
});

/**
 * The optional `verification` key of an environment file: `synth verify <env>` evaluates each query through the
 * Prometheus HTTP API over the soak window once the rollout is complete, and fails with the query's name and
 * value when a sample exceeds its `max`.
 */
export const VerificationSchema = z
  .strictObject({
    prometheus: z
      .strictObject({
        url: z
          .url({ protocol: /^https?$/, error: 'must be an http or https URL such as http://prometheus:9090' })
          .describe('Prometheus base URL, e.g. http://prometheus-operated.monitoring.svc:9090'),
      })
      .describe('Where the queries run'),
    soak: duration.default('5m').describe('How long every query must hold after the rollout is complete'),
    interval: duration.default('30s').describe('Evaluation step, and the pause between evaluations'),
    queries: z.array(query).min(1, 'must list at least one query'),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.queries.forEach((q, i) => {
      if (seen.has(q.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['queries', i, 'name'],
          message: `"${q.name}" is used by another query`,
        });
      }
      seen.add(q.name);
    });
    const soakMs = parseDuration(v.soak) ?? 0;
    const intervalMs = parseDuration(v.interval);
    if (soakMs > 0 && intervalMs !== undefined && intervalMs > soakMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: `(${v.interval}) must not be longer than soak (${v.soak})`,
      });
    }
  })
  .describe('Metrics verification for synth verify (what Kargo does with analysis runs)');

/** A parsed `verification` key. */
export type Verification = z.output<typeof VerificationSchema>;

/** One bounded query of `verification.queries`. */
export interface VerificationQuery {
  readonly name: string;
  readonly query: string;
  /** The largest value that passes. */
  readonly max: number;
}

/** An environment's metrics verification as verify runs it: durations in milliseconds. */
export interface MetricsVerification {
  readonly prometheusUrl: string;
  readonly soakMs: number;
  /** Evaluation step and the pause between evaluations. */
  readonly intervalMs: number;
  readonly queries: readonly VerificationQuery[];
  /** Where it was declared, for messages, e.g. `environments/dev.yaml`. */
  readonly source: string;
}

/** The `verification` key of a validated file, in the form verify runs (the schema proved the durations). */
export function metricsVerification(v: Verification, source: string): MetricsVerification {
  return {
    prometheusUrl: v.prometheus.url,
    soakMs: parseDuration(v.soak) ?? 0,
    intervalMs: parseDuration(v.interval) ?? 0,
    queries: v.queries,
    source,
  };
}

import { z } from 'zod';

// Durations as `synth verify` reads them: whole numbers with ms, s, m or h, combinable (`1m30s`).
const DURATION = /^([0-9]+(ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([0-9]+)(ms|s|m|h)/g))
    total += Number(n) * (UNIT_MS[unit as string] ?? 0);
  return total;
}

const duration = z
  .string()
  .regex(DURATION, 'must be a duration such as 30s, 5m or 1h30m (whole numbers with ms, s, m or h)')
  .refine((d) => !DURATION.test(d) || durationMs(d) > 0, { message: 'must be longer than 0' });

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
    const soakMs = DURATION.test(v.soak) ? durationMs(v.soak) : 0;
    if (soakMs > 0 && DURATION.test(v.interval) && durationMs(v.interval) > soakMs) {
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

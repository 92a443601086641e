// Metrics verification: each declared PromQL query is evaluated through the Prometheus HTTP API
// (/api/v1/query_range) over the soak window; a sample above the query's bound fails verify with the
// query's name and value. What Kargo does with AnalysisRuns, without a controller.

import type { MetricsVerification, VerificationQuery } from '../config';
import { CommandError } from '../errors';

// The form verify runs a `verification` key in is the config's (durations already in milliseconds).
export type { MetricsVerification, VerificationQuery } from '../config';

/** One series of a range query: its labels and `[unix seconds, value]` samples. */
export interface Series {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/** Prometheus refused the query itself (400 bad_data, 422 execution): waiting will not help. */
export class PrometheusQueryError extends CommandError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'PrometheusQueryError';
  }
}

/** Prometheus could not be asked (unreachable, 5xx, timeout): a condition to wait on. */
export class PrometheusUnavailableError extends CommandError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'PrometheusUnavailableError';
  }
}

/** Runs one range query; throws {@link PrometheusQueryError} or {@link PrometheusUnavailableError}. */
export async function queryRange(
  baseUrl: string,
  q: VerificationQuery,
  range: { readonly startSec: number; readonly endSec: number; readonly stepSec: number },
  timeoutMs = 10_000,
): Promise<Series[]> {
  const url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const body = new URLSearchParams({
    query: q.query,
    start: range.startSec.toFixed(3),
    end: range.endSec.toFixed(3),
    step: `${range.stepSec}`,
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const cause =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (e.cause?.message ?? e.cause?.code ?? e.message);
    throw new PrometheusUnavailableError(`Prometheus at ${baseUrl} cannot be queried: ${cause}`);
  }
  const text = await response.text();
  let json: {
    status?: string;
    error?: string;
    errorType?: string;
    data?: { resultType?: string; result?: unknown };
  };
  try {
    json = JSON.parse(text);
  } catch {
    throw new PrometheusUnavailableError(
      `Prometheus at ${baseUrl} answered HTTP ${response.status} without JSON`,
    );
  }
  if (response.status === 400 || response.status === 422) {
    throw new PrometheusQueryError(
      `verification query "${q.name}" is refused by Prometheus (${json.errorType ?? response.status}): ${json.error ?? text}`,
    );
  }
  if (!response.ok || json.status !== 'success') {
    throw new PrometheusUnavailableError(
      `Prometheus at ${baseUrl} answered HTTP ${response.status}: ${json.error ?? json.status ?? 'no error text'}`,
    );
  }
  if (json.data?.resultType !== 'matrix') {
    throw new PrometheusQueryError(
      `verification query "${q.name}" gave a ${json.data?.resultType} result, not a matrix`,
    );
  }
  return (json.data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({
    metric: s.metric,
    values: s.values,
  }));
}

/** What one query's samples say. */
export type QueryOutcome =
  | {
      readonly kind: 'breach';
      readonly value: number;
      readonly atSec: number;
      readonly metric: Readonly<Record<string, string>>;
    }
  /** `samples` counts numeric samples (NaN, e.g. a quantile of no requests, is no data). */
  | { readonly kind: 'within'; readonly samples: number; readonly highest?: number };

/** A sample value as Prometheus writes it (`+Inf`, `-Inf` and `NaN` included). */
export function sampleValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** The first sample above `max` (+Inf included); else how many samples there were and the highest. */
export function findBreach(series: readonly Series[], max: number): QueryOutcome {
  let samples = 0;
  let highest: number | undefined;
  const points = series.flatMap((s) =>
    s.values.map(([t, v]) => ({ t, v: sampleValue(v), metric: s.metric })),
  );
  points.sort((a, b) => a.t - b.t);
  for (const p of points) {
    if (Number.isNaN(p.v)) continue;
    if (p.v > max) return { kind: 'breach', value: p.v, atSec: p.t, metric: p.metric };
    samples++;
    highest = highest === undefined ? p.v : Math.max(highest, p.v);
  }
  return { kind: 'within', samples, ...(highest !== undefined ? { highest } : {}) };
}

/** `{code="500", route="/guests"}`, or '' without labels. */
export function formatMetric(metric: Readonly<Record<string, string>>): string {
  const entries = Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? '' : ` {${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** Where the metrics soak stands after one evaluation. */
export type SoakState =
  | { readonly kind: 'breach'; readonly reason: string }
  | { readonly kind: 'soaking'; readonly reason: string }
  | { readonly kind: 'passed'; readonly summary: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Evaluates every query over [start, now] (capped at start + soak). A breach fails at once; after the whole
 * soak window every query must have had data, and then the soak has passed.
 */
export async function evaluateSoak(
  v: MetricsVerification,
  startMs: number,
  nowMs: number,
  timeoutMs = 10_000,
): Promise<SoakState> {
  const endMs = Math.min(nowMs, startMs + v.soakMs);
  const stepSec = Math.max(v.intervalMs / 1000, 0.001);
  const done = nowMs >= startMs + v.soakMs;
  const results: { q: VerificationQuery; outcome: QueryOutcome }[] = [];
  try {
    const all = await Promise.all(
      v.queries.map((q) =>
        queryRange(
          v.prometheusUrl,
          q,
          { startSec: startMs / 1000, endSec: endMs / 1000, stepSec },
          timeoutMs,
        ),
      ),
    );
    all.forEach((series, i) => {
      results.push({
        q: v.queries[i] as VerificationQuery,
        outcome: findBreach(series, (v.queries[i] as VerificationQuery).max),
      });
    });
  } catch (error) {
    if (error instanceof PrometheusUnavailableError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  for (const { q, outcome } of results) {
    if (outcome.kind === 'breach') {
      return {
        kind: 'breach',
        reason: `verification query "${q.name}" was ${outcome.value} at ${new Date(outcome.atSec * 1000).toISOString()}${formatMetric(outcome.metric)}, above its max ${q.max} (${v.source})`,
      };
    }
  }
  const soaked = Math.round((endMs - startMs) / 1000);
  if (!done) {
    return { kind: 'soaking', reason: `metrics soak: ${soaked} s of ${v.soakMs / 1000} s within bounds` };
  }
  const empty = results.find((r) => r.outcome.kind === 'within' && r.outcome.samples === 0);
  if (empty) {
    return {
      kind: 'breach',
      reason: `verification query "${empty.q.name}" returned no data over the ${v.soakMs / 1000} s soak (${v.source}); if no series means zero, end the query with "or vector(0)"`,
    };
  }
  const summary = results
    .map(
      ({ q, outcome }) => `${q.name} ≤ ${outcome.kind === 'within' ? outcome.highest : '?'} (max ${q.max})`,
    )
    .join(', ');
  return { kind: 'passed', summary: `metrics held for ${v.soakMs / 1000} s: ${summary}` };
}

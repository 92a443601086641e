/** One measured scenario: throughput and latency over its measuring window. */
export interface ScenarioResult {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests including the warm-up ones (for CPU time per request). */
  readonly allRequests?: number;
  /** CPU ms per request (warm-up included) of each process involved, when measured. */
  readonly cpuMsPerRequest?: Readonly<Record<string, number>>;
  /** First unexpected status or error message seen, to explain a non-zero `errors`. */
  readonly firstError?: string;
}

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** Summarizes latencies (ms) recorded during a window of `seconds`. */
export function summarize(
  name: string,
  latenciesMs: readonly number[],
  errors: number,
  seconds: number,
  firstError?: string,
): ScenarioResult {
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    name,
    requests: latenciesMs.length,
    errors,
    seconds,
    rps: latenciesMs.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** Renders rows as a fixed-width text table (first row is the header). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((value, i) => {
      widths[i] = Math.max(widths[i] ?? 0, value.length);
    });
  }
  const line = (row: readonly string[]) => row.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ');
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Median of the values (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One scenario over several rounds: the median of each measure, requests and errors summed. */
export function medianOf(rounds: readonly ScenarioResult[]): ScenarioResult {
  const first = rounds[0];
  if (first === undefined) throw new Error('medianOf needs at least one round');
  const cpu: Record<string, number> = {};
  for (const name of Object.keys(first.cpuMsPerRequest ?? {})) {
    cpu[name] = median(rounds.map((r) => r.cpuMsPerRequest?.[name] ?? Number.NaN));
  }
  const firstError = rounds.find((r) => r.firstError !== undefined)?.firstError;
  return {
    name: first.name,
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    seconds: rounds.reduce((sum, r) => sum + r.seconds, 0),
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    cpuMsPerRequest: cpu,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

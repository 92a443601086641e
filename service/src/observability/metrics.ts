/** Prometheus text exposition written by hand: a few counters and histograms, no dependency. */

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const renderLabels = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
};
// Callers pass a metric's labels with the same keys in the same order, so the values alone identify a series;
// this runs twice per request, where JSON.stringify(Object.entries()) and then Object.values().join() showed up
// in the profile, hence a plain loop.
const keyOf = (labels: Labels) => {
  let key = '';
  for (const name in labels) key += `${labels[name]}\u0000`;
  return key;
};

/** A monotonically increasing counter with labels. */
export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry === undefined) this.values.set(key, { labels, value: by });
    else entry.value += by;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${renderLabels(labels)} ${value}`);
    return lines.join('\n');
  }
}

/** A histogram with fixed buckets (seconds) and labels. */
export class Histogram {
  private readonly values = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let entry = this.values.get(key);
    if (entry === undefined) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.values.set(key, entry);
    }
    const buckets = this.buckets;
    const counts = entry.counts;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= (buckets[i] ?? Number.POSITIVE_INFINITY)) counts[i] = (counts[i] ?? 0) + 1;
    }
    entry.sum += value;
    entry.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.values.values()) {
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket${renderLabels({ ...labels, le: String(bound) })} ${counts[i] ?? 0}`);
      });
      lines.push(`${this.name}_bucket${renderLabels({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${renderLabels(labels)} ${sum}`);
      lines.push(`${this.name}_count${renderLabels(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** The service's metrics. One instance per app (tests build many apps side by side). */
export class Metrics {
  readonly httpRequests = new Counter(
    'http_requests_total',
    'HTTP requests by route pattern, method and status.',
  );
  readonly httpDuration = new Histogram(
    'http_request_duration_seconds',
    'HTTP request latency by route pattern and method.',
  );
  readonly dynamoDuration = new Histogram(
    'dynamodb_call_duration_seconds',
    'DynamoDB call latency by operation.',
  );
  readonly dynamoErrors = new Counter(
    'dynamodb_call_errors_total',
    'Failed DynamoDB calls by operation and error.',
  );

  /** Records one finished HTTP request. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  /** Records one DynamoDB call; usable directly as a store observer. */
  readonly recordDynamoCall = (operation: string, seconds: number, errorName?: string): void => {
    this.dynamoDuration.observe({ operation }, seconds);
    if (errorName !== undefined) this.dynamoErrors.inc({ operation, error: errorName });
  };

  /** The Prometheus text exposition (format 0.0.4). */
  render(): string {
    return `${[this.httpRequests, this.httpDuration, this.dynamoDuration, this.dynamoErrors].map((m) => m.render()).join('\n')}\n`;
  }
}

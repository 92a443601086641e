// The service's Prometheus metrics (HTTP requests, DynamoDB calls, optionally the runtime), in one
// registry per app.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Options of {@link Metrics}. */
export interface MetricsOptions {
  /**
   * Also collect prom-client's process and runtime metrics (CPU, memory, file descriptors, GC, event-loop
   * lag). Off for the many apps tests build in one process; on in the server. @default false
   */
  readonly runtime?: boolean;
}

/**
 * The service's metrics in their own prom-client registry (one per app; tests build many side by side).
 * Names and labels are the ones the hand-written exposition had, so dashboards and alerts keep working.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route pattern, method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and method.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly dynamoDuration = new Histogram({
    name: 'dynamodb_call_duration_seconds',
    help: 'DynamoDB call latency by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly dynamoErrors = new Counter({
    name: 'dynamodb_call_errors_total',
    help: 'Failed DynamoDB calls by operation and error.',
    labelNames: ['operation', 'error'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.runtime) collectDefaultMetrics({ register: this.registry });
  }

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

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type of {@link Metrics.render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

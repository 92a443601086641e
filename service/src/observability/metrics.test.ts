import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';
import { metricsApp } from './metrics-app';

describe('Metrics', () => {
  it('should record requests and DynamoDB errors as separate series, under the names dashboards use', async () => {
    const m = new Metrics();
    m.recordRequest('GET', '/guests/:seq_num', 200, 0.002);
    m.recordRequest('GET', '/guests/:seq_num', 404, 0.002);
    m.recordDynamoCall('GetItem', 0.001, 'ThrottlingException');
    const text = await m.render();
    expect(text).toContain('http_requests_total{method="GET",route="/guests/:seq_num",status="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/guests/:seq_num",status="404"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/guests/:seq_num"} 2',
    );
    expect(text).toContain('dynamodb_call_errors_total{operation="GetItem",error="ThrottlingException"} 1');
    expect(text).toContain('dynamodb_call_duration_seconds_count{operation="GetItem"} 1');
    expect(text).not.toContain('process_cpu_seconds_total');
  });

  it('should add process, GC and event-loop metrics when asked', async () => {
    const text = await new Metrics({ runtime: true }).render();
    for (const name of [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});

describe('metricsApp', () => {
  it('should serve GET /metrics in the Prometheus text format and nothing else', async () => {
    const m = new Metrics();
    m.recordDynamoCall('Scan', 0.01);
    const app = metricsApp(m);
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toContain('dynamodb_call_duration_seconds_count{operation="Scan"} 1');
    const other = await app.request('/guests');
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({
      error: 'Route GET /guests not found; this port serves GET /metrics',
    });
  });
});

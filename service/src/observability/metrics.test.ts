import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Metrics } from './metrics';

describe('Counter', () => {
  it('should keep one series per distinct label set and escape label values', () => {
    const c = new Counter('x_total', 'Things.');
    c.inc({ route: '/a', status: '200' });
    c.inc({ route: '/a', status: '200' }, 2);
    c.inc({ route: '/a', status: '404' });
    c.inc({ route: 'say "hi"\n', status: '200' });
    expect(c.render()).toBe(
      [
        '# HELP x_total Things.',
        '# TYPE x_total counter',
        'x_total{route="/a",status="200"} 3',
        'x_total{route="/a",status="404"} 1',
        'x_total{route="say \\"hi\\"\\n",status="200"} 1',
      ].join('\n'),
    );
  });
});

describe('Histogram', () => {
  it('should count cumulative buckets, sum and count per series', () => {
    const h = new Histogram('d_seconds', 'Latency.', [0.1, 1]);
    h.observe({ op: 'Get' }, 0.05);
    h.observe({ op: 'Get' }, 0.5);
    h.observe({ op: 'Get' }, 3);
    expect(h.render().split('\n').slice(2)).toEqual([
      'd_seconds_bucket{op="Get",le="0.1"} 1',
      'd_seconds_bucket{op="Get",le="1"} 2',
      'd_seconds_bucket{op="Get",le="+Inf"} 3',
      'd_seconds_sum{op="Get"} 3.55',
      'd_seconds_count{op="Get"} 3',
    ]);
  });
});

describe('Metrics', () => {
  it('should record requests and DynamoDB errors as separate series', () => {
    const m = new Metrics();
    m.recordRequest('GET', '/guests/:seq_num', 200, 0.002);
    m.recordRequest('GET', '/guests/:seq_num', 404, 0.002);
    m.recordDynamoCall('GetItem', 0.001, 'ThrottlingException');
    const text = m.render();
    expect(text).toContain('http_requests_total{method="GET",route="/guests/:seq_num",status="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/guests/:seq_num",status="404"} 1');
    expect(text).toContain('dynamodb_call_errors_total{operation="GetItem",error="ThrottlingException"} 1');
    expect(text.endsWith('\n')).toBe(true);
  });
});

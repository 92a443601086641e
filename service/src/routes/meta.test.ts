import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';
import type { App } from '../app';

describe('/api, /openapi.json, metrics and common headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ config: { environment: 'dev', version: '1.2.3' } });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should describe the service on /api', async () => {
    const res = await h.app.request('/api');
    expect(await res.json()).toEqual({
      name: 'Guest List API',
      version: '1.2.3',
      storage: 'dynamodb',
      table: h.tableName,
      environment: 'dev',
    });
  });

  it('should serve OpenAPI 3.1 whose POST body schema is the zod schema', async () => {
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Guest List API', version: '1.2.3' });
    expect(doc.paths['/guests'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/GuestInput',
    });
    expect(doc.components.schemas.GuestInput.required).toEqual([
      'id',
      'firstname',
      'surname',
      'quantity',
      'phone',
      'email',
    ]);
    expect(doc.components.schemas.GuestInput.properties.phone.pattern).toBe('^0\\d{8,9}$');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api',
      '/guests',
      '/guests/{seq_num}',
      '/health',
      '/healthz',
      '/readyz',
    ]);
    expect(doc.paths['/guests'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'limit',
      'cursor',
    ]);
    expect(doc.paths['/guests'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/guests'].post.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '409',
      '413',
      '415',
      '503',
    ]);
  });

  it('should give a typed client (hc) whose calls reach the routes', async () => {
    const client = hc<App>('http://localhost', { fetch: h.app.request });
    const created = await client.guests.$post({ json: validGuest({ id: '500003' }) });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const { guest } = await created.json();
    const read = await client.guests[':seq_num'].$get({ param: { seq_num: guest.seq_num } });
    expect(read.status).toBe(200);
    if (read.status === 200) expect((await read.json()).surname).toBe('Levi');
    const page = await client.guests.$get({ query: { limit: '10' } });
    expect(page.status).toBe(200);
    if (page.status === 200) expect(Object.keys(await page.json())).toContain(guest.seq_num);
    const health = await client.health.$get();
    if (health.status === 200) expect((await health.json()).dynamodb).toBe('ok');
  });

  it('should not serve /metrics on the API port', async () => {
    const res = await h.app.request('/metrics');
    expect(res.status).toBe(404);
  });

  it('should count requests by route pattern and DynamoDB calls by operation in the metrics', async () => {
    const created = await (await h.post(validGuest({ id: '500001' }))).json();
    await h.app.request(`/guests/${created.guest.seq_num}`);
    await h.app.request('/guests/missing-one');
    await h.app.request('/no/such/route');
    const text = await h.metrics.render();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/guests",status="201"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/guests\/:seq_num",status="200"\} \d+/);
    expect(text).toContain('http_requests_total{method="GET",route="/guests/:seq_num",status="404"} 1');
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/guests"\} \d+\n/,
    );
    expect(text).toMatch(/dynamodb_call_duration_seconds_count\{operation="TransactWriteItems"\} \d+/);
    expect(text).toMatch(/dynamodb_call_duration_seconds_count\{operation="GetItem"\} \d+/);
    expect(text).not.toContain(created.guest.seq_num);
  });

  it('should put the secure headers and a request id on every response, errors included', async () => {
    for (const path of ['/api', '/nope', '/guests?limit=0', '/guests/x?_method=PUT']) {
      const res = await h.app.request(path);
      expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('should log successful probes at debug and everything else at info or above', async () => {
    h.logger.lines.length = 0;
    await h.app.request('/healthz');
    await h.app.request('/readyz');
    await h.app.request('/api');
    await h.app.request('/nope');
    expect(h.logger.lines.map((l) => [l.route, l.status, l.level])).toEqual([
      ['/healthz', 200, 'debug'],
      ['/readyz', 200, 'debug'],
      ['/api', 200, 'info'],
      ['unmatched', 404, 'info'],
    ]);
  });

  it('should log one JSON line per request without personal data', async () => {
    h.logger.lines.length = 0;
    const guest = validGuest({
      id: '500002',
      firstname: 'Secretname',
      phone: '0529999999',
      email: 'hide@me.example',
    });
    await h.post(guest, { 'X-Request-Id': 'trace-42' });
    await h.post({ ...guest, phone: 'bad-0529999999' }, { 'X-Request-Id': 'trace-43' });
    expect(h.logger.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request',
        request_id: 'trace-42',
        method: 'POST',
        route: '/guests',
        status: 201,
        duration_ms: expect.any(Number),
      }),
      expect.objectContaining({ request_id: 'trace-43', status: 400 }),
    ]);
    const text = JSON.stringify(h.logger.lines);
    for (const secret of ['500002', 'Secretname', '0529999999', 'hide@me.example']) {
      expect(text).not.toContain(secret);
    }
  });
});

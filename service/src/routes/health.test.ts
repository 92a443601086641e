import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';
import { Readiness } from '../readiness';

describe('/health, /healthz, /readyz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should report the exact guest count without a scan', async () => {
    expect(await (await h.app.request('/health')).json()).toEqual({ status: 'healthy', guests_count: 0 });
    const a = await (await h.post(validGuest({ id: '600001' }))).json();
    await h.post(validGuest({ id: '600002' }));
    await h.post(validGuest({ id: '600002' })); // 409: not counted
    expect(await (await h.app.request('/health')).json()).toEqual({ status: 'healthy', guests_count: 2 });
    await h.app.request(`/guests/${a.guest.seq_num}`, { method: 'DELETE' });
    await h.app.request(`/guests/${a.guest.seq_num}`, { method: 'DELETE' }); // 404: not counted
    expect(await (await h.app.request('/health')).json()).toEqual({ status: 'healthy', guests_count: 1 });
    const metrics = await (await h.app.request('/metrics')).text();
    expect(metrics).not.toContain('operation="Scan"');
  });

  it('should answer /healthz without touching any dependency', async () => {
    const before = await (await h.app.request('/metrics')).text();
    const res = await h.app.request('/healthz');
    expect(await res.json()).toEqual({ status: 'ok' });
    const after = await (await h.app.request('/metrics')).text();
    const dynamoLines = (t: string) => t.split('\n').filter((l) => l.startsWith('dynamodb_'));
    expect(dynamoLines(after)).toEqual(dynamoLines(before));
  });

  it('should be ready while the table answers, and 503 once draining', async () => {
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    h.readiness.startDraining();
    const draining = await h.app.request('/readyz');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({
      status: 'not-ready',
      reason: 'draining: the server is shutting down',
    });
  });
});

describe('Readiness', () => {
  it('should cache a check result for cacheMs and share one check between concurrent callers', async () => {
    let calls = 0;
    let now = 0;
    let fail = false;
    const readiness = new Readiness({
      cacheMs: 1000,
      now: () => now,
      check: async () => {
        calls++;
        if (fail)
          throw new Error('Storage unavailable: DynamoDB DescribeTable failed (ECONNREFUSED); retry later');
      },
    });
    await Promise.all([readiness.state(), readiness.state(), readiness.state()]);
    expect(calls).toBe(1);
    fail = true;
    now = 999;
    expect(await readiness.state()).toEqual({ ready: true });
    now = 1000;
    expect(await readiness.state()).toEqual({
      ready: false,
      reason: 'Storage unavailable: DynamoDB DescribeTable failed (ECONNREFUSED); retry later',
    });
    expect(calls).toBe(2);
  });
});

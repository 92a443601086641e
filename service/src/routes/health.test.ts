import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';

describe('/health, /healthz, /readyz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should report the exact guest count without a scan', async () => {
    expect(await (await h.app.request('/health')).json()).toEqual({
      status: 'healthy',
      guests_count: 0,
      dynamodb: 'ok',
    });
    const a = await (await h.post(validGuest({ id: '600001' }))).json();
    await h.post(validGuest({ id: '600002' }));
    await h.post(validGuest({ id: '600002' })); // 409: not counted
    expect(await (await h.app.request('/health')).json()).toEqual({
      status: 'healthy',
      guests_count: 2,
      dynamodb: 'ok',
    });
    await h.app.request(`/guests/${a.guest.seq_num}`, { method: 'DELETE' });
    await h.app.request(`/guests/${a.guest.seq_num}`, { method: 'DELETE' }); // 404: not counted
    expect(await (await h.app.request('/health')).json()).toEqual({
      status: 'healthy',
      guests_count: 1,
      dynamodb: 'ok',
    });
    // Metrics are on their own port, not the app's: read the registry the app records into.
    const metrics = await h.metrics.render();
    expect(metrics).toContain('dynamodb_call_duration_seconds_count{operation="BatchGetItem"}');
    expect(metrics).not.toContain('operation="Scan"');
  });

  /** The DynamoDB series of the app's metrics (one call made first, so there are some to compare). */
  const dynamoLines = async () => {
    expect((await h.app.request('/health')).status).toBe(200);
    const lines = (await h.metrics.render()).split('\n').filter((l) => l.startsWith('dynamodb_'));
    expect(lines.length).toBeGreaterThan(0);
    return lines;
  };
  const dynamoLinesNow = async () =>
    (await h.metrics.render()).split('\n').filter((l) => l.startsWith('dynamodb_'));

  it('should answer /healthz without touching any dependency', async () => {
    const before = await dynamoLines();
    const res = await h.app.request('/healthz');
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(await dynamoLinesNow()).toEqual(before);
  });

  it('should be ready without calling DynamoDB, and 503 once draining', async () => {
    const before = await dynamoLines();
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await dynamoLinesNow()).toEqual(before);
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

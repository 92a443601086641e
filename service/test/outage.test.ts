import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGuestTables } from '../src/store/ensure-table';
import { type DynamoLocal, startDynamoLocal } from './ddb-local';
import { createHarness, type Harness, validGuest } from './harness';

// Its own DynamoDB Local: this file stops it, which must not disturb the other files.
describe('DynamoDB outage', () => {
  let ddb: DynamoLocal;
  let h: Harness;
  beforeAll(async () => {
    ddb = await startDynamoLocal();
    h = await createHarness({ endpoint: ddb.endpoint });
  });
  afterAll(async () => {
    await h?.dispose();
    await ddb?.stop();
  });

  it('should answer 503 with Retry-After within seconds while DynamoDB is down, then recover without restart', async () => {
    expect((await h.post(validGuest({ id: '111111' }))).status).toBe(201);
    await ddb.stop();

    const requests = [
      () => h.post(validGuest({ id: '111112' })),
      () => h.app.request('/guests'),
      () => h.app.request('/guests/some-id'),
      () => h.app.request('/guests/some-id', { method: 'DELETE' }),
    ];
    for (const send of requests) {
      const start = performance.now();
      const res = await send();
      const seconds = (performance.now() - start) / 1000;
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('2');
      const body = await res.json();
      expect(body.error).toMatch(/^Storage unavailable: DynamoDB \w+ failed \(.+\); retry later$/);
      expect(seconds).toBeLessThan(5);
    }
    const posted = await h.post(validGuest({ id: '111113' }));
    expect(await posted.json()).toEqual({
      error: 'Storage unavailable: DynamoDB TransactWriteItems failed (ECONNREFUSED); retry later',
    });
    // Readiness stays up: pulling every pod out of the load balancer would replace this 503 + Retry-After
    // with the load balancer's bare 503. /health reports the outage instead.
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
    const health = await h.app.request('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('Retry-After')).toBe('2');
    expect(await health.json()).toEqual({
      status: 'unhealthy',
      guests_count: null,
      dynamodb: 'unavailable',
      reason: 'Storage unavailable: DynamoDB BatchGetItem failed (ECONNREFUSED); retry later',
    });
    const metrics = await h.metrics.render();
    expect(metrics).toMatch(/dynamodb_call_errors_total\{operation="TransactWriteItems",error="\w+"\} \d+/);

    // DynamoDB Local keeps data in memory only, so the restarted instance needs the table again.
    await ddb.restart();
    // A missing table is no passing fault: named, with how to create it, and no Retry-After.
    const missing = await h.app.request('/health');
    expect(missing.status).toBe(503);
    expect(missing.headers.get('Retry-After')).toBeNull();
    expect(await missing.json()).toMatchObject({
      dynamodb: 'misconfigured',
      reason: expect.stringMatching(
        new RegExp(
          `^Storage misconfigured: DynamoDB table '${h.guardTableName}' \\(DDB_GUARD_TABLE\\) does not exist`,
        ),
      ),
    });
    await ensureGuestTables(h.client, h.config);
    expect((await h.post(validGuest({ id: '111112' }))).status).toBe(201);
    expect(await (await h.app.request('/health')).json()).toEqual({
      status: 'healthy',
      guests_count: 1,
      dynamodb: 'ok',
    });
  });
});

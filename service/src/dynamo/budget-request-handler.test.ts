import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeEndpoint, fakeEndpoint } from '../../test/fake-endpoint';
import { createDynamoClient } from './client';

describe('BudgetRequestHandler', () => {
  // A real server on 127.0.0.1 that accepts connections, reads requests and never answers (a hung endpoint).
  let hung: FakeEndpoint;
  beforeAll(async () => {
    hung = await fakeEndpoint();
  });
  afterAll(() => hung.close());

  // Calls under a budget, through the whole client: call-budget.test.ts.
  // undici checks its headers and body timeouts on a clock that ticks about every half second.
  it('should leave calls without a budget to the per-attempt timeout, as a retryable TimeoutError', async () => {
    const client = createDynamoClient(
      { region: 'eu-west-1', endpointUrl: hung.endpoint, useLocalCredentials: true },
      { maxAttempts: 1, requestTimeoutMs: 100 },
    );
    const started = performance.now();
    const err = await client
      .send(new GetItemCommand({ TableName: 'guests', Key: { seq_num: { S: 'x' } } }))
      .catch((e: Error) => e);
    const elapsed = performance.now() - started;
    client.destroy();
    expect((err as Error).name).toBe('TimeoutError');
    expect((err as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(2500);
    // The timed-out connection is closed, not sent back to the pool.
    await vi.waitFor(() => expect(hung.sockets.size).toBe(0));
  });
});

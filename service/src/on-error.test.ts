import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../test/memory-logger';
import type { AppEnv } from './app-env';
import { RequestBudgetExceededError } from './dynamo/request-budget';
import { onError } from './on-error';
import { classifyError } from './store/classify-error';
import { StoreUnavailableError } from './store/errors';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('classifyError', () => {
  it.each([
    [sdkError('ProvisionedThroughputExceededException', 400), 'ProvisionedThroughputExceededException'],
    [sdkError('ThrottlingException', 400), 'ThrottlingException'],
    [sdkError('InternalServerError', 500), 'InternalServerError'],
    [sdkError('Error', undefined, { code: 'ECONNRESET' }), 'ECONNRESET'],
    // An answer cut off mid-body: the SDK's deserializer has already seen the 200 status line.
    [sdkError('Error', 200, { code: 'ECONNRESET' }), 'ECONNRESET'],
    [sdkError('TimeoutError'), 'TimeoutError'],
    [sdkError('UnknownError', 503), 'UnknownError'],
    [new RequestBudgetExceededError(3000), 'request budget of 3000 ms exhausted'],
  ])('should map %s to StoreUnavailableError', (err, reason) => {
    const mapped = classifyError('GetItem', err);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).message).toBe(
      `Storage unavailable: DynamoDB GetItem failed (${reason}); retry later`,
    );
  });

  it('should leave client-side faults alone, a missing table too (the store names it: never "retry later")', () => {
    const err = sdkError('ValidationException', 400);
    expect(classifyError('Scan', err)).toBe(err);
    const missing = sdkError('ResourceNotFoundException', 400);
    expect(classifyError('Scan', missing)).toBe(missing);
  });
});

describe('onError', () => {
  const logger = createMemoryLogger();
  const app = new Hono<AppEnv>()
    .get('/unavailable', () => {
      throw new StoreUnavailableError('Scan', 'ThrottlingException');
    })
    .get('/bug', () => {
      throw new TypeError('x is not a function');
    });
  app.onError(onError(logger));

  it('should answer 503 with Retry-After for an unavailable store', async () => {
    const res = await app.request('/unavailable');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('2');
    expect(await res.json()).toEqual({
      error: 'Storage unavailable: DynamoDB Scan failed (ThrottlingException); retry later',
    });
  });

  it('should answer 500 without details or stack for a bug, and log it', async () => {
    const res = await app.request('/bug');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"error":"Internal server error"}');
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'error',
      error: 'TypeError',
      message: 'x is not a function',
    });
  });
});

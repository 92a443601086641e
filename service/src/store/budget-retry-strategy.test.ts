import type { RetryErrorInfo } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { BudgetBackoff, BudgetRetryStrategy } from './budget-retry-strategy';
import { RequestBudgetExceededError, withRequestBudget } from './request-budget';

const transient: RetryErrorInfo = {
  errorType: 'TRANSIENT',
  error: new Error('ECONNRESET'),
} as RetryErrorInfo;

describe('BudgetBackoff', () => {
  it('should jitter between 0 and base * 2^attempt outside a request', () => {
    const backoff = new BudgetBackoff();
    backoff.setDelayBase(100);
    const delays = Array.from({ length: 200 }, () => backoff.computeNextBackoffDelay(2));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('should clip delays so that the retry starts 50 ms before the deadline', async () => {
    const backoff = new BudgetBackoff();
    backoff.setDelayBase(10_000);
    const delays = await withRequestBudget(300, async () =>
      Array.from({ length: 50 }, () => backoff.computeNextBackoffDelay(3)),
    );
    expect(Math.max(...delays)).toBeLessThanOrEqual(250);
  });
});

describe('BudgetRetryStrategy', () => {
  it('should allow at most maxAttempts - 1 retries', async () => {
    const strategy = new BudgetRetryStrategy(3);
    let token = await strategy.acquireInitialRetryToken('');
    token = await strategy.refreshRetryTokenForRetry(token, transient);
    token = await strategy.refreshRetryTokenForRetry(token, transient);
    await expect(strategy.refreshRetryTokenForRetry(token, transient)).rejects.toThrow(
      'No retry token available',
    );
  });

  it('should not retry with less than 50 ms of budget left', async () => {
    const strategy = new BudgetRetryStrategy(3);
    const token = await strategy.acquireInitialRetryToken('');
    const err = await withRequestBudget(60, async () => {
      await new Promise((r) => setTimeout(r, 20));
      return strategy.refreshRetryTokenForRetry(token, transient);
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RequestBudgetExceededError);
  });

  it('should end a wait for a long Retry-After hint at the deadline', async () => {
    const strategy = new BudgetRetryStrategy(3);
    const token = await strategy.acquireInitialRetryToken('');
    const hinted = {
      ...transient,
      errorType: 'THROTTLING',
      retryAfterHint: new Date(Date.now() + 5000),
    } as RetryErrorInfo;
    const start = performance.now();
    const err = await withRequestBudget(200, () => strategy.refreshRetryTokenForRetry(token, hinted)).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RequestBudgetExceededError);
    expect(performance.now() - start).toBeLessThan(400);
  });

  it('should stop retrying once many calls failed at once (the token bucket is empty)', async () => {
    const strategy = new BudgetRetryStrategy(2);
    let retries = 0;
    for (let call = 0; call < 100; call++) {
      const token = await strategy.acquireInitialRetryToken('');
      const retried = await withRequestBudget(1000, () =>
        strategy.refreshRetryTokenForRetry(token, transient),
      ).then(
        () => true,
        () => false,
      );
      if (retried) retries++;
    }
    // 500 tokens at 14 per transient retry: 35 retries, then none until successes refill the bucket.
    expect(retries).toBe(35);
    expect(strategy.getCapacity()).toBeLessThan(14);
  });
});

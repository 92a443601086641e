import type { RetryErrorInfo } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { BudgetRetryStrategy } from './budget-retry-strategy';

const transient: RetryErrorInfo = {
  errorType: 'TRANSIENT',
  error: new Error('ECONNRESET'),
} as RetryErrorInfo;

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

  // Retries under a budget, through the whole client (the budget travels with the call): call-budget.test.ts.
  it('should stop retrying once many calls failed at once (the token bucket is empty)', async () => {
    const strategy = new BudgetRetryStrategy(2);
    let retries = 0;
    for (let call = 0; call < 100; call++) {
      const token = await strategy.acquireInitialRetryToken('');
      const retried = await strategy.refreshRetryTokenForRetry(token, transient).then(
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

// The SDK's standard retry strategy, kept inside the request's time budget: no retry or backoff past the
// deadline.
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { budgetOfFailure } from './call-budget';

/** A retry needs at least this much budget left to be worth sending (DynamoDB answers in ~10 ms). */
export const MIN_ATTEMPT_MS = 50;

/**
 * The SDK's standard retry strategy (capped attempts; full-jitter exponential backoff, 50 ms base or 1 s
 * for throttling; a retry token bucket shared by all requests of the client, which stops retrying when
 * many calls fail at once and refills on successes), kept inside the budget of the call that failed (see
 * call-budget.ts): no retry is made without {@link MIN_ATTEMPT_MS} of budget left, and a backoff (or a
 * server's Retry-After hint) that would leave less ends the call at that point, not at the deadline. The
 * call then fails with its last attempt's error (the SDK's retry middleware throws that one when no retry
 * is made). Calls without a budget retry exactly as the standard strategy does.
 */
export class BudgetRetryStrategy implements RetryStrategyV2 {
  readonly mode: string;
  private readonly inner: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.inner = new StandardRetryStrategy({ maxAttempts });
    this.mode = this.inner.mode;
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const budget = budgetOfFailure(errorInfo.error);
    if (budget === undefined) return this.inner.refreshRetryTokenForRetry(token, errorInfo);
    const room = budget.remainingMs() - MIN_ATTEMPT_MS;
    if (room <= 0) throw budget.exceeded();
    // The standard strategy waits out the backoff before it hands over the token.
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(budget.exceeded()), Math.ceil(room));
    });
    try {
      return await Promise.race([this.inner.refreshRetryTokenForRetry(token, errorInfo), cut]);
    } finally {
      clearTimeout(timer);
    }
  }

  recordSuccess(token: StandardRetryToken): void {
    this.inner.recordSuccess(token);
  }

  /** Retry tokens left in the bucket (for tests and metrics). */
  getCapacity(): number {
    return this.inner.getCapacity();
  }
}

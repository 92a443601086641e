import { MAXIMUM_RETRY_DELAY, StandardRetryStrategy } from '@smithy/core/retry';
import type {
  RetryErrorInfo,
  RetryStrategyV2,
  StandardRetryBackoffStrategy,
  StandardRetryToken,
} from '@smithy/types';
import { currentRequestBudget } from './request-budget';

/** A retry needs at least this much budget left to be worth sending (DynamoDB answers in ~10 ms). */
export const MIN_ATTEMPT_MS = 50;

/**
 * Full-jitter exponential backoff (`random(0, min(cap, base * 2^i))`, the SDK's own formula), clipped so
 * that the retry still starts {@link MIN_ATTEMPT_MS} before the request's budget runs out.
 */
export class BudgetBackoff implements StandardRetryBackoffStrategy {
  private base = 50;

  setDelayBase(delayBase: number): void {
    this.base = delayBase;
  }

  computeNextBackoffDelay(retryAttempt: number): number {
    const jittered = Math.random() * Math.min(this.base * 2 ** retryAttempt, MAXIMUM_RETRY_DELAY);
    const budget = currentRequestBudget();
    const room = budget === undefined ? Number.POSITIVE_INFINITY : budget.remainingMs() - MIN_ATTEMPT_MS;
    return Math.floor(Math.max(0, Math.min(jittered, room)));
  }
}

/**
 * The SDK's standard retry strategy (capped attempts; a retry token bucket shared by all requests of the
 * client, which stops retrying when many calls fail at once and refills on successes), kept inside the
 * request's budget: no retry is started without {@link MIN_ATTEMPT_MS} left, backoff delays are clipped to
 * the budget, and a wait the budget cannot cover (a server's Retry-After hint) ends at the deadline.
 */
export class BudgetRetryStrategy implements RetryStrategyV2 {
  readonly mode: string;
  private readonly inner: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.inner = new StandardRetryStrategy({ maxAttempts, backoff: new BudgetBackoff() });
    this.mode = this.inner.mode;
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const budget = currentRequestBudget();
    if (budget === undefined) return this.inner.refreshRetryTokenForRetry(token, errorInfo);
    if (budget.remainingMs() < MIN_ATTEMPT_MS) throw budget.exceeded();
    const signal = budget.signal;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      onAbort = () => reject(budget.exceeded());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.inner.refreshRetryTokenForRetry(token, errorInfo), deadline]);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
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

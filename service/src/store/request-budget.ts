import { AsyncLocalStorage } from 'node:async_hooks';

/** The request's budget ran out; the DynamoDB call in flight was aborted. */
export class RequestBudgetExceededError extends Error {
  override readonly name = 'RequestBudgetExceededError';
  constructor(readonly budgetMs: number) {
    super(`request budget of ${budgetMs} ms exhausted`);
  }
}

/**
 * The time one HTTP request may spend on DynamoDB, retries included, counted from the request's
 * arrival. Its abort signal (and the timer behind it) is made only when a DynamoDB call asks for it,
 * so requests that never reach DynamoDB cost one clock read.
 */
export class RequestBudget {
  /** `performance.now()` at which the budget runs out. */
  readonly deadline: number;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly budgetMs: number) {
    this.deadline = performance.now() + budgetMs;
  }

  /** Milliseconds left; 0 or less once exhausted. */
  remainingMs(): number {
    return this.deadline - performance.now();
  }

  /** True once the deadline has passed. */
  get exhausted(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Aborts at the deadline with a {@link RequestBudgetExceededError} as its reason. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = new AbortController();
      this.controller = controller;
      const remaining = this.remainingMs();
      if (remaining <= 0) controller.abort(this.exceeded());
      else this.timer = setTimeout(() => controller.abort(this.exceeded()), Math.ceil(remaining));
    }
    return this.controller.signal;
  }

  /** The error a call gets when the budget ran out. */
  exceeded(): RequestBudgetExceededError {
    return new RequestBudgetExceededError(this.budgetMs);
  }

  /** Stops the timer (the request is answered). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

const storage = new AsyncLocalStorage<RequestBudget>();

/**
 * Runs `work` with a fresh budget of `budgetMs`; every DynamoDB call made inside it (however deep, see
 * budget-request-handler.ts) is bounded by it. The budget travels with the async context, so the store's
 * interface needs no extra parameter and the SDK's per-command middleware cache stays in use.
 */
export async function withRequestBudget<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  const budget = new RequestBudget(budgetMs);
  try {
    return await storage.run(budget, work);
  } finally {
    budget.dispose();
  }
}

/** The budget of the request being served, if any (none at start-up or in tools). */
export function currentRequestBudget(): RequestBudget | undefined {
  return storage.getStore();
}

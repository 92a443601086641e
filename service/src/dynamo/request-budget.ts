/** The request's budget ran out; the DynamoDB call in flight was aborted. */
export class RequestBudgetExceededError extends Error {
  override readonly name = 'RequestBudgetExceededError';
  constructor(readonly budgetMs: number) {
    super(`request budget of ${budgetMs} ms exhausted`);
  }
}

/**
 * The time one HTTP request may take, retries of its DynamoDB calls included, counted from its arrival.
 * DynamoDB calls are cut `reserveMs` before the end, so that the answer (a 503) is written inside the
 * budget too. Its abort signal (and the timer behind it) is made only when a DynamoDB call asks for it,
 * so requests that never reach DynamoDB cost one clock read.
 *
 * A budget is passed explicitly, from the HTTP middleware through the store to each SDK command
 * (`withinBudget` in ./call-budget.ts), never through `AsyncLocalStorage`: on Node 20 that turns on promise
 * hooks for the whole process, measured at 0.09 ms of CPU per read (the service README, "Benchmarks").
 */
export class RequestBudget {
  /** `performance.now()` at which DynamoDB calls are cut. */
  readonly deadline: number;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly budgetMs: number,
    reserveMs = 0,
  ) {
    this.deadline = performance.now() + budgetMs - reserveMs;
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

/**
 * Time kept back at the end of a budget to write the answer: a tenth of it, at most 300 ms. The 503 is
 * written by the event loop after the cut; on a busy machine the loop was measured late by up to about
 * 130 ms (`npm run bench:faults`, loop delay column), and 100 ms of reserve let p99 go over the budget.
 */
export const answerReserveMs = (budgetMs: number) => Math.min(300, Math.floor(budgetMs / 10));

/** A budget of `budgetMs` (DynamoDB calls cut `reserveMs` earlier) for the duration of `work`. */
export async function withRequestBudget<T>(
  budgetMs: number,
  work: (budget: RequestBudget) => Promise<T>,
  reserveMs = 0,
): Promise<T> {
  const budget = new RequestBudget(budgetMs, reserveMs);
  try {
    return await work(budget);
  } finally {
    budget.dispose();
  }
}

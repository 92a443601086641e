// Gives each request a time budget that every DynamoDB call it makes must finish within.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env';
import { answerReserveMs, RequestBudget } from '../../dynamo/request-budget';

/**
 * Gives each request a time budget of `budgetMs` from its arrival, as `c.var.budget`: the routes pass it
 * to every store call, so each DynamoDB call, retries included, is aborted when it runs out (a tenth of
 * it, at most 300 ms, is kept back to write the answer), and the request answers in time with its normal
 * answer or a 503 + Retry-After.
 */
export const requestBudget = (budgetMs: number) => {
  const reserveMs = answerReserveMs(budgetMs);
  return createMiddleware<AppEnv>(async (c, next) => {
    const budget = new RequestBudget(budgetMs, reserveMs);
    c.set('budget', budget);
    try {
      await next();
    } finally {
      budget.dispose();
    }
  });
};

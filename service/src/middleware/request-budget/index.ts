import { createMiddleware } from 'hono/factory';
import { answerReserveMs, withRequestBudget } from '../../store/request-budget';

/**
 * Gives each request a time budget of `budgetMs` from its arrival: every DynamoDB call it makes, retries
 * included, is aborted when the budget runs out (a tenth of it, at most 300 ms, is kept back to write
 * the answer), so the request answers in time with its normal answer or a 503 + Retry-After.
 */
export const requestBudget = (budgetMs: number) =>
  createMiddleware((_c, next) => withRequestBudget(budgetMs, next, answerReserveMs(budgetMs)));

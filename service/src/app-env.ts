import type { RequestBudget } from './store/request-budget';

/** Hono environment shared by the app, its sub-apps and middleware. */
export type AppEnv = {
  Variables: {
    /** Id of this request (incoming X-Request-Id when safe, else a new UUID), set by hono's request-id. */
    requestId: string;
    /** This request's time budget for DynamoDB calls, set by middleware/request-budget (absent without it). */
    budget?: RequestBudget;
  };
};

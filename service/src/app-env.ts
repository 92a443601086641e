// The Hono environment type shared by the app, its sub-apps and middleware.
import type { HttpBindings } from '@hono/node-server';
import type { RequestBudget } from './dynamo/request-budget';

/** Hono environment shared by the app, its sub-apps and middleware. */
export type AppEnv = {
  /**
   * The Node request and response behind a request served by @hono/node-server; absent for requests made
   * with `app.request()` (tests).
   */
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** Id of this request (incoming X-Request-Id when safe, else a new UUID), set by hono's request-id. */
    requestId: string;
    /** This request's time budget for DynamoDB calls, set by middleware/request-budget (absent without it). */
    budget?: RequestBudget;
  };
};

// While the start-up table check finds a table missing or wrongly keyed, /guests answers with that reason.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env';
import type { Readiness } from '../../readiness';

/**
 * 503 with the table check's reason (which table, its key, how to create it), without calling DynamoDB and
 * without Retry-After: no request can succeed until someone creates the table, and waiting does not do it.
 * Without this, a read of an existing guests' table would succeed while every write fails, and a table with
 * another key would answer 500s for DynamoDB's ValidationException.
 */
export const tablesReady = (readiness: Readiness) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const problem = readiness.tableProblem;
    if (problem !== undefined) return c.json({ error: problem }, 503);
    await next();
  });

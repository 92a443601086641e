// Turns validation failures and thrown errors into the API's JSON error answers (400, 404, 409, 503, 500),
// never a stack trace.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { AppEnv } from './app-env';
import type { Logger } from './observability/logger';
import { describeIssues } from './schemas/guest';
import {
  DuplicatePersonError,
  InvalidCursorError,
  StoreMisconfiguredError,
  StoreUnavailableError,
} from './store/errors';

/** Seconds a client should wait after a 503 from the storage. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The validators' hook (OpenAPIHono's `defaultHook`): a failed validation is a 400 naming the first
 * failure; a body's failure also lists every issue.
 */
export const validationHook = (
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context<AppEnv>,
) => {
  if (result.success) return undefined;
  const { message, issues } = describeIssues(result.error);
  return result.target === 'json' ? c.json({ error: message, issues }, 400) : c.json({ error: message }, 400);
};

/** The one error handler: every error becomes `{ error }` (+ `issues`); never a stack trace. */
export const onError = (logger: Logger) => (err: Error, c: Context<AppEnv>) => {
  const requestId = c.get('requestId');
  if (err instanceof HTTPException) {
    // A prepared response (hono's bearer-auth: a JSON `{ error }` body and WWW-Authenticate) is kept
    // whole, through `c` so the headers set so far (request id, secure headers) stay on it.
    if (err.res !== undefined) {
      return c.newResponse(err.res.body, err.res);
    }
    return c.json({ error: err.message }, err.status as ContentfulStatusCode);
  }
  if (err instanceof DuplicatePersonError) return c.json({ error: err.message }, 409);
  if (err instanceof InvalidCursorError) return c.json({ error: err.message }, 400);
  if (err instanceof StoreUnavailableError) {
    logger.warn('storage unavailable', {
      request_id: requestId,
      operation: err.operation,
      reason: err.reason,
      cause: (err.cause as Error | undefined)?.name,
    });
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json({ error: err.message }, 503);
  }
  if (err instanceof StoreMisconfiguredError) {
    // No Retry-After: waiting does not create a table. The message says what to create and how.
    logger.error('storage misconfigured', {
      request_id: requestId,
      operation: err.operation,
      tables: err.problems.map((p) => p.table).join(','),
    });
    return c.json({ error: err.message }, 503);
  }
  // A bug: log what it was (names and messages of our code and the SDK carry no personal data).
  logger.error('unhandled error', { request_id: requestId, error: err.name, message: err.message });
  return c.json({ error: 'Internal server error' }, 500);
};

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env';
import type { Logger } from './observability/logger';
import { DuplicatePersonError, InvalidCursorError, StoreUnavailableError } from './store/errors';

/** Seconds a client should wait after a 503 from the storage. */
export const RETRY_AFTER_SECONDS = 2;

/** An HTTP error that also carries validation issues for the body. */
export class ValidationException extends HTTPException {
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(400, { message });
  }
}

/** The one error handler: every error becomes `{ error }` (+ `issues`); never a stack trace. */
export const onError = (logger: Logger) => (err: Error, c: Context<AppEnv>) => {
  const requestId = c.get('requestId');
  if (err instanceof ValidationException) {
    return c.json({ error: err.message, issues: err.issues }, 400);
  }
  if (err instanceof HTTPException) {
    const extra = err.res?.headers;
    extra?.forEach((value, key) => {
      c.header(key, value);
    });
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
  // A bug: log what it was (names and messages of our code and the SDK carry no personal data).
  logger.error('unhandled error', { request_id: requestId, error: err.name, message: err.message });
  return c.json({ error: 'Internal server error' }, 500);
};

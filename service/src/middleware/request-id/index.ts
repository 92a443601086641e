import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env';

/** Incoming ids are reused only when they cannot inject anything into logs or headers. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Sets `requestId` (the incoming `X-Request-Id` when safe, else a new UUID) and echoes it in the response. */
export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
    // Error responses are built by onError; make sure they carry the id as well.
    c.res.headers.set('X-Request-Id', id);
  });

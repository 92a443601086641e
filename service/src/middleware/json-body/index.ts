import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../../app-env';

// The media types hono's JSON validator accepts (it would answer 400 for any other): checked here first
// so that a body that is not JSON gets 415 with a message that says what to send.
const JSON_CONTENT_TYPE = /^application\/json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/;

/** 415 unless the request says `Content-Type: application/json`. */
export const requireJson = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new HTTPException(415, { message: 'Content-Type must be application/json' });
    }
    await next();
  });

/**
 * The guards of a JSON body, in order: 415 unless it is JSON, then hono's body-limit: 413 from
 * Content-Length before reading, or while streaming a chunked body, so nothing over `maxBytes` is
 * buffered or parsed. Parsing and validation follow in the route's validator.
 */
export const jsonBodyGuards = (maxBytes: number) => [
  requireJson(),
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HTTPException(413, { message: `Request body too large: more than ${maxBytes} bytes` });
    },
  }),
];

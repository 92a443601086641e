// The guards in front of a JSON body: 415 and 413, decided from the headers wherever they allow it.
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

/** A whole Content-Length, as Node's HTTP parser accepts it. */
const DECIMAL = /^\d+$/;

/**
 * The size check, decided from the headers when they allow it. A declared Content-Length is all it takes:
 * Node's HTTP parser never delivers more bytes than that (body-limit relies on it too), so a length over the
 * limit is a 413 at once, before a byte of the body is read, and a length within it goes straight on to be
 * read directly by `c.req.json()`. Only a chunked body, whose size is known once it has arrived, goes through
 * hono's body-limit, which counts it as it streams. Skipping body-limit for declared lengths matters twice:
 * body-limit starts by touching `c.req.raw.body`, which makes @hono/node-server build a Web
 * `ReadableStream` for every POST (a sixth of a POST's CPU, `npm run bench:profile -- --scenario post`, the
 * service README), and a 413 sent after that stream was opened left the rest of the body unread until the
 * adapter destroyed the socket (the response now also says `Connection: close`: middleware/close-unread-body).
 */
const limitBody = (maxBytes: number) => {
  const tooLarge = () =>
    new HTTPException(413, { message: `Request body too large: more than ${maxBytes} bytes` });
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const length = c.req.header('content-length');
    const declared =
      length !== undefined && c.req.header('transfer-encoding') === undefined && DECIMAL.test(length);
    if (!declared) return limit(c, next);
    if (Number(length) > maxBytes) throw tooLarge();
    return next();
  });
};

/**
 * The guards of a JSON body, in order: 415 unless it is JSON, then the size: 413 from Content-Length
 * before reading, or while streaming a chunked body, so nothing over `maxBytes` is buffered or parsed.
 * Parsing and validation follow in the route's validator.
 */
export const jsonBodyGuards = (maxBytes: number) => [requireJson(), limitBody(maxBytes)];

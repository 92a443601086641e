// Sends `Connection: close` on a response written while part of the request's body is still unread.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env';

/**
 * A response sent before the request's body has fully arrived (a 413 or 415 decided from the headers, a
 * 401, a 405 for a POST) leaves the rest of the body on the socket. @hono/node-server then reads it for at
 * most half a second and destroys the socket, so a keep-alive client that reuses the connection loses its
 * next request (`other side closed`; behind a load balancer, a 502 for an unrelated request). Saying
 * `Connection: close` makes the client open a new connection instead, as Go's net/http does in the same
 * case. `incoming.complete` is Node's own "the whole message has been received": a body that arrived but
 * was not read (a small POST refused for its Content-Type) leaves the connection clean and keeps it.
 * Requests served by `app.request()` (no Node request behind them) are left alone.
 */
export const closeUnreadBody = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const incoming = c.env?.incoming;
    if (incoming === undefined || incoming.complete) return;
    const { headers } = incoming;
    const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
    if (hasBody) c.res.headers.set('Connection', 'close');
  });

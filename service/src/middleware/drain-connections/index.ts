// While the server drains, answers with `Connection: close` so clients move to another pod before the
// listener closes.
import { createMiddleware } from 'hono/factory';
import type { Readiness } from '../../readiness';

/**
 * While the server drains, answers with `Connection: close`, as Go's `Shutdown` and Envoy's drain do:
 * keep-alive clients and load balancers that pool connections move their next request to a new
 * connection (to another pod once this one left the endpoints) during the drain delay, instead of
 * reusing a pooled socket that the server may close under them when the listener closes (the client
 * then sees ECONNRESET for a request that never reached a handler).
 */
export const drainConnections = (readiness: Readiness) =>
  createMiddleware(async (c, next) => {
    await next();
    if (readiness.isDraining) c.header('Connection', 'close');
  });

// Access-log middleware: one log line and the HTTP metrics per request, labelled by route pattern.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../../app-env';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';

/** The route pattern of a request (e.g. `/guests/:seq_num`), or `unmatched`; keeps label cardinality bounded. */
export function routeLabel(c: Context): string {
  // The last matched route that is not a wildcard middleware; a loop, as this runs on every request.
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const path = routes[i]?.path;
    if (path !== undefined && !path.endsWith('*')) return path;
  }
  return 'unmatched';
}

/**
 * Routes the kubelet calls every few seconds on every pod. Their successful answers are logged at `debug`: at
 * `info` they were most of a quiet pod's log lines, and their cost per probe (counted in metrics either way).
 */
const PROBES = new Set(['/healthz', '/readyz']);

/** Dependencies of {@link accessLog}. */
export interface AccessLogDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** One structured log line and one metrics sample per request; never logs bodies or query values. */
export const accessLog = ({ logger, metrics }: AccessLogDeps) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const start = performance.now();
    await next();
    const seconds = (performance.now() - start) / 1000;
    const route = routeLabel(c);
    const status = c.res.status;
    metrics.recordRequest(c.req.method, route, status, seconds);
    const fields = {
      request_id: c.get('requestId'),
      method: c.req.method,
      route,
      status,
      duration_ms: Math.round(seconds * 1000 * 10) / 10,
    };
    if (status >= 500) logger.error('request', fields);
    else if (status < 400 && PROBES.has(route)) logger.debug('request', fields);
    else logger.info('request', fields);
  });

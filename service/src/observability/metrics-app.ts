// The metrics server's app (`GET /metrics` only), served on its own port, which the load balancer never
// reaches.
import { Hono } from 'hono';
import type { Metrics } from './metrics';

/**
 * The metrics server's app: `GET /metrics` only. It listens on its own port (METRICS_PORT), which the
 * load balancer never reaches; Prometheus scrapes it inside the cluster.
 */
export const metricsApp = (metrics: Metrics) =>
  new Hono()
    .get('/metrics', async (c) =>
      c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
    )
    .notFound((c) =>
      c.json(
        {
          error: `Route ${c.req.method} ${c.req.path.slice(0, 200)} not found; this port serves GET /metrics`,
        },
        404,
      ),
    );

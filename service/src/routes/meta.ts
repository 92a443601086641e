import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { Config } from '../config';
import type { Metrics } from '../observability/metrics';
import { buildOpenApi } from '../openapi';

/** Dependencies of {@link metaRoutes}. */
export interface MetaRoutesDeps {
  readonly config: Pick<Config, 'tableName' | 'environment' | 'version' | 'apiTokens'>;
  readonly metrics: Metrics;
}

/** `/api` (service description), `/openapi.json`, `/metrics`. */
export const metaRoutes = ({ config, metrics }: MetaRoutesDeps) => {
  // Built once: it depends only on the schemas and the config.
  const openapi = buildOpenApi({ version: config.version, auth: config.apiTokens.length > 0 });
  return new Hono<AppEnv>()
    .get('/api', (c) =>
      c.json({
        name: 'Guest List API',
        version: config.version,
        storage: 'dynamodb',
        table: config.tableName,
        environment: config.environment,
      }),
    )
    .get('/openapi.json', (c) => c.json(openapi))
    .get('/metrics', (c) =>
      c.body(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
    );
};

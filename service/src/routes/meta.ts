// The `/api` route: the service's name, version, table and environment.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import type { Config } from '../config';

/** Dependencies of {@link metaRoutes}. */
export interface MetaRoutesDeps {
  readonly config: Pick<Config, 'tableName' | 'environment' | 'version'>;
}

const ApiInfo = z.object({
  name: z.literal('Guest List API'),
  version: z.string(),
  storage: z.literal('dynamodb'),
  table: z.string(),
  environment: z.string(),
});

const api = createRoute({
  method: 'get',
  path: '/api',
  summary: 'Service description',
  responses: {
    200: { description: 'Name, version, table', content: { 'application/json': { schema: ApiInfo } } },
  },
});

/** `/api` (service description). The OpenAPI document is served by the root app (it spans every route). */
export const metaRoutes = ({ config }: MetaRoutesDeps) =>
  new OpenAPIHono<AppEnv>().openapi(api, (c) =>
    c.json(
      {
        name: 'Guest List API' as const,
        version: config.version,
        storage: 'dynamodb' as const,
        table: config.tableName,
        environment: config.environment,
      },
      200,
    ),
  );

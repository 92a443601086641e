import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env';
import type { Config } from './config';
import { accessLog } from './middleware/access-log';
import { requestId } from './middleware/request-id';
import type { Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { onError } from './on-error';
import { Readiness } from './readiness';
import { guestRoutes } from './routes/guests';
import { healthRoutes } from './routes/health';
import { metaRoutes } from './routes/meta';
import { type StaticAssets, staticRoutes } from './routes/static-page';
import type { GuestStore } from './store/guest-store';

/** Dependencies of {@link createApp}. */
export interface AppDeps {
  readonly store: GuestStore;
  readonly config: Config;
  readonly logger: Logger;
  /** @default a fresh Metrics (pass the store's observer's instance to see DynamoDB metrics) */
  readonly metrics?: Metrics;
  /** @default a fresh Readiness (not draining) */
  readonly readiness?: Readiness;
  /** @default no page files (404) */
  readonly assets?: StaticAssets;
}

/** Builds the Hono app. No I/O here: everything it needs is passed in. */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? new Metrics();
  const readiness = deps.readiness ?? new Readiness();
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    requestId(),
    accessLog({ logger: deps.logger, metrics }),
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"] },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    }),
  );
  app.route('/', staticRoutes(deps.assets ?? {}));
  app.route('/', healthRoutes({ store: deps.store, readiness }));
  app.route('/', metaRoutes({ config: deps.config, metrics }));
  app.route('/guests', guestRoutes({ store: deps.store, apiTokens: deps.config.apiTokens }));
  app.notFound((c) =>
    c.json({ error: `Route ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)} not found` }, 404),
  );
  app.onError(onError(deps.logger));
  return app;
}

/** The app's type, for typed clients and tests. */
export type App = ReturnType<typeof createApp>;

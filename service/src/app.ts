// The Hono app: middleware, the sub-apps, the OpenAPI document, 404 and 405; no I/O.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env';
import { staticTokens, type TokenSource } from './auth/token-source';
import type { Config } from './config';
import { accessLog } from './middleware/access-log';
import { closeUnreadBody } from './middleware/close-unread-body';
import { drainConnections } from './middleware/drain-connections';
import { requestBudget } from './middleware/request-budget';
import type { Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { onError, validationHook } from './on-error';
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
  /** Accepted bearer tokens. @default config.apiTokens, fixed; none means authentication is off */
  readonly tokens?: TokenSource;
}

/** Incoming request ids longer than this are replaced (hono's request-id also replaces unsafe characters). */
const MAX_REQUEST_ID_LENGTH = 128;

/** The 405's body names the method, the path and what it allows, as the 404's does. */
const notAllowed = (c: Context<AppEnv>, methods: string[]) => {
  const allow = [...methods].sort().join(', ');
  const path = c.req.path.slice(0, 200);
  return c.json({ error: `Method ${c.req.method} is not allowed on ${path}; allowed: ${allow}` }, 405, {
    Allow: allow,
  });
};

/** Builds the Hono app. No I/O here: everything it needs is passed in. */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? new Metrics();
  const readiness = deps.readiness ?? new Readiness();
  const tokens =
    deps.tokens ?? (deps.config.apiTokens.length > 0 ? staticTokens(deps.config.apiTokens) : undefined);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use(
    '*',
    requestId({ limitLength: MAX_REQUEST_ID_LENGTH }),
    // A response sent before the body arrived closes the connection: the client's next request goes to a new one.
    closeUnreadBody(),
    accessLog({ logger: deps.logger, metrics }),
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"] },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    }),
    // Bounds every DynamoDB call of the request, retries included (503 + Retry-After when it runs out).
    requestBudget(deps.config.requestBudgetMs),
    drainConnections(readiness),
  );
  // A known path with a method it has no route for: 405 with `Allow`, from the app's own route table (so a
  // new route is covered without touching this). Innermost, so the headers above still go on its answer.
  app.use(methodNotAllowed({ app, onMethodNotAllowed: notAllowed }));
  const routes = app
    .route('/', staticRoutes(deps.assets ?? {}))
    .route('/', healthRoutes({ store: deps.store, readiness }))
    .route('/', metaRoutes({ config: deps.config }))
    .route('/guests', guestRoutes({ store: deps.store, tokens, readiness }));
  if (tokens !== undefined) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  }
  // Generated once from the route definitions: the same zod schemas that validate the requests.
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Guest List API', version: deps.config.version },
  });
  app.get('/openapi.json', (c) => c.json(document));
  app.notFound((c) => c.json({ error: `Route ${c.req.method} ${c.req.path.slice(0, 200)} not found` }, 404));
  app.onError(onError(deps.logger));
  return routes;
}

/** The app's type, for typed clients (`hc<App>`) and tests. */
export type App = ReturnType<typeof createApp>;

// Builds the client, store, token source and app, and serves the API and the metrics on their ports.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { staticTokens, type TokenSource, watchTokenFile } from './auth/token-source';
import type { Config } from './config';
import { createDynamoClient, type DynamoClientOptions } from './dynamo/client';
import { createLogger, type Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { metricsApp } from './observability/metrics-app';
import { Readiness } from './readiness';
import type { StaticAssets } from './routes/static-page';
import { loadStaticAssets } from './static-assets';
import { DynamoGuestStore } from './store/dynamo-guest-store';
import { ensureGuestTables } from './store/ensure-table';
import { startTableCheck } from './table-check';

/** Optional replacements for what {@link startServer} builds from the config. */
export interface ServerOverrides {
  /** @default JSON logger to stdout at config.logLevel */
  readonly logger?: Logger;
  /** @default read from config.publicDir */
  readonly assets?: StaticAssets;
  /** @default the production timeouts and retries */
  readonly dynamo?: DynamoClientOptions;
  /** Listen address. @default '0.0.0.0' */
  readonly hostname?: string;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Base URL of the metrics server (`GET /metrics`), on its own port. */
  readonly metricsUrl: string;
  readonly metricsPort: number;
  /** Makes /readyz answer 503 (first step of a graceful shutdown). */
  startDraining(): void;
  /** Stops accepting connections, lets in-flight requests finish (up to `timeoutMs`), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

// Longer than the 60 s idle timeout of AWS load balancers, so they never reuse a socket we just closed.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const HEADERS_TIMEOUT_MS = 66_000;

/** The port is taken, or cannot be bound; its message is one line naming the variable. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
  variable: string,
) {
  return new Promise<Server>((resolveServer, reject) => {
    const s = serve({ fetch, port, hostname }, () => resolveServer(s as Server)) as Server;
    s.once('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'EADDRINUSE'
          ? 'is already in use by another process'
          : err.code === 'EACCES'
            ? 'needs privileges this process does not have'
            : `cannot be bound (${err.code ?? err.message})`;
      reject(
        new ListenError(
          `Cannot listen: ${variable}=${port} on ${hostname} ${reason}; stop that process or set ${variable}`,
        ),
      );
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

function tokenSourceOf(config: Config, logger: Logger): TokenSource | undefined {
  const file = config.apiTokensFile;
  if (file !== undefined) {
    // The config read the file once; its tokens follow API_TOKENS's, which never change.
    return watchTokenFile({
      path: file.path,
      fixed: config.apiTokens.slice(0, config.apiTokens.length - file.tokens.length),
      initial: file.tokens,
      logger,
    });
  }
  return config.apiTokens.length > 0 ? staticTokens(config.apiTokens) : undefined;
}

/** Builds the DynamoDB client, store and app, and serves it over HTTP. Port 0 picks a free port. */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const metrics = new Metrics({ runtime: true });
  const client = createDynamoClient(config, overrides.dynamo);
  if (config.createTable) await ensureGuestTables(client, config);
  const store = new DynamoGuestStore({
    client,
    tableName: config.tableName,
    guardTableName: config.guardTableName,
    observer: metrics.recordDynamoCall,
  });
  const readiness = new Readiness();
  const assets = overrides.assets ?? (await loadStaticAssets(config.publicDir));
  const tokens = tokenSourceOf(config, logger);
  // Before listening, so the first request already sees a missing or wrongly keyed table.
  const tableCheck = await startTableCheck({
    store,
    readiness,
    logger,
    budgetMs: config.requestBudgetMs,
    guestsTable: config.tableName,
  });
  const app = createApp({ store, config, logger, metrics, readiness, assets, tokens });

  const hostname = overrides.hostname ?? '0.0.0.0';
  let server: Server;
  let metricsServer: Server;
  try {
    server = await listen(app.fetch, config.port, hostname, 'PORT');
    try {
      metricsServer = await listen(metricsApp(metrics).fetch, config.metricsPort, hostname, 'METRICS_PORT');
    } catch (err) {
      await closeServer(server);
      throw err;
    }
  } catch (err) {
    tableCheck.stop();
    tokens?.close();
    client.destroy();
    throw err;
  }
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  const portOf = (s: Server, fallback: number) => {
    const address = s.address();
    return typeof address === 'object' && address !== null ? address.port : fallback;
  };
  const port = portOf(server, config.port);
  const metricsPort = portOf(metricsServer, config.metricsPort);
  const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname;

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = config.shutdownTimeoutMs) => {
    readiness.startDraining();
    closing ??= new Promise<void>((resolveClose) => {
      // Idle keep-alive sockets would hold close() open for 65 s; busy ones are closed once their response is sent.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections', { timeout_ms: timeoutMs });
        server.closeAllConnections();
      }, timeoutMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        tableCheck.stop();
        tokens?.close();
        client.destroy();
        // Metrics stay scrapeable while requests drain, and go last.
        void closeServer(metricsServer).then(resolveClose);
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  logger.info('listening', {
    port,
    metrics_port: metricsPort,
    table: config.tableName,
    guard_table: config.guardTableName,
    environment: config.environment,
    auth: tokens === undefined ? 'off' : 'on',
  });
  if (tokens === undefined) {
    logger.warn('authentication is off: /guests is open to anyone who reaches this port', {
      hint: 'set API_TOKENS or API_TOKENS_FILE, and AUTH_REQUIRED=true to refuse to start without them',
    });
  }
  return {
    url: `http://${host}:${port}`,
    port,
    metricsUrl: `http://${host}:${metricsPort}`,
    metricsPort,
    startDraining: () => readiness.startDraining(),
    close,
  };
}

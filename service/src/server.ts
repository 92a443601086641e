import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { Config } from './config';
import { createDynamoClient, type DynamoClientOptions } from './dynamo-client';
import { createLogger, type Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { Readiness } from './readiness';
import type { StaticAssets } from './routes/static-page';
import { loadStaticAssets } from './static-assets';
import { DynamoGuestStore } from './store/dynamo-guest-store';
import { ensureGuestTables } from './store/ensure-table';

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
  /** Makes /readyz answer 503 (first step of a graceful shutdown). */
  startDraining(): void;
  /** Stops accepting connections, lets in-flight requests finish (up to `timeoutMs`), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

// Longer than the 60 s idle timeout of AWS load balancers, so they never reuse a socket we just closed.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const HEADERS_TIMEOUT_MS = 66_000;

/** Builds the DynamoDB client, store and app, and serves it over HTTP. Port 0 picks a free port. */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const metrics = new Metrics();
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
  const app = createApp({ store, config, logger, metrics, readiness, assets });

  const hostname = overrides.hostname ?? '0.0.0.0';
  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname }, () =>
      resolveServer(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
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
        client.destroy();
        resolveClose();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  logger.info('listening', { port, table: config.tableName, environment: config.environment });
  return { url: `http://${host}:${port}`, port, startDraining: () => readiness.startDraining(), close };
}

// The service's entry point: loads the configuration, starts the server and drains it on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config';
import { createLogger } from './observability/logger';
import { ListenError, type RunningServer, startServer } from './server';

// The only module with side effects at start: read the environment, serve, handle signals.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

const logger = createLogger({ level: config.logLevel });
let server: RunningServer;
try {
  server = await startServer(config, { logger });
} catch (err) {
  if (!(err instanceof ListenError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('shutdown started', { signal, drain_ms: config.drainDelayMs });
  // Report not-ready first, so the load balancer stops sending before the listener closes.
  server.startDraining();
  await new Promise((r) => setTimeout(r, config.drainDelayMs));
  await server.close(config.shutdownTimeoutMs);
  logger.info('shutdown complete', { signal });
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

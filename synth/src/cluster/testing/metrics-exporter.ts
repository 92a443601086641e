// A small real HTTP service for the metrics-verification test: prom-client request counters and a latency
// histogram on /metrics, a fast route, a failing route and a slow route, all on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';

/** A running exporter. */
export interface Exporter {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts the exporter on a free port. `/ok` 200, `/fail` 500, `/slow` 200 after 120 ms. */
export async function startExporter(): Promise<Exporter> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const server: Server = createServer(async (req, res) => {
    const route = req.url ?? '/';
    if (route === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    const end = duration.startTimer({ route });
    if (route === '/slow') await new Promise((r) => setTimeout(r, 120));
    const code = route === '/fail' ? 500 : route === '/ok' || route === '/slow' ? 200 : 404;
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(code === 200 ? 'ok' : 'error');
    requests.inc({ route, code: String(code) });
    end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Sends GET requests to the paths in turn, one every `everyMs`, until `durationMs` has passed or `maxRequests`
 * were sent (or `signal` aborts); stops by itself. Resolves with the number of requests sent.
 */
export async function runLoad(
  baseUrl: string,
  paths: readonly string[],
  o: {
    readonly everyMs: number;
    readonly durationMs: number;
    readonly maxRequests: number;
    /** Stops early when aborted. */
    readonly signal?: AbortSignal;
  },
): Promise<number> {
  const deadline = Date.now() + o.durationMs;
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (Date.now() < deadline && sent < o.maxRequests && !o.signal?.aborted) {
    const path = paths[sent % paths.length] as string;
    inFlight.push(
      fetch(`${baseUrl}${path}`).then(
        (r) => r.text(),
        () => undefined,
      ),
    );
    sent++;
    await new Promise((r) => setTimeout(r, o.everyMs));
  }
  await Promise.all(inFlight);
  return sent;
}

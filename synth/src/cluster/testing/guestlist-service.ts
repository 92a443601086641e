// The real guest-list service for the metrics-verification tests: service/src/server.ts's startServer (what
// main.ts runs) on 127.0.0.1, over a real DynamoDB Local, with its /metrics on its own port for Prometheus.
import { testConfig } from '../../../../service/src/config';
import { createMemoryLogger } from '../../../../service/src/observability/logger';
import { type RunningServer, startServer } from '../../../../service/src/server';
import { type DynamoLocal, LOCAL_CREDENTIALS, startDynamoLocal } from '../../../../service/test/ddb-local';

/** A running service and its database. */
export interface GuestlistService {
  /** The API, `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<metrics port>`: the scrape target serving `GET /metrics`. */
  readonly metricsTarget: string;
  /** Stops DynamoDB Local from answering (SIGSTOP): the service's calls run out of their budget, 5xx. */
  freezeDatabase(): void;
  /** Lets DynamoDB Local answer again. */
  resumeDatabase(): void;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local and the service over it (the guest tables created), on free ports. */
export async function startGuestlistService(): Promise<GuestlistService> {
  // The SDK warns once per process that it will need Node 22; noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ddb: DynamoLocal = await startDynamoLocal({ readyTimeoutMs: 60_000 });
  let server: RunningServer;
  try {
    server = await startServer(
      testConfig({ port: 0, endpointUrl: ddb.endpoint, tableName: 'guests-verify-test', createTable: true }),
      { logger: createMemoryLogger(), hostname: '127.0.0.1', dynamo: { credentials: LOCAL_CREDENTIALS } },
    );
  } catch (err) {
    await ddb.stop();
    throw err;
  }
  return {
    url: server.url,
    metricsTarget: `127.0.0.1:${server.metricsPort}`,
    freezeDatabase: () => ddb.freeze(),
    resumeDatabase: () => ddb.resume(),
    stop: async () => {
      ddb.resume();
      await server.close(2000);
      await ddb.stop();
    },
  };
}

/** One request of the load: method, path and JSON body. */
interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

/**
 * What a small real client mix sends, in turn: a valid guest created (201), the list read (200), an invalid
 * guest refused (400) and the liveness probe (200). Only the first two reach DynamoDB.
 */
function loadRequest(n: number): LoadRequest {
  switch (n % 4) {
    case 0:
      return {
        method: 'POST',
        path: '/guests',
        body: {
          id: String(100_000 + n),
          firstname: 'Dana',
          surname: 'Levi',
          quantity: 2,
          phone: '0501234567',
          email: `dana${n}@example.com`,
        },
      };
    case 1:
      return { method: 'GET', path: '/guests?limit=10' };
    case 2:
      return { method: 'POST', path: '/guests', body: { firstname: 'no id' } };
    default:
      return { method: 'GET', path: '/healthz' };
  }
}

/**
 * Sends the request mix to the service, one every `everyMs` without waiting for answers, until `durationMs`
 * has passed or `maxRequests` were sent (or `signal` aborts); stops by itself. Resolves with the count sent.
 */
export async function runServiceLoad(
  baseUrl: string,
  o: {
    readonly everyMs: number;
    readonly durationMs: number;
    readonly maxRequests: number;
    readonly signal?: AbortSignal;
  },
): Promise<number> {
  const deadline = Date.now() + o.durationMs;
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (Date.now() < deadline && sent < o.maxRequests && !o.signal?.aborted) {
    const r = loadRequest(sent);
    inFlight.push(
      fetch(`${baseUrl}${r.path}`, {
        method: r.method,
        ...(r.body === undefined
          ? {}
          : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(r.body) }),
      }).then(
        (res) => res.text(),
        () => undefined,
      ),
    );
    sent++;
    await new Promise((resolve) => setTimeout(resolve, o.everyMs));
  }
  await Promise.all(inFlight);
  return sent;
}

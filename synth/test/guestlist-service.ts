// The real guest-list service for the metrics-verification tests, run as a deployment runs it: its own process
// (`node --import tsx service/src/main.ts`, the entry point the container's bundle is built from), configured
// only through its environment variables, over a real DynamoDB Local, its API and /metrics on ports of its own.
// synth/ never imports service/: the service is a program to start, not a library.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type DynamoLocal, startDynamoLocal, stopProcess } from './dynamo-local';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
  /** Stops the service (SIGTERM, SIGKILL after 15 s), then DynamoDB Local. */
  stop(): Promise<void>;
}

/** How long the JVM and the service (tsx compiling it on a loaded machine) may take to start. */
const START_TIMEOUT_MS = 90_000;

/** The last lines a process wrote, for the error when it fails to start. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}

/** The ports of the service's `listening` log line (JSON on stdout), once it was printed. */
function listeningPorts(stdout: string): { port: number; metricsPort: number } | undefined {
  // Complete lines only: the last one may still be arriving.
  for (const line of stdout.split('\n').slice(0, -1)) {
    if (!line.includes('"msg":"listening"')) continue;
    const fields = JSON.parse(line) as { port?: unknown; metrics_port?: unknown };
    if (typeof fields.port === 'number' && typeof fields.metrics_port === 'number') {
      return { port: fields.port, metricsPort: fields.metrics_port };
    }
  }
  return undefined;
}

/** Polls `GET <url>/readyz` until it answers 200 (what a readiness probe waits for). */
async function waitUntilReady(url: string, child: ChildProcess, output: () => string, deadline: number) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the service exited (${child.exitCode ?? child.signalCode}) before it was ready: ${tail(output())}`,
      );
    }
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.text().then(() => r.status),
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the service did not answer 200 on ${url}/readyz within ${START_TIMEOUT_MS} ms: ${tail(output())}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts DynamoDB Local, then the service over it (creating its tables) on ports the kernel picks. */
export async function startGuestlistService(): Promise<GuestlistService> {
  const ddb: DynamoLocal = await startDynamoLocal({ readyTimeoutMs: START_TIMEOUT_MS });
  // Only these variables: no AWS credentials from the caller's environment (the service then uses dummy ones
  // for DynamoDB Local), nothing of the test runner's.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PORT: '0',
    METRICS_PORT: '0',
    DDB_ENDPOINT_URL: ddb.endpoint,
    DDB_TABLE: 'guests-verify-test',
    DDB_GUARD_TABLE: 'guests-verify-test-guards',
    DDB_CREATE_TABLE: 'true',
    ENVIRONMENT: 'verify-test',
    // The ports come from the start line, logged at info; the output is read as it comes, only a tail kept.
    LOG_LEVEL: 'info',
    // Stopping is part of every run: no drain delay, in-flight requests get 5 s (at least the request budget).
    SHUTDOWN_DRAIN_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '5000',
    DDB_REQUEST_BUDGET_MS: '3000',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Always read both pipes (a full pipe would block the service); keep what start-up needs and a tail.
  let stdout = '';
  let started = false;
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout = started ? `${stdout}${chunk}`.slice(-4000) : `${stdout}${chunk}`;
  });
  child.stderr?.on('data', (chunk) => {
    stderr = `${stderr}${chunk}`.slice(-4000);
  });
  const output = () => `${stderr}\n${stdout}`;
  const stopService = () => stopProcess(child, 15_000);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let ports = listeningPorts(stdout);
    while (ports === undefined) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the service exited (${child.exitCode ?? child.signalCode}) before listening: ${tail(output())}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the service did not log "listening" within ${START_TIMEOUT_MS} ms: ${tail(output())}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
      ports = listeningPorts(stdout);
    }
    started = true;
    const url = `http://127.0.0.1:${ports.port}`;
    await waitUntilReady(url, child, output, deadline);
    const metricsTarget = `127.0.0.1:${ports.metricsPort}`;
    return {
      url,
      metricsTarget,
      freezeDatabase: () => ddb.freeze(),
      resumeDatabase: () => ddb.resume(),
      stop: async () => {
        ddb.resume();
        await stopService();
        await ddb.stop();
      },
    };
  } catch (err) {
    await stopService();
    await ddb.stop();
    throw err;
  }
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

import http from 'node:http';
import { Pool } from 'undici';
import type { Operation } from './run-load';

/** A serializable description of an HTTP request to repeat. */
export interface HttpSpec {
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  /** Paths to request; one is picked at random per request. */
  readonly paths: readonly string[];
  readonly expectStatus: number;
  /** Sends a new guest with a unique person id per request, counting up from `idBase`. */
  readonly uniqueGuestFrom?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A bench guest body; `id` must be unique per call. */
export function benchGuest(id: number): Record<string, string | number> {
  return {
    id: String(id),
    firstname: 'Bench',
    surname: 'Load',
    quantity: 2,
    phone: '0501234567',
    email: 'bench@example.com',
  };
}

/** The load process's HTTP clients: `node` (the default) or `undici` (`BENCH_HTTP_CLIENT`). */
export type HttpClientKind = 'node' | 'undici';
export const HTTP_CLIENT_KINDS: readonly HttpClientKind[] = ['node', 'undici'];

/** Keep-alive connections of one kind of client, one per request in flight, and operations over them. */
export interface HttpClient {
  readonly kind: HttpClientKind;
  operation(spec: HttpSpec): Operation;
  close(): Promise<void>;
}

/**
 * `node`: `node:http`'s client with a keep-alive agent, the same client the SDK floors send their calls
 * through, so both sides of a ratio pay the same client. `undici`: undici's `Pool`, which costs the load
 * process less per request (0.03 instead of 0.04 ms per /healthz on this machine): the bare Hono floor is
 * then no longer bound by its client, and the ratio of /healthz shows what the service's middleware
 * costs (the service README, "Benchmarks").
 */
export function httpClient(kind: HttpClientKind, baseUrl: string, connections: number): HttpClient {
  if (kind === 'undici') {
    const pool = new Pool(baseUrl, { connections, pipelining: 1 });
    return { kind, operation: (spec) => undiciOperation(spec, pool), close: () => pool.destroy() };
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  return {
    kind,
    operation: (spec) => httpOperation(spec, agent),
    close: async () => agent.destroy(),
  };
}

/** One request of a spec: a random path, a new guest body when the spec sends them, and what to check. */
interface NextRequest {
  readonly path: string;
  readonly body: string | undefined;
  /** undefined when `status` is the expected one, else a short description. */
  readonly check: (status: number) => string | undefined;
}

/** The requests a spec sends, one per call: shared by both clients, so they send exactly the same load. */
function requestsOf(spec: HttpSpec): () => NextRequest {
  let nextId = spec.uniqueGuestFrom ?? 0;
  return () => {
    const path = spec.paths[Math.floor(Math.random() * spec.paths.length)] ?? '/';
    const body = spec.uniqueGuestFrom === undefined ? undefined : JSON.stringify(benchGuest(nextId++));
    const check = (status: number) =>
      status === spec.expectStatus ? undefined : `${spec.method} ${path} -> ${status}`;
    return { path, body, check };
  };
}

/** Builds an operation that sends one request over an undici pool and drains the response. */
export function undiciOperation(spec: HttpSpec, pool: Pool): Operation {
  const next = requestsOf(spec);
  return async () => {
    const { path, body, check } = next();
    const res = await pool.request({
      method: spec.method,
      path,
      headers: { ...spec.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    await res.body.dump();
    return check(res.statusCode);
  };
}

/** Builds an operation that sends one request over a shared keep-alive agent and drains the response. */
export function httpOperation(spec: HttpSpec, agent: http.Agent): Operation {
  const url = new URL(spec.baseUrl);
  const next = requestsOf(spec);
  return () =>
    new Promise((resolve, reject) => {
      const { path, body, check } = next();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path,
          agent,
          headers: {
            ...spec.headers,
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          res.on('error', reject);
          res.on('end', () => resolve(check(res.statusCode ?? 0)));
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

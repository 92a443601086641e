import http from 'node:http';
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

/** Builds an operation that sends one request over a shared keep-alive agent and drains the response. */
export function httpOperation(spec: HttpSpec, agent: http.Agent): Operation {
  const url = new URL(spec.baseUrl);
  let nextId = spec.uniqueGuestFrom ?? 0;
  return () =>
    new Promise((resolve, reject) => {
      const path = spec.paths[Math.floor(Math.random() * spec.paths.length)] ?? '/';
      const body = spec.uniqueGuestFrom === undefined ? undefined : JSON.stringify(benchGuest(nextId++));
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
          const status = res.statusCode ?? 0;
          res.on('error', reject);
          res.on('end', () =>
            resolve(status === spec.expectStatus ? undefined : `${spec.method} ${path} -> ${status}`),
          );
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

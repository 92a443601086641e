// A keep-alive client's next request after a refused POST: it must never land on a socket the server drops.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server';
import { LOCAL_CREDENTIALS } from './ddb-local';
import { createMemoryLogger } from './memory-logger';
import { testConfig } from './test-config';

const MIB = 1024 * 1024;

/** A body of `bytes` bytes, sent with Content-Length (a string) or chunked (a stream of unknown length). */
function body(bytes: number, framing: 'content-length' | 'chunked'): string | Readable {
  if (framing === 'content-length') return 'x'.repeat(bytes);
  return Readable.from(
    (async function* () {
      for (let sent = 0; sent < bytes; sent += 64 * 1024)
        yield Buffer.alloc(Math.min(64 * 1024, bytes - sent), 120);
    })(),
  );
}

describe('keep-alive after a refused POST (real server on 127.0.0.1, undici with one connection)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(
      testConfig({
        port: 0,
        tableName: `t-${randomUUID()}`,
        endpointUrl: inject('ddbEndpoint'),
        createTable: true,
      }),
      { logger: createMemoryLogger(), hostname: '127.0.0.1', dynamo: { credentials: LOCAL_CREDENTIALS } },
    );
  });
  afterAll(() => server?.close());

  // The refusals decided before the body is read say `Connection: close`; the 400 has read the whole body
  // and keeps the connection. Either way the client's next request succeeds.
  const cases = [
    { status: 413, type: 'application/json', bytes: 2 * MIB, connection: 'close' },
    { status: 415, type: 'text/plain', bytes: 2 * MIB, connection: 'close' },
    { status: 400, type: 'application/json', bytes: 100, connection: 'keep-alive' },
  ] as const;
  for (const framing of ['content-length', 'chunked'] as const) {
    for (const { status, type, bytes, connection } of cases) {
      it(`should answer ${status} to a ${bytes}-byte ${framing} body, then serve the next request`, async () => {
        const client = new Client(server.url, { pipelining: 1 });
        let connects = 0;
        client.on('connect', () => {
          connects += 1;
        });
        try {
          const refused = await client.request({
            path: '/guests',
            method: 'POST',
            headers: { 'content-type': type },
            body: body(bytes, framing),
          });
          expect(refused.statusCode).toBe(status);
          expect(refused.headers.connection).toBe(connection);
          expect(((await refused.body.json()) as { error: string }).error).toMatch(
            { 413: /^Request body too large/, 415: /^Content-Type must be/, 400: /^Malformed JSON/ }[status],
          );
          // Past the moment the adapter used to destroy a socket whose body was left unread (0.5 s).
          await new Promise((r) => setTimeout(r, 700));
          const next = await client.request({ path: '/healthz', method: 'GET' });
          expect(next.statusCode).toBe(200);
          expect(await next.body.json()).toEqual({ status: 'ok' });
          // A kept connection is reused; a closed one is replaced.
          expect(connects).toBe(connection === 'close' ? 2 : 1);
        } finally {
          await client.close();
        }
      });
    }
  }

  it('should keep the connection of an ordinary request without a body', async () => {
    const client = new Client(server.url, { pipelining: 1 });
    try {
      for (let i = 0; i < 2; i += 1) {
        const res = await client.request({ path: '/guests?limit=1', method: 'GET' });
        expect(res.headers.connection).toBe('keep-alive');
        await res.body.text();
      }
    } finally {
      await client.close();
    }
  });
});

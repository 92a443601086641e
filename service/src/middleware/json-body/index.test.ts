import { once } from 'node:events';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env';
import { jsonBodyGuards } from '.';

// Through @hono/node-server on 127.0.0.1, as the service runs: a declared length within the limit skips
// hono's body-limit (and the Web stream it makes the node server build); everything else goes through it.
describe('jsonBodyGuards over a real Node server', () => {
  const LIMIT = 64;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const app = new Hono<AppEnv>();
    app.use('/', ...jsonBodyGuards(LIMIT));
    app.post('/', async (c) => c.json({ got: await c.req.json() }));
    app.onError((err, c) =>
      err instanceof HTTPException ? c.json({ error: err.message }, err.status) : c.json({ error: 'x' }, 500),
    );
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  /** Sends `chunks` as the body: with Content-Length when `declared`, else chunked. */
  const post = (chunks: string[], declared: boolean, type = 'application/json') =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          headers: { 'content-type': type, ...(declared ? { 'content-length': length } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });

  const body = (size: number) => {
    const text = `{"p":"${'x'.repeat(size - 8)}"}`;
    return [text.slice(0, 10), text.slice(10)];
  };

  it('should take a declared body within the limit, and one at exactly the limit', async () => {
    expect(await post(['{"a":1}'], true)).toEqual({ status: 200, body: { got: { a: 1 } } });
    const exact = body(LIMIT);
    expect(Buffer.byteLength(exact.join(''))).toBe(LIMIT);
    expect((await post(exact, true)).status).toBe(200);
  });

  it('should answer 413 for a declared length over the limit', async () => {
    expect(await post(body(LIMIT + 1), true)).toEqual({
      status: 413,
      body: { error: `Request body too large: more than ${LIMIT} bytes` },
    });
  });

  it('should count a chunked body: within the limit taken, over it 413', async () => {
    expect((await post(body(LIMIT), false)).status).toBe(200);
    expect((await post(body(LIMIT + 1), false)).status).toBe(413);
  });

  it('should answer 415 before looking at the size', async () => {
    expect((await post(body(LIMIT + 1), true, 'text/plain')).status).toBe(415);
  });
});

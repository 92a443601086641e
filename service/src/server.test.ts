import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../test/ddb-local';
import { validGuest } from '../test/harness';
import { createMemoryLogger } from '../test/memory-logger';
import { testConfig } from '../test/test-config';
import { type RunningServer, startServer } from './server';

describe('startServer', () => {
  let dir: string;
  let server: RunningServer;
  const logger = createMemoryLogger();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guest-public-'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><title>Guests</title><script src="/app.js"></script>',
    );
    await writeFile(join(dir, 'app.js'), 'console.log("hi");');
    server = await startServer(
      testConfig({
        port: 0,
        tableName: `t-${randomUUID()}`,
        endpointUrl: inject('ddbEndpoint'),
        createTable: true,
        publicDir: dir,
      }),
      { logger, hostname: '127.0.0.1', dynamo: { credentials: LOCAL_CREDENTIALS } },
    );
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should serve the API over HTTP on a free port with keep-alive longer than 60 s', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/guests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(validGuest()),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('Keep-Alive')).toBe('timeout=65');
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({
      status: 'healthy',
      guests_count: 1,
      dynamodb: 'ok',
    });
    expect(logger.lines.some((l) => l.msg === 'listening' && l.port === server.port)).toBe(true);
  });

  it('should serve the page files read at start, and 404 for one that was missing', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    expect(await page.text()).toContain('<title>Guests</title>');
    expect((await fetch(`${server.url}/app.js`)).headers.get('Content-Type')).toBe(
      'text/javascript; charset=utf-8',
    );
    // Written after start: not served, since files are read once.
    await writeFile(join(dir, 'app.css'), 'body{}');
    expect((await fetch(`${server.url}/app.css`)).status).toBe(404);
  });

  it('should report not-ready after startDraining', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.startDraining();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  });
});

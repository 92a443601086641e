import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env';
import { staticRoutes } from './static-page';

const encode = (text: string) => new TextEncoder().encode(text);

describe('static page routes', () => {
  const app = new Hono<AppEnv>().route(
    '/',
    staticRoutes({ indexHtml: encode('<!doctype html><title>Guests</title>'), appJs: encode('export {};') }),
  );

  it.each([
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>Guests</title>'],
    ['/app.js', 'text/javascript; charset=utf-8', 'export {};'],
  ])('should serve %s from memory as %s', async (path, type, body) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(await res.text()).toBe(body);
  });

  it('should answer 404 with a JSON error for a file that was missing at start', async () => {
    const res = await app.request('/app.css');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Static file 'app.css' is not available" });
  });
});

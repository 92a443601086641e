// Serves the web page's files (`/`, `/app.js`, `/app.css`, `/favicon.svg`) from memory.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

/** The web page's files, read once at start; a missing file is answered with 404. */
export interface StaticAssets {
  /** @default undefined (404) */
  readonly indexHtml?: Uint8Array;
  /** @default undefined (404) */
  readonly appJs?: Uint8Array;
  /** @default undefined (404) */
  readonly appCss?: Uint8Array;
  /** @default undefined (404) */
  readonly favicon?: Uint8Array;
}

const FILES = [
  ['/', 'indexHtml', 'text/html; charset=utf-8', 'index.html'],
  ['/app.js', 'appJs', 'text/javascript; charset=utf-8', 'app.js'],
  ['/app.css', 'appCss', 'text/css; charset=utf-8', 'app.css'],
  ['/favicon.svg', 'favicon', 'image/svg+xml', 'favicon.svg'],
] as const;

/** The page's files, as read by loadStaticAssets. */
export const STATIC_FILES = FILES.map(([, key, , file]) => [key, file] as const);

/** `GET /`, `/app.js`, `/app.css`, `/favicon.svg` from memory (no I/O per request). */
export const staticRoutes = (assets: StaticAssets) => {
  const app = new Hono<AppEnv>();
  for (const [path, key, type, file] of FILES) {
    app.get(path, (c) => {
      const content = assets[key];
      if (content === undefined) return c.json({ error: `Static file '${file}' is not available` }, 404);
      return c.body(content as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
      });
    });
  }
  return app;
};

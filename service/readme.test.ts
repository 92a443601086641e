import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from './src/app';
import { CONFIG_VARIABLES, testConfig } from './src/config';
import { createMemoryLogger } from './src/observability/logger';
import type { GuestStore } from './src/store/guest-store';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

/** The document only needs the route definitions; no route is called, so the store is never used. */
const unused = (): never => {
  throw new Error('not called: the OpenAPI document is built without I/O');
};
const store: GuestStore = { create: unused, get: unused, delete: unused, list: unused, count: unused };

describe('service/README.md', () => {
  it('should list exactly the operations of the OpenAPI document in its API reference', async () => {
    const app = createApp({
      store,
      config: testConfig({ apiTokens: ['t'.repeat(16)] }),
      logger: createMemoryLogger(),
    });
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const listed = [...readme.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`]*)` \|/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    // Not in the document: the document itself, the page, and /metrics (another port).
    const extra = ['GET /openapi.json', 'GET /', 'GET /metrics'];
    expect(listed.filter((op) => !extra.includes(op)).sort()).toEqual(documented.sort());
  });

  it('should describe every configuration variable the service reads', () => {
    const described = new Set([...readme.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    const internal = ['AWS_ACCESS_KEY_ID'];
    expect(CONFIG_VARIABLES.filter((v) => !internal.includes(v) && !described.has(v))).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from './src/app';
import { CONFIG_VARIABLES } from './src/config';
import type { GuestStore } from './src/store/guest-store';
import { createMemoryLogger } from './test/memory-logger';
import { testConfig } from './test/test-config';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

/** The document only needs the route definitions; no route is called, so the store is never used. */
const unused = (): never => {
  throw new Error('not called: the OpenAPI document is built without I/O');
};
const store: GuestStore = {
  create: unused,
  get: unused,
  delete: unused,
  list: unused,
  count: unused,
  checkTables: unused,
};

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

  it('should have a row in the configuration tables for every environment variable the service and its tools read', () => {
    const section = readme.slice(readme.indexOf('\n## Configuration'), readme.indexOf('\n## Design'));
    // The first cell of each table row of the section.
    const rows = [...section.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1] ?? '');
    const inTables = new Set(
      rows.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
    );
    // What the code reads: the config schema, and every `process.env.X` / bench knob in the service's sources.
    const sources = readdirSync(new URL('.', import.meta.url), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('node_modules'),
    );
    const read = new Set(CONFIG_VARIABLES);
    for (const file of sources) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)|knob\('([A-Z][A-Z0-9_]+)'/g)) {
        read.add((m[1] ?? m[2]) as string);
      }
    }
    read.delete('PATH'); // passed through to child processes, not a setting
    expect(read.size).toBeGreaterThan(CONFIG_VARIABLES.length);
    expect([...read].filter((v) => !inTables.has(v)).sort()).toEqual([]);
  });
});

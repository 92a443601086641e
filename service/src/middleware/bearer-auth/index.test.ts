import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../../test/harness';
import { createMemoryLogger } from '../../../test/memory-logger';
import { watchTokenFile } from '../../auth/token-source';
import { tokenMatches } from '.';

const TOKEN = 'tok-aaaaaaaaaaaaaaaaaaaa';
const OTHER = 'tok-bbbbbbbbbbbbbbbbbbbb';

describe('bearer auth on /guests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ config: { apiTokens: [TOKEN, OTHER] } });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it.each([
    ['GET', '/guests'],
    ['GET', '/guests/abc'],
    ['DELETE', '/guests/abc'],
    ['POST', '/guests'],
  ])('should answer 401 to %s %s without a token', async (method, path) => {
    const res = await h.app.request(path, { method, headers: { 'X-Request-Id': 'req-401' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="guests"');
    expect(res.headers.get('X-Request-Id')).toBe('req-401');
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    expect(await res.json()).toEqual({ error: 'Missing bearer token: send Authorization: Bearer <token>' });
  });

  it('should answer 401 to a wrong token and 400 to a malformed header', async () => {
    const wrong = await h.app.request('/guests', { headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    expect(await wrong.json()).toEqual({ error: 'Invalid bearer token' });
    const basic = await h.app.request('/guests', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(400);
    expect(await basic.json()).toEqual({
      error:
        'Malformed Authorization header: it must be Bearer <token> (token characters A-Z a-z 0-9 . _ ~ + / - =)',
    });
  });

  it('should accept every configured token', async () => {
    for (const token of [TOKEN, OTHER]) {
      const res = await h.app.request('/guests', { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    }
    const created = await h.post(validGuest(), { Authorization: `Bearer ${TOKEN}` });
    expect(created.status).toBe(201);
  });

  it('should declare the bearer scheme on /guests operations in OpenAPI', async () => {
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(doc.paths['/guests'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(doc.paths['/guests'].post.responses['401']).toBeDefined();
  });

  it('should leave health, the document and the page open', async () => {
    for (const path of ['/healthz', '/health', '/readyz', '/api', '/openapi.json']) {
      expect((await h.app.request(path)).status).toBe(200);
    }
  });
});

describe('tokenMatches', () => {
  it('should match any configured token and nothing else, whatever the length presented', async () => {
    expect(await tokenMatches(TOKEN, [TOKEN, OTHER])).toBe(true);
    expect(await tokenMatches(OTHER, [TOKEN, OTHER])).toBe(true);
    expect(await tokenMatches('', [TOKEN, OTHER])).toBe(false);
    expect(await tokenMatches('x'.repeat(10_000), [TOKEN, OTHER])).toBe(false);
    expect(await tokenMatches(TOKEN.slice(0, -1), [TOKEN, OTHER])).toBe(false);
    expect(await tokenMatches(TOKEN, [])).toBe(false);
  });
});

describe('a rotated tokens file (Kubernetes Secret volume)', () => {
  const OLD = 'old-token-aaaaaaaaaaaa';
  const NEW = 'new-token-bbbbbbbbbbbb';
  let dir: string;
  let h: Harness;
  const logger = createMemoryLogger();

  /** Lays out files like the kubelet: tokens -> ..data/tokens, ..data -> ..<version> (swapped atomically). */
  async function publish(version: string, content: string) {
    await mkdir(join(dir, `..${version}`));
    await writeFile(join(dir, `..${version}`, 'tokens'), content);
    await symlink(`..${version}`, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  }

  const status = async (token: string) =>
    (await h.app.request('/guests', { headers: { Authorization: `Bearer ${token}` } })).status;

  const eventually = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokens-'));
    await publish('v1', `${OLD}\n`);
    await symlink('..data/tokens', join(dir, 'tokens'));
    const tokens = watchTokenFile({ path: join(dir, 'tokens'), initial: [OLD], logger, intervalMs: 50 });
    h = await createHarness({ config: { apiTokens: [OLD] }, tokens });
  });
  afterAll(async () => {
    await h?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('should accept the new token and refuse the old one after the swap, without a restart', async () => {
    expect(await status(OLD)).toBe(200);
    expect(await status(NEW)).toBe(401);
    await publish('v2', `${NEW}\n`);
    await eventually(async () => (await status(NEW)) === 200);
    expect(await status(OLD)).toBe(401);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ msg: 'api tokens reloaded', file_tokens: 1 }),
    );
  });

  it('should keep the last good tokens when the file is rotated to an empty one (never auth off)', async () => {
    await publish('v3', '\n');
    await eventually(async () =>
      logger.lines.some((l) => l.msg === 'api tokens file change ignored; keeping the previous tokens'),
    );
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        reason:
          'API_TOKENS_FILE holds no tokens; it must hold at least one token, comma- or newline-separated',
      }),
    );
    expect(await status(NEW)).toBe(200);
    expect((await h.app.request('/guests')).status).toBe(401);
  });
});

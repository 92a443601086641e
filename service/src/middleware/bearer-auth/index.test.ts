import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../../test/harness';
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
    const res = await h.app.request(path, { method });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="guests"');
    expect(await res.json()).toEqual({ error: 'Missing bearer token: send Authorization: Bearer <token>' });
  });

  it('should answer 401 to a wrong token and to a malformed header', async () => {
    const wrong = await h.app.request('/guests', { headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Invalid bearer token' });
    const basic = await h.app.request('/guests', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect(await basic.json()).toEqual({
      error: 'Malformed Authorization header: it must be Bearer <token>',
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
    expect(doc.paths['/guests'].post.responses['401']).toBeDefined();
  });

  it('should leave health, metrics and the page open', async () => {
    for (const path of ['/healthz', '/health', '/readyz', '/api', '/metrics', '/openapi.json']) {
      expect((await h.app.request(path)).status).toBe(200);
    }
  });
});

describe('tokenMatches', () => {
  const digests = [TOKEN, OTHER].map((t) => createHash('sha256').update(t).digest());

  it('should compare fixed-length digests so any length of presented token is safe', () => {
    expect(tokenMatches(TOKEN, digests)).toBe(true);
    expect(tokenMatches(OTHER, digests)).toBe(true);
    expect(tokenMatches('', digests)).toBe(false);
    expect(tokenMatches('x'.repeat(10_000), digests)).toBe(false);
    expect(tokenMatches(TOKEN.slice(0, -1), digests)).toBe(false);
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env';
import { requestId } from '.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const app = new Hono<AppEnv>().use(requestId()).get('/', (c) => c.text(c.get('requestId')));

describe('requestId', () => {
  it('should reuse a safe incoming X-Request-Id', async () => {
    const res = await app.request('/', { headers: { 'X-Request-Id': 'abc-123_x.y' } });
    expect(res.headers.get('X-Request-Id')).toBe('abc-123_x.y');
    expect(await res.text()).toBe('abc-123_x.y');
  });

  it.each(['has space', 'a'.repeat(129), 'inject"quote', 'path/like', ''])(
    'should replace the unsafe id %j with a new UUID',
    async (incoming) => {
      const res = await app.request('/', { headers: { 'X-Request-Id': incoming } });
      const id = res.headers.get('X-Request-Id') ?? '';
      expect(id).toMatch(UUID);
      expect(await res.text()).toBe(id);
    },
  );

  it('should make a new UUID per request when none is sent', async () => {
    const a = (await app.request('/')).headers.get('X-Request-Id');
    const b = (await app.request('/')).headers.get('X-Request-Id');
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Readiness } from '../../readiness';
import { drainConnections } from '.';

describe('drainConnections', () => {
  it('should ask clients to close the connection only while draining', async () => {
    const readiness = new Readiness();
    const app = new Hono();
    app.use('*', drainConnections(readiness));
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/')).headers.get('Connection')).toBeNull();
    readiness.startDraining();
    const res = await app.request('/');
    expect(res.headers.get('Connection')).toBe('close');
    expect(await res.text()).toBe('ok');
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { currentRequestBudget } from '../../store/request-budget';
import { requestBudget } from '.';

describe('requestBudget', () => {
  it('should give each request its own budget, minus the reserve for the answer', async () => {
    const app = new Hono();
    app.use('*', requestBudget(3000));
    app.get('/', async (c) => {
      await new Promise((r) => setTimeout(r, 20));
      const budget = currentRequestBudget();
      return c.json({ budgetMs: budget?.budgetMs, remaining: budget?.remainingMs() });
    });
    const res = await app.request('/');
    const body = (await res.json()) as { budgetMs: number; remaining: number };
    expect(body.budgetMs).toBe(3000);
    // 3000 - 300 reserved (a tenth) - the 20 ms spent, or more on a busy machine. A timer may fire up to 1 ms
    // early by performance.now()'s clock (seen on Node 24: 2680.38 left after a 20 ms timeout).
    expect(body.remaining).toBeLessThanOrEqual(2681);
    expect(body.remaining).toBeGreaterThan(2000);
    expect(currentRequestBudget()).toBeUndefined();
  });

  it('should abort the budget signal of a request that runs past it', async () => {
    const app = new Hono();
    app.use('*', requestBudget(200));
    app.get('/', async (c) => {
      const signal = currentRequestBudget()?.signal;
      await new Promise((r) => setTimeout(r, 250));
      return c.json({ aborted: signal?.aborted, reason: (signal?.reason as Error | undefined)?.message });
    });
    expect(await (await app.request('/')).json()).toEqual({
      aborted: true,
      reason: 'request budget of 200 ms exhausted',
    });
  });
});

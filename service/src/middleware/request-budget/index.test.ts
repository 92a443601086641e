import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env';
import { requestBudget } from '.';

describe('requestBudget', () => {
  it('should give each request its own budget, minus the reserve for the answer', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', requestBudget(3000));
    const budgets = new Set<unknown>();
    app.get('/', async (c) => {
      await new Promise((r) => setTimeout(r, 20));
      const budget = c.var.budget;
      budgets.add(budget);
      return c.json({ budgetMs: budget?.budgetMs, remaining: budget?.remainingMs() });
    });
    const [res] = await Promise.all([app.request('/'), app.request('/')]);
    const body = (await res.json()) as { budgetMs: number; remaining: number };
    expect(body.budgetMs).toBe(3000);
    // 3000 - 300 reserved (a tenth) - the 20 ms spent, or more on a busy machine. A timer may fire up to 1 ms
    // early by performance.now()'s clock (seen on Node 24: 2680.38 left after a 20 ms timeout).
    expect(body.remaining).toBeLessThanOrEqual(2681);
    expect(body.remaining).toBeGreaterThan(2000);
    expect(budgets.size).toBe(2);
  });

  it('should abort the budget signal of a request that runs past it, and stop the timer after the answer', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', requestBudget(200));
    const signals: AbortSignal[] = [];
    app.get('/slow', async (c) => {
      const signal = c.var.budget?.signal;
      await new Promise((r) => setTimeout(r, 250));
      return c.json({ aborted: signal?.aborted, reason: (signal?.reason as Error | undefined)?.message });
    });
    app.get('/fast', (c) => {
      if (c.var.budget !== undefined) signals.push(c.var.budget.signal);
      return c.text('ok');
    });
    expect(await (await app.request('/slow')).json()).toEqual({
      aborted: true,
      reason: 'request budget of 200 ms exhausted',
    });
    await app.request('/fast');
    await new Promise((r) => setTimeout(r, 250));
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
  });
});

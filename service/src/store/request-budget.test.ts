import { describe, expect, it } from 'vitest';
import {
  currentRequestBudget,
  RequestBudget,
  RequestBudgetExceededError,
  withRequestBudget,
} from './request-budget';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withRequestBudget', () => {
  it('should make the budget visible across awaits and timers inside, and nowhere outside', async () => {
    expect(currentRequestBudget()).toBeUndefined();
    const seen = await withRequestBudget(1000, async () => {
      await sleep(5);
      const inTimer = await new Promise((r) => setTimeout(() => r(currentRequestBudget()?.budgetMs), 1));
      return [currentRequestBudget()?.budgetMs, inTimer];
    });
    expect(seen).toEqual([1000, 1000]);
    expect(currentRequestBudget()).toBeUndefined();
  });

  it('should give concurrent requests their own budgets', async () => {
    const budgets = await Promise.all(
      [100, 200].map((ms) =>
        withRequestBudget(ms, async () => {
          await sleep(10);
          return currentRequestBudget()?.budgetMs;
        }),
      ),
    );
    expect(budgets).toEqual([100, 200]);
  });
});

describe('RequestBudget', () => {
  it('should abort its signal at the deadline with an error naming the budget', async () => {
    const budget = new RequestBudget(60);
    const start = performance.now();
    const reason = await new Promise((r) =>
      budget.signal.addEventListener('abort', () => r(budget.signal.reason)),
    );
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    expect(reason).toBeInstanceOf(RequestBudgetExceededError);
    expect((reason as Error).message).toBe('request budget of 60 ms exhausted');
    expect(budget.exhausted).toBe(true);
  });

  it('should hand out an already aborted signal once exhausted, and none of its timer after dispose', async () => {
    const late = new RequestBudget(1);
    await sleep(5);
    expect(late.signal.aborted).toBe(true);
    const disposed = new RequestBudget(20);
    const { signal } = disposed;
    disposed.dispose();
    await sleep(40);
    expect(signal.aborted).toBe(false);
  });
});

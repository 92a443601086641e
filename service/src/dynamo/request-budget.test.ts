import { describe, expect, it } from 'vitest';
import { RequestBudget, RequestBudgetExceededError, withRequestBudget } from './request-budget';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  it('should cut DynamoDB calls the reserve before the end of the budget', () => {
    const budget = new RequestBudget(1000, 100);
    expect(budget.remainingMs()).toBeLessThanOrEqual(900);
    expect(budget.remainingMs()).toBeGreaterThan(850);
  });
});

describe('withRequestBudget', () => {
  it('should hand the work its budget and stop the timer when the work ends', async () => {
    let seen: RequestBudget | undefined;
    const signal = await withRequestBudget(30, async (budget) => {
      seen = budget;
      return budget.signal;
    });
    expect(seen?.budgetMs).toBe(30);
    await sleep(60);
    expect(signal.aborted).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../test/memory-logger';
import { testConfig } from '../test/test-config';
import { createApp } from './app';
import { RequestBudget } from './dynamo/request-budget';
import type { Guest } from './schemas/guest';
import type { CallOptions, GuestStore } from './store/guest-store';

// Every route that reaches the store hands it the request's budget: the store is where it is put on each
// DynamoDB call (the budget's effect on real calls: dynamo/call-budget.test.ts, test/faults.test.ts).
describe('the request budget, from the middleware to the store', () => {
  const guest: Guest = {
    seq_num: 'a',
    id: '1',
    firstname: 'A',
    surname: 'B',
    quantity: '1',
    phone: '0501234567',
    email: 'a@example.com',
  };
  const seen: { call: string; options: CallOptions | undefined }[] = [];
  const store: GuestStore = {
    create: async (_input, options) => {
      seen.push({ call: 'create', options });
      return guest;
    },
    get: async (_seqNum, options) => {
      seen.push({ call: 'get', options });
      return guest;
    },
    delete: async (_seqNum, options) => {
      seen.push({ call: 'delete', options });
      return true;
    },
    list: async (_limit, _cursor, options) => {
      seen.push({ call: 'list', options });
      return { guests: [guest] };
    },
    count: async (options) => {
      seen.push({ call: 'count', options });
      return 1;
    },
    checkTables: async (options) => {
      seen.push({ call: 'checkTables', options });
      return [];
    },
  };

  it('should pass every store call a fresh budget of DDB_REQUEST_BUDGET_MS', async () => {
    const app = createApp({
      store,
      config: testConfig({ requestBudgetMs: 2500 }),
      logger: createMemoryLogger(),
    });
    const body = JSON.stringify({
      id: '123456789',
      firstname: 'C',
      surname: 'D',
      quantity: 1,
      phone: '0501234567',
      email: 'c@example.com',
    });
    const requests: [string, RequestInit?][] = [
      ['/guests'],
      ['/guests/a'],
      ['/guests', { method: 'POST', body, headers: { 'content-type': 'application/json' } }],
      ['/guests/a', { method: 'DELETE' }],
      ['/health'],
    ];
    for (const [path, init] of requests) {
      const res = await app.request(path, init);
      expect(res.status, `${path}: ${await res.text()}`).toBeLessThan(300);
    }
    expect(seen.map((s) => s.call)).toEqual(['list', 'get', 'create', 'delete', 'count']);
    const budgets = seen.map((s) => s.options?.budget);
    for (const budget of budgets) {
      expect(budget).toBeInstanceOf(RequestBudget);
      expect(budget?.budgetMs).toBe(2500);
    }
    expect(new Set(budgets).size).toBe(budgets.length);
  });
});

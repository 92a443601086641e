import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeEndpoint, fakeEndpoint } from '../../test/fake-endpoint';
import { throttleResponse } from '../../test/fault-proxy';
import { withinBudget } from './call-budget';
import { createDynamoClient } from './client';
import { RequestBudget, RequestBudgetExceededError } from './request-budget';

// The service's real client (createDynamoClient: budget middlewares, request handler, retry strategy)
// against two real TCP servers on 127.0.0.1: one that accepts and never answers, one that answers every
// request with DynamoDB's throttling error.
type Mode = 'hang' | 'throttle' | 'throttle-retry-after';

function fakeDynamo(mode: Mode): Promise<FakeEndpoint> {
  if (mode === 'hang') return fakeEndpoint();
  const answer = throttleResponse('ThrottlingException').toString('latin1');
  // A server's hint to wait 5 s before retrying (the SDK honours it, up to its backoff + 5 s).
  const hinted = answer.replace('\r\n\r\n', '\r\nRetry-After: 5\r\n\r\n');
  const bytes = Buffer.from(mode === 'throttle' ? answer : hinted, 'latin1');
  return fakeEndpoint((socket) => socket.write(bytes));
}

const clientFor = (endpoint: string) =>
  createDynamoClient(
    { region: 'eu-west-1', endpointUrl: endpoint, useLocalCredentials: true },
    { requestTimeoutMs: 5000 },
  );
const get = () => new GetItemCommand({ TableName: 'guests', Key: { seq_num: { S: 'x' } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed(work: Promise<unknown>): Promise<{ error: Error | undefined; ms: number }> {
  const start = performance.now();
  const error = await work.then(
    () => undefined,
    (e: Error) => e,
  );
  return { error, ms: performance.now() - start };
}

describe('a DynamoDB call under a request budget (real client, local TCP servers)', () => {
  let hung: FakeEndpoint;
  let throttling: FakeEndpoint;
  beforeAll(async () => {
    hung = await fakeDynamo('hang');
    throttling = await fakeDynamo('throttle');
  });
  afterAll(() => {
    hung.close();
    throttling.close();
  });

  it('should abort the attempt at the deadline, name the budget, and close its socket', async () => {
    const client = clientFor(hung.endpoint);
    const budget = new RequestBudget(150);
    const { error, ms } = await timed(client.send(withinBudget(get(), budget)));
    expect(error).toBeInstanceOf(RequestBudgetExceededError);
    expect(error?.message).toBe('request budget of 150 ms exhausted');
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1000);
    await sleep(50);
    expect(hung.sockets.size).toBe(0);
    budget.dispose();
    client.destroy();
  });

  it('should give concurrent calls of one cached command class their own budgets', async () => {
    const client = clientFor(hung.endpoint);
    const budgets = [new RequestBudget(100), new RequestBudget(400)];
    const [short, long] = await Promise.all(budgets.map((b) => timed(client.send(withinBudget(get(), b)))));
    expect(short?.error?.message).toBe('request budget of 100 ms exhausted');
    expect(long?.error?.message).toBe('request budget of 400 ms exhausted');
    expect(short?.ms).toBeLessThan(350);
    expect(long?.ms).toBeGreaterThanOrEqual(390);
    for (const b of budgets) b.dispose();
    client.destroy();
  });

  it('should fail at once, without connecting, when the budget is already spent', async () => {
    const client = clientFor(hung.endpoint);
    const before = hung.connections;
    const budget = new RequestBudget(1);
    await sleep(5);
    const { error, ms } = await timed(client.send(withinBudget(get(), budget)));
    expect(error).toBeInstanceOf(RequestBudgetExceededError);
    expect(ms).toBeLessThan(100);
    expect(hung.connections).toBe(before);
    client.destroy();
  });

  it('should retry throttling inside the budget, and end a backoff that would overrun it', async () => {
    // Throttling backs off from a 1 s base: the second retry's wait (0-2 s) rarely fits 300 ms.
    const client = clientFor(throttling.endpoint);
    throttling.requests = 0;
    const budget = new RequestBudget(300);
    const { error, ms } = await timed(client.send(withinBudget(get(), budget)));
    expect(['RequestBudgetExceededError', 'ThrottlingException']).toContain(error?.name);
    expect(ms).toBeLessThan(300 + 100);
    expect(throttling.requests).toBeGreaterThanOrEqual(1);
    expect(throttling.requests).toBeLessThanOrEqual(3);
    budget.dispose();
    client.destroy();
  });

  it('should end a wait for a long Retry-After hint where the retry would no longer fit the budget (50 ms before its end)', async () => {
    const server = await fakeDynamo('throttle-retry-after');
    const client = clientFor(server.endpoint);
    const budget = new RequestBudget(300);
    const { error, ms } = await timed(client.send(withinBudget(get(), budget)));
    // When no retry is made, the SDK's retry middleware throws the last attempt's error.
    expect(error?.name).toBe('ThrottlingException');
    expect(ms).toBeGreaterThanOrEqual(240);
    expect(ms).toBeLessThan(300 + 100);
    expect(server.requests).toBe(1);
    budget.dispose();
    client.destroy();
    server.close();
  });

  it('should leave a call without a budget to the standard retries: 3 attempts', async () => {
    const client = clientFor(throttling.endpoint);
    throttling.requests = 0;
    const { error } = await timed(client.send(get()));
    expect(error?.name).toBe('ThrottlingException');
    expect(throttling.requests).toBe(3);
    client.destroy();
  }, 10_000);
});

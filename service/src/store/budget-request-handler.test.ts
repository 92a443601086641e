import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetRequestHandler } from './budget-request-handler';

describe('BudgetRequestHandler', () => {
  // A real server on 127.0.0.1 that accepts connections and never answers (a hung endpoint).
  let server: Server;
  const sockets = new Set<Socket>();
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.resume();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  const request = () =>
    new HttpRequest({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      body: '{}',
    });
  const handler = (requestTimeout = 0) =>
    new BudgetRequestHandler(new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true }));

  it('should show why the client sets throwOnRequestTimeout: without it the SDK waits on past requestTimeout', async () => {
    // The cause of the reported hangs: the SDK's requestTimeout only logs a warning by default.
    const warnings: string[] = [];
    const plain = new NodeHttpHandler({
      requestTimeout: 100,
      logger: { ...console, warn: (m: string) => warnings.push(m) },
    });
    const outcome = await Promise.race([
      plain.handle(request()).then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 400)),
    ]);
    expect(outcome).toBe('still waiting');
    expect(warnings.join('\n')).toMatch(/exceeded the configured 100 ms requestTimeout/);
    plain.destroy();
  });

  // Calls under a budget, through the whole client: call-budget.test.ts.
  it('should leave calls without a budget to the per-attempt timeout', async () => {
    const h = handler(100);
    const err = await h.handle(request()).catch((e: Error) => e);
    expect((err as Error).name).toBe('TimeoutError');
    h.destroy();
  });
});

import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, RequestSplitter, startFaultProxy } from './fault-proxy';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One POST through the proxy; rejects with the socket error, or 'timeout' after `timeoutMs`. */
function send(proxy: FaultProxy, agent: Agent, body = '{"a":1}', timeoutMs = 2000): Promise<Answer> {
  return new Promise((resolveAnswer, rejectAnswer) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: proxy.port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', rejectAnswer);
        res.on('aborted', () => rejectAnswer(new Error('aborted')));
        res.on('end', () =>
          resolveAnswer({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', rejectAnswer);
    req.end(body);
  });
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => 'answered',
    (err: NodeJS.ErrnoException) => err.code ?? err.message,
  );

describe('RequestSplitter', () => {
  it('should split two requests that arrive in one chunk and one that arrives in three', () => {
    const one = 'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}';
    const two = 'POST /x HTTP/1.1\r\ncontent-length: 5\r\n\r\nhello';
    const splitter = new RequestSplitter();
    expect(splitter.push(Buffer.from(one + two)).map(String)).toEqual([one, two]);
    expect(splitter.push(Buffer.from(two.slice(0, 10)))).toEqual([]);
    expect(splitter.push(Buffer.from(two.slice(10, 40)))).toEqual([]);
    expect(splitter.push(Buffer.from(two.slice(40))).map(String)).toEqual([two]);
  });

  it('should refuse chunked bodies with a message naming the rule', () => {
    const splitter = new RequestSplitter();
    expect(() => splitter.push(Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'))).toThrow(
      'chunked request bodies are not supported (the SDK sends Content-Length)',
    );
  });
});

describe('startFaultProxy', () => {
  let upstream: Server;
  let proxy: FaultProxy;
  let agent: Agent;
  beforeAll(async () => {
    // A real HTTP server that echoes the body: enough to see what the proxy passes on.
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.stringify({ echo: Buffer.concat(chunks).toString(), pad: 'x'.repeat(200) });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    proxy = await startFaultProxy({ upstreamPort: (upstream.address() as AddressInfo).port });
  });
  beforeEach(() => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(async () => {
    agent.destroy();
    await proxy.setFault({ kind: 'none' });
    proxy.resetStats();
  });
  afterAll(async () => {
    await proxy?.close();
    upstream?.close();
  });

  it('should pass answers through unchanged and keep the connection alive', async () => {
    const first = await send(proxy, agent, '{"n":1}');
    const second = await send(proxy, agent, '{"n":2}');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).echo).toBe('{"n":1}');
    expect(JSON.parse(second.body).echo).toBe('{"n":2}');
    expect(proxy.stats).toMatchObject({ connections: 1, requests: 2, forwarded: 2 });
  });

  it('should swallow requests in a black hole and answer again once it is cleared', async () => {
    expect((await send(proxy, agent)).status).toBe(200);
    await proxy.setFault({ kind: 'black-hole' });
    expect(await errorOf(send(proxy, agent, '{}', 300))).toBe('timeout');
    expect(await errorOf(send(proxy, agent, '{}', 300))).toBe('timeout');
    expect(proxy.stats).toMatchObject({ swallowed: 2, forwarded: 1 });
    await proxy.setFault({ kind: 'none' });
    expect((await send(proxy, agent)).status).toBe(200);
  });

  it('should delay each answer by the configured latency', async () => {
    await proxy.setFault({ kind: 'latency', ms: 300 });
    const start = performance.now();
    expect((await send(proxy, agent)).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(295);
  });

  it('should reset the connection in the middle of an answer', async () => {
    await proxy.setFault({ kind: 'reset-mid-response' });
    expect(['ECONNRESET', 'aborted']).toContain(await errorOf(send(proxy, agent)));
    expect(proxy.stats.resets).toBe(1);
  });

  it('should refuse new connections, reset open ones, and listen again on the same port', async () => {
    expect((await send(proxy, agent)).status).toBe(200);
    await proxy.setFault({ kind: 'refuse' });
    expect(await errorOf(send(proxy, agent))).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);
    expect(await errorOf(send(proxy, new Agent()))).toBe('ECONNREFUSED');
    await proxy.setFault({ kind: 'none' });
    expect((await send(proxy, agent)).status).toBe(200);
  });

  it('should answer the given share of requests with a DynamoDB throttling error', async () => {
    await proxy.setFault({ kind: 'throttle', share: 0.5, error: 'ThrottlingException' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await send(proxy, agent));
    expect(answers.map((a) => a.status)).toEqual([200, 400, 200, 400]);
    expect(answers[1]?.headers['x-amzn-errortype']).toBe('ThrottlingException');
    expect(JSON.parse(answers[1]?.body ?? '')).toEqual({
      __type: 'com.amazon.coral.availability#ThrottlingException',
      message: 'Rate of requests exceeds the allowed throughput.',
    });
    expect(proxy.stats).toMatchObject({ requests: 4, throttled: 2, forwarded: 2, connections: 1 });
  });

  it('should throttle in a shape the AWS SDK parses as ProvisionedThroughputExceededException', async () => {
    await proxy.setFault({ kind: 'throttle', share: 1, error: 'ProvisionedThroughputExceededException' });
    const client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const err = await client.send(new GetItemCommand({ TableName: 't', Key: { k: { S: 'v' } } })).then(
        () => undefined,
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      );
      expect(err?.name).toBe('ProvisionedThroughputExceededException');
      expect(err?.$metadata?.httpStatusCode).toBe(400);
    } finally {
      client.destroy();
    }
  });
});

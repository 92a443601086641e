import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestSplitter } from '../../test/fault-proxy';
import { createDynamoClient } from '../dynamo-client';
import { classifyError } from './classify-error';
import { StoreUnavailableError } from './errors';

// The service's real client against a TCP server on 127.0.0.1 that starts a 200 answer, sends half of its
// body and closes the connection: the break happens after the request handler has returned, while the
// SDK reads the body.
describe('an answer whose connection breaks mid-body (real client, local TCP server)', () => {
  let server: Server;
  let endpoint: string;
  let requests = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      const splitter = new RequestSplitter();
      socket.on('data', (chunk) => {
        for (const _ of splitter.push(chunk)) {
          requests++;
          const body = '{"Item":{"seq_num":{"S":"x"}}}';
          socket.write(
            `HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: ${body.length}\r\n\r\n`,
          );
          socket.end(body.slice(0, 10));
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('should retry the attempt, as for a reset, and classify the last failure as storage unavailable', async () => {
    const client = createDynamoClient(
      { region: 'eu-west-1', endpointUrl: endpoint, useLocalCredentials: true },
      { maxAttempts: 3 },
    );
    requests = 0;
    const err = await client
      .send(new GetItemCommand({ TableName: 'guests', Key: { seq_num: { S: 'x' } } }))
      .catch((e: unknown) => e);
    client.destroy();
    expect(requests).toBe(3);
    expect((err as { code?: string }).code).toBe('UND_ERR_SOCKET');
    const classified = classifyError('GetItem', err);
    expect(classified).toBeInstanceOf(StoreUnavailableError);
    expect((classified as Error).message).toContain('UND_ERR_SOCKET');
  });
});

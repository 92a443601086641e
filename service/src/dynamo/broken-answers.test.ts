import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeEndpoint, fakeEndpoint } from '../../test/fake-endpoint';
import { classifyError } from '../store/classify-error';
import { StoreUnavailableError } from '../store/errors';
import { createDynamoClient } from './client';

// The service's real client against a TCP server on 127.0.0.1 that starts a 200 answer, sends a third of its
// body and closes the connection: the break happens after the request handler has returned, while the
// SDK reads the body.
describe('an answer whose connection breaks mid-body (real client, local TCP server)', () => {
  let server: FakeEndpoint;
  beforeAll(async () => {
    const body = '{"Item":{"seq_num":{"S":"x"}}}';
    server = await fakeEndpoint((socket) => {
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.end(body.slice(0, 10));
    });
  });
  afterAll(() => server.close());

  it('should retry the attempt, as for a reset, and classify the last failure as storage unavailable', async () => {
    const client = createDynamoClient(
      { region: 'eu-west-1', endpointUrl: server.endpoint, useLocalCredentials: true },
      { maxAttempts: 3 },
    );
    server.requests = 0;
    const err = await client
      .send(new GetItemCommand({ TableName: 'guests', Key: { seq_num: { S: 'x' } } }))
      .catch((e: unknown) => e);
    client.destroy();
    expect(server.requests).toBe(3);
    expect((err as { code?: string }).code).toBe('UND_ERR_SOCKET');
    const classified = classifyError('GetItem', err);
    expect(classified).toBeInstanceOf(StoreUnavailableError);
    expect((classified as Error).message).toContain('UND_ERR_SOCKET');
  });
});

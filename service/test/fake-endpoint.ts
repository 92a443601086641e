import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { RequestSplitter } from './fault-proxy';

/** A TCP server on 127.0.0.1 that stands in for DynamoDB: it reads HTTP/1.1 requests and answers as told. */
export interface FakeEndpoint {
  readonly endpoint: string;
  /** The connections open now. */
  readonly sockets: Set<Socket>;
  /** Connections accepted, and requests read, since the start (tests may reset them). */
  connections: number;
  requests: number;
  close(): void;
}

/**
 * Starts a fake endpoint. `answer` is called for every complete request read (split with the fault proxy's
 * RequestSplitter) and writes whatever the test needs to the socket; without it the endpoint accepts
 * connections, reads requests and never answers (a hung endpoint).
 */
export async function fakeEndpoint(answer?: (socket: Socket) => void): Promise<FakeEndpoint> {
  const sockets = new Set<Socket>();
  const fake = { sockets, connections: 0, requests: 0 } as FakeEndpoint;
  const server = createServer((socket) => {
    fake.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const splitter = new RequestSplitter();
    socket.on('data', (chunk) => {
      for (const _ of splitter.push(chunk)) {
        fake.requests++;
        answer?.(socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  });
}

import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** DynamoDB's two throttling errors (the table's capacity, and the account/API rate). */
export type ThrottleError = 'ProvisionedThroughputExceededException' | 'ThrottlingException';

/** What the proxy does to each HTTP request that reaches it while the fault is set. */
export type Fault =
  /** Forwards everything unchanged. */
  | { readonly kind: 'none' }
  /** Accepts connections and reads requests, never answers (a network black hole or hung endpoint). */
  | { readonly kind: 'black-hole' }
  /** Holds each request for `ms` before forwarding it (so its answer comes `ms` later). */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Forwards the request, then passes on half of the answer's first bytes and resets the connection (RST). */
  | { readonly kind: 'reset-mid-response' }
  /** Closes the listener (new connections get ECONNREFUSED) and resets every open connection. */
  | { readonly kind: 'refuse' }
  /** Answers `share` (0-1, spread evenly) of the requests itself with DynamoDB's throttling error. */
  | { readonly kind: 'throttle'; readonly share: number; readonly error: ThrottleError };

/** Counters since the proxy started (or since {@link FaultProxy.resetStats}). */
export interface FaultProxyStats {
  /** Connections accepted. */
  connections: number;
  /** Complete HTTP requests read from clients. */
  requests: number;
  /** Requests sent on to DynamoDB. */
  forwarded: number;
  /** Requests swallowed by the black hole. */
  swallowed: number;
  /** Requests answered with a throttling error. */
  throttled: number;
  /** Delayed requests dropped because the client closed the connection before the delay ended. */
  abandoned: number;
  /** Connections reset in the middle of an answer. */
  resets: number;
}

/** A fault-injecting TCP proxy in front of one upstream HTTP/1.1 server, on 127.0.0.1. */
export interface FaultProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>`: give this to the DynamoDB client. */
  readonly endpoint: string;
  readonly stats: Readonly<FaultProxyStats>;
  readonly fault: Fault;
  /** Open connections with a swallowed request: 0 once the client gave up on every one of them. */
  readonly hanging: number;
  /** Applies a fault to new and already open connections from the next request on. */
  setFault(fault: Fault): Promise<void>;
  resetStats(): void;
  /** Closes the listener and destroys every connection. */
  close(): Promise<void>;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  readonly upstreamPort: number;
  /** @default '127.0.0.1' */
  readonly upstreamHost?: string;
  /** @default a free port chosen by the OS */
  readonly port?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Larger request headers than this are not DynamoDB requests; the connection is dropped. */
const MAX_HEADER_BYTES = 64 * 1024;

const THROTTLE_BODIES: Record<ThrottleError, { type: string; message: string }> = {
  ProvisionedThroughputExceededException: {
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: {
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
};

/** DynamoDB's answer to a throttled request: HTTP 400, the error type in a header and in the JSON body. */
export function throttleResponse(error: ThrottleError): Buffer {
  const { type, message } = THROTTLE_BODIES[error];
  const body = Buffer.from(JSON.stringify({ __type: type, message }));
  const head = [
    'HTTP/1.1 400 Bad Request',
    `x-amzn-RequestId: ${randomUUID()}`,
    `x-amzn-ErrorType: ${error}`,
    'Content-Type: application/x-amz-json-1.0',
    `Content-Length: ${body.length}`,
    'Connection: keep-alive',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), body]);
}

/**
 * Splits a byte stream into HTTP/1.1 requests. The SDK always sends `Content-Length` (never chunked
 * bodies), so a request ends `Content-Length` bytes after its header block; anything else is refused.
 */
export class RequestSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the requests completed by them, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const done: Buffer[] = [];
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) {
          throw new Error(`request headers exceed ${MAX_HEADER_BYTES} bytes`);
        }
        return done;
      }
      const head = this.buffer.subarray(0, headerEnd).toString('latin1');
      if (/^transfer-encoding:/im.test(head)) {
        throw new Error('chunked request bodies are not supported (the SDK sends Content-Length)');
      }
      const match = /^content-length:\s*(\d+)\s*$/im.exec(head);
      const total = headerEnd + HEADER_END.length + (match === null ? 0 : Number(match[1]));
      if (this.buffer.length < total) return done;
      done.push(this.buffer.subarray(0, total));
      this.buffer = this.buffer.subarray(total);
    }
  }
}

/** Where to cut an answer's first chunk: past the header block and half of the body bytes present. */
function cutPoint(chunk: Buffer): number {
  const headerEnd = chunk.indexOf(HEADER_END);
  if (headerEnd < 0) return Math.max(1, Math.floor(chunk.length / 2));
  const bodyStart = headerEnd + HEADER_END.length;
  return bodyStart + Math.floor((chunk.length - bodyStart) / 2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the proxy; it forwards unchanged until {@link FaultProxy.setFault} says otherwise. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstreamHost = options.upstreamHost ?? '127.0.0.1';
  const stats: FaultProxyStats = {
    connections: 0,
    requests: 0,
    forwarded: 0,
    swallowed: 0,
    throttled: 0,
    resets: 0,
    abandoned: 0,
  };
  let fault: Fault = { kind: 'none' };
  let throttleCredit = 0;
  // A request is counted in the statistics of the period it arrived in: one that arrived before
  // resetStats() and ends after it (a held request abandoned later) does not leak into the new period.
  let period = 0;
  const open = new Set<Socket>();
  const swallowing = new Set<Socket>();

  const handleConnection = (client: Socket) => {
    stats.connections++;
    open.add(client);
    client.setNoDelay(true);
    const splitter = new RequestSplitter();
    let upstream: Socket | undefined;
    let resetNextAnswer = false;
    // Requests of one connection are handled one after the other (HTTP/1.1 keeps their order).
    let queue: Promise<void> = Promise.resolve();

    const destroyBoth = () => {
      client.destroy();
      upstream?.destroy();
    };
    const upstreamSocket = (): Socket => {
      if (upstream !== undefined) return upstream;
      const socket = createConnection({ host: upstreamHost, port: options.upstreamPort });
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => {
        if (!resetNextAnswer) {
          client.write(chunk);
          return;
        }
        resetNextAnswer = false;
        stats.resets++;
        client.write(chunk.subarray(0, cutPoint(chunk)), () => {
          client.resetAndDestroy();
          socket.destroy();
        });
      });
      socket.on('error', () => client.resetAndDestroy());
      socket.on('close', () => client.destroy());
      upstream = socket;
      return socket;
    };
    const forward = (request: Buffer) => {
      stats.forwarded++;
      upstreamSocket().write(request);
    };
    const handle = async (request: Buffer) => {
      stats.requests++;
      const arrivedIn = period;
      const current = fault;
      switch (current.kind) {
        case 'none':
        case 'refuse': // a request that was already on its way when the listener closed
          forward(request);
          return;
        case 'black-hole':
          stats.swallowed++;
          swallowing.add(client);
          return;
        case 'latency':
          await sleep(current.ms);
          if (!client.destroyed) forward(request);
          else if (arrivedIn === period) stats.abandoned++;
          return;
        case 'reset-mid-response':
          resetNextAnswer = true;
          forward(request);
          return;
        case 'throttle':
          throttleCredit += current.share;
          if (throttleCredit >= 1) {
            throttleCredit -= 1;
            stats.throttled++;
            client.write(throttleResponse(current.error));
          } else {
            forward(request);
          }
          return;
      }
    };

    client.on('data', (chunk: Buffer) => {
      let requests: Buffer[];
      try {
        requests = splitter.push(chunk);
      } catch {
        destroyBoth();
        return;
      }
      for (const request of requests) queue = queue.then(() => handle(request));
    });
    client.on('error', () => upstream?.destroy());
    client.on('close', () => {
      open.delete(client);
      swallowing.delete(client);
      upstream?.destroy();
    });
  };

  let server: Server = createServer(handleConnection);
  const listen = (port: number) =>
    new Promise<number>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', rejectListen);
        const address = server.address();
        resolveListen(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const closeListener = () => new Promise<void>((r) => server.close(() => r()));
  const port = await listen(options.port ?? 0);
  let listening = true;

  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    get fault() {
      return fault;
    },
    get hanging() {
      return swallowing.size;
    },
    async setFault(next: Fault) {
      fault = next;
      throttleCredit = 0;
      if (next.kind === 'refuse' && listening) {
        listening = false;
        const closed = closeListener();
        for (const socket of open) socket.resetAndDestroy();
        await closed;
      } else if (next.kind !== 'refuse' && !listening) {
        server = createServer(handleConnection);
        await listen(port);
        listening = true;
      }
    },
    resetStats() {
      period++;
      for (const key of Object.keys(stats) as (keyof FaultProxyStats)[]) stats[key] = 0;
    },
    async close() {
      for (const socket of open) socket.destroy();
      if (listening) {
        listening = false;
        await closeListener();
      }
    },
  };
}

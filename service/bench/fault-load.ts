import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchGuest } from './http-operation';

/** What became of one request: an HTTP status, 'hung' (no answer in time) or a socket error code. */
export type Outcome = number | 'hung' | string;

/** One request of the load. Times are `performance.now()` in ms. */
export interface RequestRecord {
  readonly route: string;
  readonly start: number;
  readonly end: number;
  readonly outcome: Outcome;
  /** True when the whole request had been written to the socket before it failed or was answered. */
  readonly sent: boolean;
  /** Person id of a POST. */
  readonly personId?: string;
}

/** Options of {@link FaultLoad}. */
export interface FaultLoadOptions {
  readonly baseUrl: string;
  /** Closed-loop workers, each with its own keep-alive connection. */
  readonly connections: number;
  /** An answer later than this counts as hung; the socket is destroyed. */
  readonly hungMs: number;
  /** Existing guests to read. */
  readonly seqNums: readonly string[];
  /** First person id of the POSTs (each POST takes the next). */
  readonly idFrom: number;
  /** Pause between a worker's requests. @default 0 */
  readonly thinkMs?: number;
  /**
   * Asked before each request, like a load balancer that stops sending to a pod once it is not ready;
   * requests in flight still finish. @default always routable
   */
  readonly routable?: () => boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A bounded closed-loop HTTP load over keep-alive connections: a mix of reads (55% GET one guest, 10% a
 * page, 5% /health) and writes (20% POST a new guest, 10% DELETE one it created). Every request is
 * recorded; none waits longer than `hungMs`. After an ECONNREFUSED a worker stops, as a load balancer
 * stops sending to a pod that no longer listens.
 */
export class FaultLoad {
  readonly records: RequestRecord[] = [];
  /** seq_nums of guests this load created and has not deleted. */
  private readonly created: string[] = [];
  private readonly agent: http.Agent;
  private readonly url: URL;
  private nextId: number;
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(private readonly options: FaultLoadOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
    this.url = new URL(options.baseUrl);
    this.nextId = options.idFrom;
  }

  /** The next person id the load would use (to start another load after this one). */
  get idCursor(): number {
    return this.nextId;
  }

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.options.connections }, () => this.work());
  }

  /** Stops the workers and waits for the requests in flight (at most `hungMs`). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.agent.destroy();
  }

  private async work(): Promise<void> {
    while (this.running && (this.options.routable?.() ?? true)) {
      const record = await this.one();
      this.records.push(record);
      if (record.outcome === 'ECONNREFUSED') return;
      if (this.options.thinkMs) await sleep(this.options.thinkMs);
    }
  }

  private one(): Promise<RequestRecord> {
    const dice = Math.random();
    const { seqNums } = this.options;
    if (dice < 0.2) {
      const personId = String(this.nextId++);
      return this.send(
        'POST /guests',
        'POST',
        '/guests',
        JSON.stringify(benchGuest(Number(personId))),
        personId,
      );
    }
    if (dice < 0.3) {
      const seq = this.created.shift();
      if (seq !== undefined) return this.send('DELETE /guests/:id', 'DELETE', `/guests/${seq}`);
    }
    if (dice < 0.4) return this.send('GET /guests', 'GET', '/guests?limit=50');
    if (dice < 0.45) return this.send('GET /health', 'GET', '/health');
    const seq = seqNums[Math.floor(Math.random() * seqNums.length)] ?? 'none';
    return this.send('GET /guests/:id', 'GET', `/guests/${seq}`);
  }

  private send(route: string, method: string, path: string, body?: string, personId?: string) {
    return new Promise<RequestRecord>((resolveRecord) => {
      const start = performance.now();
      let sent = false;
      let settled = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        resolveRecord({
          route,
          start,
          end: performance.now(),
          outcome,
          sent,
          ...(personId === undefined ? {} : { personId }),
        });
      };
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => done('ECONNRESET'));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (route === 'POST /guests' && status === 201) {
              this.created.push(JSON.parse(Buffer.concat(chunks).toString()).guest.seq_num);
            }
            done(status);
          });
        },
      );
      const watchdog = setTimeout(() => {
        done('hung');
        req.destroy();
      }, this.options.hungMs);
      req.on('finish', () => {
        sent = true;
      });
      req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
      req.end(body);
    });
  }
}

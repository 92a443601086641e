// Forked by bench:faults: polls /healthz and /readyz in its own process, so the load generator and the
// fault proxy (busy in the bench's process) do not delay its timings. Protocol over IPC: it starts on
// launch, and on { type: 'stop' } sends { type: 'samples', samples } and exits.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One probe answer: its path, time in ms, and HTTP status or error code. */
export interface ProbeSample {
  readonly path: string;
  readonly ms: number;
  readonly status: number | string;
  /**
   * How late the prober's own timer fired before this pair of probes, in ms: when this is as large as
   * `ms`, the machine's CPUs were busy elsewhere and the prober itself waited, not the service.
   */
  readonly ownDelayMs: number;
}

const base = new URL(process.argv[2] ?? 'http://127.0.0.1:1111');
const intervalMs = Number(process.argv[3] ?? 100);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const samples: ProbeSample[] = [];
let running = true;
let ownDelayMs = 0;

const get = (path: string) =>
  new Promise<void>((resolveGet) => {
    const start = performance.now();
    const req = http.get({ host: base.hostname, port: base.port, path, agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => {
        samples.push({ path, ms: performance.now() - start, status: res.statusCode ?? 0, ownDelayMs });
        resolveGet();
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('hung'), { code: 'hung' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      samples.push({ path, ms: performance.now() - start, status: err.code ?? err.message, ownDelayMs });
      resolveGet();
    });
  });

process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') running = false;
});

while (running) {
  await get('/healthz');
  await get('/readyz');
  const slept = performance.now();
  await new Promise((r) => setTimeout(r, intervalMs));
  ownDelayMs = performance.now() - slept - intervalMs;
}
agent.destroy();
process.send?.({ type: 'samples', samples }, () => process.exit(0));

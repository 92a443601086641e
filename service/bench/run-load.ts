import { performance } from 'node:perf_hooks';
import { type ScenarioResult, summarize } from './stats';

/** One request; resolves to undefined when it succeeded, else a short description of what went wrong. */
export type Operation = () => Promise<string | undefined>;

/** How hard and how long to drive an operation. */
export interface LoadShape {
  /** Requests in flight at all times. */
  readonly concurrency: number;
  /** Time spent warming up (JIT, connection pools) before measuring. */
  readonly warmupMs: number;
  /** Length of the measuring window. */
  readonly durationMs: number;
}

/**
 * Drives `op` with a fixed number of concurrent closed-loop workers: warm-up first, then a bounded
 * measuring window; requests started inside the window are recorded.
 */
export async function runLoad(name: string, op: Operation, shape: LoadShape): Promise<ScenarioResult> {
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + shape.warmupMs;
  const stopAt = measureFrom + shape.durationMs;

  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= stopAt) return;
      started += 1;
      let failure: string | undefined;
      try {
        failure = await op();
      } catch (error) {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (t0 < measureFrom) continue;
      latencies.push(performance.now() - t0);
      if (failure !== undefined) {
        errors += 1;
        firstError ??= failure;
      }
    }
  };

  await Promise.all(Array.from({ length: shape.concurrency }, worker));
  const seconds = (performance.now() - measureFrom) / 1000;
  return { ...summarize(name, latencies, errors, seconds, firstError), allRequests: started };
}

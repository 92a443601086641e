import { type ScenarioResult, table } from './stats';

/** A ratio checked against its goal. */
export interface TargetCheck {
  readonly check: string;
  readonly value: number;
  readonly goal: string;
  readonly pass: boolean;
}

/** `a / b` must be at least `min`. */
export function atLeast(check: string, a: number, b: number, min: number): TargetCheck {
  const value = a / b;
  return { check, value, goal: `>= ${min}`, pass: value >= min };
}

/** `a / b` must be at most `max`. */
export function atMost(check: string, a: number, b: number, max: number): TargetCheck {
  const value = a / b;
  return { check, value, goal: `<= ${max}`, pass: value <= max };
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The human-readable summary: scenarios, targets, start-up and memory. */
export function renderReport(
  results: readonly ScenarioResult[],
  targets: readonly TargetCheck[],
  service: { coldStartMs: number; rssIdleMiB: number; rssPeakMiB: number },
): string {
  const scenarios = table([
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'CPU ms/request by process'],
    ...results.map((r) => [
      r.name,
      fixed(r.rps, 0),
      fixed(r.p50Ms, 2),
      fixed(r.p99Ms, 2),
      String(r.requests),
      String(r.errors),
      Object.entries(r.cpuMsPerRequest ?? {})
        .map(([name, ms]) => `${name} ${fixed(ms, 2)}`)
        .join(', '),
    ]),
  ]);
  const goals = table([
    ['target', 'value', 'goal', 'result'],
    ...targets.map((t) => [t.check, fixed(t.value, 2), t.goal, t.pass ? 'pass' : 'MISS']),
  ]);
  const errors = results
    .filter((r) => r.firstError !== undefined)
    .map((r) => `${r.name}: first error: ${r.firstError}`);
  return [
    scenarios,
    '',
    goals,
    '',
    `cold start ${fixed(service.coldStartMs, 0)} ms (spawn to first 200 on /healthz); ` +
      `RSS idle ${fixed(service.rssIdleMiB, 1)} MiB, peak under load ${fixed(service.rssPeakMiB, 1)} MiB`,
    ...errors,
  ].join('\n');
}

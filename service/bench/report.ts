import { median, type ScenarioResult, table } from './stats';

/** A ratio checked against its goal: the median over rounds, with each round's ratio. */
export interface TargetCheck {
  readonly check: string;
  readonly value: number;
  readonly rounds: readonly number[];
  readonly goal: string;
  /** Null for a ratio that is reported without a goal. */
  readonly pass: boolean | null;
}

const ratios = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x / (b[i] ?? Number.NaN));

/** The median over rounds of `a[i] / b[i]` (each pair measured back to back) must be at least `min`. */
export function atLeast(check: string, a: readonly number[], b: readonly number[], min: number): TargetCheck {
  const rounds = ratios(a, b);
  const value = median(rounds);
  return { check, value, rounds, goal: `>= ${min}`, pass: value >= min };
}

/** The median over rounds of `a[i] / b[i]`, reported without a goal. */
export function reported(check: string, a: readonly number[], b: readonly number[]): TargetCheck {
  const rounds = ratios(a, b);
  return { check, value: median(rounds), rounds, goal: 'reported', pass: null };
}

/** The median over rounds of `a[i] / b[i]` must be at most `max`. */
export function atMost(check: string, a: readonly number[], b: readonly number[], max: number): TargetCheck {
  const rounds = ratios(a, b);
  const value = median(rounds);
  return { check, value, rounds, goal: `<= ${max}`, pass: value <= max };
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The human-readable summary: scenarios, targets, start-up and memory. */
export function renderReport(
  results: readonly ScenarioResult[],
  targets: readonly TargetCheck[],
  service: { coldStartMs: number; rssIdleMiB: number; rssPeakMiB: number },
): string {
  const scenarios = table([
    [
      'scenario (median of rounds)',
      'req/s',
      'p50 ms',
      'p99 ms',
      'requests',
      'errors',
      'CPU ms/request by process',
    ],
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
    ['target', 'median', 'rounds', 'goal', 'result'],
    ...targets.map((t) => [
      t.check,
      fixed(t.value, 2),
      t.rounds.map((r) => fixed(r, 2)).join(' '),
      t.goal,
      t.pass === null ? '-' : t.pass ? 'pass' : 'MISS',
    ]),
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

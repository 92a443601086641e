import { describe, expect, it } from 'vitest';
import { atLeast, atMost } from './report';
import { runLoad } from './run-load';
import { median, medianOf, percentile, summarize, table } from './stats';

describe('percentile', () => {
  it('should pick the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(Float64Array.from([7]), 99)).toBe(7);
    expect(percentile(new Float64Array(), 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('should sort latencies numerically and compute the rate over the window', () => {
    const result = summarize('x', [10, 9, 100, 1], 1, 2, 'GET / -> 500');
    expect(result).toEqual({
      name: 'x',
      requests: 4,
      errors: 1,
      seconds: 2,
      rps: 2,
      p50Ms: 9,
      p99Ms: 100,
      firstError: 'GET / -> 500',
    });
  });
});

describe('table', () => {
  it('should pad columns to their widest cell', () => {
    expect(
      table([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
    ).toBe('a    bb\n---  --\nccc  d ');
  });
});

describe('median', () => {
  it('should take the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('should summarize rounds by the median of each measure and the sum of counts', () => {
    const round = (rps: number, p99Ms: number, cpu: number) => ({
      name: 'x',
      requests: 10,
      errors: 0,
      seconds: 1,
      rps,
      p50Ms: 1,
      p99Ms,
      cpuMsPerRequest: { service: cpu },
    });
    expect(medianOf([round(100, 9, 0.5), round(300, 3, 0.1), round(200, 5, 0.2)])).toEqual({
      name: 'x',
      requests: 30,
      errors: 0,
      seconds: 3,
      rps: 200,
      p50Ms: 1,
      p99Ms: 5,
      cpuMsPerRequest: { service: 0.2 },
    });
  });
});

describe('targets', () => {
  it('should compare the median of per-round ratios against the goal, not the last round', () => {
    expect(atLeast('r', [90, 50, 95], [100, 100, 100], 0.9)).toEqual({
      check: 'r',
      value: 0.9,
      rounds: [0.9, 0.5, 0.95],
      goal: '>= 0.9',
      pass: true,
    });
    expect(atLeast('r', [89, 95, 10], [100, 100, 100], 0.9).pass).toBe(false);
    expect(atMost('p', [3], [2], 1.5)).toEqual({
      check: 'p',
      value: 1.5,
      rounds: [1.5],
      goal: '<= 1.5',
      pass: true,
    });
    expect(atMost('p', [4], [2], 1.5).pass).toBe(false);
  });
});

describe('runLoad', () => {
  it('should keep the concurrency, stop at the deadline and count failures', async () => {
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const result = await runLoad(
      'fake',
      async () => {
        calls += 1;
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return calls % 10 === 0 ? 'every tenth fails' : undefined;
      },
      { concurrency: 4, warmupMs: 20, durationMs: 150 },
    );
    expect(peak).toBe(4);
    expect(result.allRequests).toBe(calls);
    expect(result.requests).toBeLessThan(calls);
    expect(result.requests).toBeGreaterThan(20);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.firstError).toBe('every tenth fails');
    expect(result.seconds).toBeGreaterThanOrEqual(0.15);
    expect(result.seconds).toBeLessThan(1);
  });
});

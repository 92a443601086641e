import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './fault-load';
import { recoveryMs, summarizeFault, summarizeShutdown } from './fault-summary';

const rec = (start: number, end: number, outcome: RequestRecord['outcome'], sent = true): RequestRecord => ({
  route: 'GET /guests/:id',
  start,
  end,
  outcome,
  sent,
});

describe('summarizeFault', () => {
  const records = [
    rec(0, 5, 200), // before the fault
    rec(10, 3010, 503),
    rec(20, 3020, 503),
    rec(30, 40, 201),
    rec(40, 5040, 'hung'),
    rec(95, 99, 200), // the first success after clearing
    rec(96, 150, 503),
    rec(120, 125, 200),
  ];

  it('should count shares, percentiles and hung requests over the requests started during the fault', () => {
    const s = summarizeFault('black hole', records, { applied: 10, cleared: 90 });
    expect(s).toMatchObject({
      fault: 'black hole',
      requests: 4,
      share2xx: 0.25,
      share503: 0.5,
      shareOther: 0.25,
    });
    expect(s.p50Ms).toBe(3000);
    expect(s.p99Ms).toBe(5000);
    expect(s.hung).toBe(1);
    expect(s.otherOutcomes).toEqual({ hung: 1 });
  });

  it('should measure recovery to the first 2xx sent after clearing, and count failures after it', () => {
    expect(recoveryMs(records, 90)).toBe(9);
    // The 503 sent at 96 left before the recovery (99), so it does not count against it.
    expect(summarizeFault('x', records, { applied: 10, cleared: 90 }).failuresAfterRecovery).toBe(0);
    expect(summarizeFault('x', [...records, rec(100, 110, 503)], { applied: 10, cleared: 90 })).toMatchObject(
      {
        failuresAfterRecovery: 1,
      },
    );
    expect(recoveryMs([rec(100, 200, 503)], 90)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('summarizeShutdown', () => {
  it('should tell answered, refused and failed-after-accept requests apart', () => {
    const s = summarizeShutdown([
      rec(0, 1, 200),
      rec(0, 1, 503),
      rec(0, 1, 'ECONNREFUSED', false),
      rec(0, 1, 'ECONNRESET'),
    ]);
    expect(s).toEqual({
      requests: 4,
      answered: 2,
      answered5xx: 1,
      refused: 1,
      failedAfterAccept: 1,
      failures: { ECONNRESET: 1 },
    });
  });
});

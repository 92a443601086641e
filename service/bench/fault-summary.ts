import type { Outcome, RequestRecord } from './fault-load';
import { percentile } from './stats';

/** What the load saw while one fault was applied, and after it was cleared. */
export interface FaultSummary {
  readonly fault: string;
  /** Requests started while the fault was applied. */
  readonly requests: number;
  readonly share2xx: number;
  readonly share503: number;
  /** Anything else: 4xx, other 5xx, socket errors, hung. */
  readonly shareOther: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests (any phase) without an answer within the hung limit. */
  readonly hung: number;
  /** From clearing the fault to the first 2xx of a request sent after it; Infinity when none came. */
  readonly recoveryMs: number;
  /** Requests sent after recovery that did not get 2xx (404 of a read counts as an answer). */
  readonly failuresAfterRecovery: number;
  /** Outcomes other than 2xx and 503 while the fault was applied, with counts. */
  readonly otherOutcomes: Readonly<Record<string, number>>;
}

const is2xx = (o: Outcome) => typeof o === 'number' && o >= 200 && o < 300;
const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The time of the first 2xx answer to a request sent at or after `cleared`, counted from `cleared`. */
export function recoveryMs(records: readonly RequestRecord[], cleared: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const r of records) if (r.start >= cleared && is2xx(r.outcome) && r.end < first) first = r.end;
  return first - cleared;
}

/** Summarizes the records of a run in which a fault was applied at `applied` and cleared at `cleared`. */
export function summarizeFault(
  fault: string,
  records: readonly RequestRecord[],
  window: { readonly applied: number; readonly cleared: number },
): FaultSummary {
  const during = records.filter((r) => r.start >= window.applied && r.start < window.cleared);
  const ok = during.filter((r) => is2xx(r.outcome)).length;
  const unavailable = during.filter((r) => r.outcome === 503).length;
  const otherOutcomes: Record<string, number> = {};
  for (const r of during) {
    if (is2xx(r.outcome) || r.outcome === 503) continue;
    otherOutcomes[String(r.outcome)] = (otherOutcomes[String(r.outcome)] ?? 0) + 1;
  }
  const latencies = Float64Array.from(during.map((r) => r.end - r.start)).sort();
  const recovery = recoveryMs(records, window.cleared);
  const recoveredAt = window.cleared + recovery;
  const failuresAfterRecovery = records.filter(
    (r) => r.start >= recoveredAt && !is2xx(r.outcome) && r.outcome !== 404,
  ).length;
  return {
    fault,
    requests: during.length,
    share2xx: share(ok, during.length),
    share503: share(unavailable, during.length),
    shareOther: share(during.length - ok - unavailable, during.length),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    hung: records.filter((r) => r.outcome === 'hung').length,
    recoveryMs: recovery,
    failuresAfterRecovery,
    otherOutcomes,
  };
}

/** What happened to the requests of a load during which the server got SIGTERM. */
export interface ShutdownSummary {
  readonly requests: number;
  /** Answered with any HTTP status. */
  readonly answered: number;
  /** Answered 5xx. */
  readonly answered5xx: number;
  /** Never accepted: the connection was refused after the listener closed (a balancer retries elsewhere). */
  readonly refused: number;
  /** Accepted (written to an open connection) but never answered: must be 0. */
  readonly failedAfterAccept: number;
  readonly failures: Readonly<Record<string, number>>;
}

/** Sorts the records of the SIGTERM run into answered, refused and failed. */
export function summarizeShutdown(records: readonly RequestRecord[]): ShutdownSummary {
  const failures: Record<string, number> = {};
  let answered = 0;
  let answered5xx = 0;
  let refused = 0;
  for (const r of records) {
    if (typeof r.outcome === 'number') {
      answered++;
      if (r.outcome >= 500) answered5xx++;
    } else if (r.outcome === 'ECONNREFUSED') {
      refused++;
    } else {
      failures[r.outcome] = (failures[r.outcome] ?? 0) + 1;
    }
  }
  const failedAfterAccept = records.length - answered - refused;
  return { requests: records.length, answered, answered5xx, refused, failedAfterAccept, failures };
}

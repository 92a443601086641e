// The start-up check of the two tables, repeated until it knows, and until a misconfiguration is fixed.

import { withRequestBudget } from './dynamo/request-budget';
import type { Logger } from './observability/logger';
import type { Readiness } from './readiness';
import { StoreUnavailableError } from './store/errors';
import type { GuestStore } from './store/guest-store';
import { describeTableProblems } from './store/table-problems';

/** Dependencies of {@link startTableCheck}. */
export interface TableCheckDeps {
  readonly store: GuestStore;
  readonly readiness: Readiness;
  readonly logger: Logger;
  /** Each check is bounded like a request (DDB_REQUEST_BUDGET_MS). */
  readonly budgetMs: number;
  readonly guestsTable: string;
  /** Pause between checks while the answer is unknown or a table is wrong. @default 5000 (a readiness probe's period) */
  readonly intervalMs?: number;
}

/** A running table check; stop it when the server closes. */
export interface TableCheck {
  stop(): void;
}

/**
 * Checks both tables before the server listens, so the first request already sees the result:
 * - both fine: done;
 * - a table missing or keyed otherwise: one error line naming each table, its key and how to make it;
 *   readiness turns false with that reason (so `/readyz`, `/health` and `/guests` say it too); checked
 *   again every `intervalMs`, and ready as soon as someone creates the table (no restart);
 * - DynamoDB does not answer: nothing is known, so readiness stays up (an outage is not a misconfiguration)
 *   and the check runs again until DynamoDB answers.
 * Why the process stays up instead of exiting 2: the service README, "Start-up table check".
 */
export async function startTableCheck(deps: TableCheckDeps): Promise<TableCheck> {
  const { store, readiness, logger, budgetMs, guestsTable } = deps;
  const intervalMs = deps.intervalMs ?? 5000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let reported: string | undefined;

  /** One check; true when it is settled (both tables fine). */
  const once = async (): Promise<boolean> => {
    let reason: string;
    try {
      const problems = await withRequestBudget(budgetMs, (budget) => store.checkTables({ budget }));
      if (problems.length === 0) {
        if (reported !== undefined) logger.info('table check: both tables found with their keys; ready');
        readiness.setTableProblem(undefined);
        return true;
      }
      reason = describeTableProblems(problems, guestsTable);
      readiness.setTableProblem(reason);
      if (reason !== reported) logger.error(reason, { tables: problems.map((p) => p.table).join(',') });
    } catch (err) {
      if (stopped) return true;
      const why = err instanceof StoreUnavailableError ? err.reason : (err as Error).name;
      reason = `table check: DynamoDB did not answer (${why}); serving, and checking again in ${intervalMs} ms`;
      if (reason !== reported) logger.warn(reason);
    }
    reported = reason;
    return false;
  };

  const again = () => {
    timer = setTimeout(async () => {
      if (stopped) return;
      if (!(await once()) && !stopped) again();
    }, intervalMs);
  };
  if (!(await once())) again();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

// The errors a GuestStore throws; the HTTP layer maps each to its status.
import { describeTableProblems, type TableProblem } from './table-problems';

/** A guest with this person id already exists (the guard item is taken). */
export class DuplicatePersonError extends Error {
  override readonly name = 'DuplicatePersonError';
  constructor(readonly personId: string) {
    super(`Guest with id '${personId}' already exists; person ids must be unique`);
  }
}

/** The storage did not answer usefully (outage, throttling, timeouts) after the SDK's retries: it may pass. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly operation: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Storage unavailable: DynamoDB ${operation} failed (${reason}); retry later`, options);
  }
}

/** A `cursor` query value that this API did not produce. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly value: string) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    super(`Invalid cursor: '${shown}' is not a cursor returned by GET /guests`);
  }
}

/**
 * A table is missing or keyed otherwise than the store needs. Not a passing fault: no retry helps until
 * someone creates the table, so the message says how, and never "retry later".
 */
export class StoreMisconfiguredError extends Error {
  override readonly name = 'StoreMisconfiguredError';
  constructor(
    readonly operation: string,
    readonly problems: readonly TableProblem[],
    guestsTable: string,
    options?: { cause?: unknown },
  ) {
    super(describeTableProblems(problems, guestsTable), options);
  }
}

// The guest store's interface: what routes may ask of storage, with no DynamoDB or HTTP types in it.
import type { RequestBudget } from '../dynamo/request-budget';
import type { Guest, GuestInput } from '../schemas/guest';
import type { TableProblem } from './table-problems';

/** One page of guests and the cursor of the next page, if more may remain. */
export interface GuestPage {
  readonly guests: readonly Guest[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Options of each store call. */
export interface CallOptions {
  /**
   * The HTTP request's time budget: every DynamoDB call the method makes, retries included, ends by its
   * deadline (RequestBudgetExceededError, classified as StoreUnavailableError). @default no budget: each
   * attempt has only the client's per-attempt timeout
   */
  readonly budget?: RequestBudget;
}

/** Storage of guests. Implementations throw the errors in `./errors` and never import HTTP code. */
export interface GuestStore {
  /** Stores a new guest with a fresh UUID; throws DuplicatePersonError when the person id is taken. */
  create(input: GuestInput, options?: CallOptions): Promise<Guest>;
  /** The guest, or undefined when there is none with this seq_num. */
  get(seqNum: string, options?: CallOptions): Promise<Guest | undefined>;
  /** Deletes a guest and frees its person id; false when there was none. */
  delete(seqNum: string, options?: CallOptions): Promise<boolean>;
  /** A page of at most `limit` guests starting after `cursor`; throws InvalidCursorError for a bad cursor. */
  list(limit: number, cursor?: string, options?: CallOptions): Promise<GuestPage>;
  /** Number of guests, in O(1) requests; throws StoreUnavailableError when the tables do not answer. */
  count(options?: CallOptions): Promise<number>;
  /**
   * The tables that are missing or keyed otherwise than the store needs ([] = none); throws
   * StoreUnavailableError when the storage does not answer. Checked at start (`src/table-check.ts`).
   */
  checkTables(options?: CallOptions): Promise<TableProblem[]>;
}

/** Observes every DynamoDB call (for metrics): operation name, seconds, and the error name on failure. */
export type DynamoObserver = (operation: string, seconds: number, errorName?: string) => void;

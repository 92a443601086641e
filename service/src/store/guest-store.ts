import type { Guest, GuestInput } from '../schemas/guest';

/** One page of guests and the cursor of the next page, if more may remain. */
export interface GuestPage {
  readonly guests: readonly Guest[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Storage of guests. Implementations throw the errors in `./errors` and never import HTTP code. */
export interface GuestStore {
  /** Stores a new guest with a fresh UUID; throws DuplicatePersonError when the person id is taken. */
  create(input: GuestInput): Promise<Guest>;
  /** The guest, or undefined when there is none with this seq_num. */
  get(seqNum: string): Promise<Guest | undefined>;
  /** Deletes a guest and frees its person id; false when there was none. */
  delete(seqNum: string): Promise<boolean>;
  /** A page of at most `limit` guests starting after `cursor`; throws InvalidCursorError for a bad cursor. */
  list(limit: number, cursor?: string): Promise<GuestPage>;
  /** Number of guests, in O(1) requests; throws StoreUnavailableError when the tables do not answer. */
  count(): Promise<number>;
}

/** Observes every DynamoDB call (for metrics): operation name, seconds, and the error name on failure. */
export type DynamoObserver = (operation: string, seconds: number, errorName?: string) => void;

// The guest store on DynamoDB: guests in the old API's table, person-id guards and counter shards in a guard
// table, written together in one transaction.
import { randomInt, randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { withinBudget } from '../dynamo/call-budget';
import { GUEST_FIELDS, type Guest, type GuestInput } from '../schemas/guest';
import { classifyError } from './classify-error';
import { decodeCursor, encodeCursor } from './cursor';
import { DuplicatePersonError, StoreMisconfiguredError, StoreUnavailableError } from './errors';
import { counterKey, DEFAULT_COUNTER_SHARDS, GUARD_KEY, GUEST_KEY, guardKey } from './guard-keys';
import type { CallOptions, DynamoObserver, GuestPage, GuestStore } from './guest-store';
import type { TableProblem, TableRole } from './table-problems';

/** Props of {@link DynamoGuestStore}. */
export interface DynamoGuestStoreProps {
  /** The one DynamoDB client (see createDynamoClient). */
  readonly client: DynamoDBClient;
  /** Guests' table: key `seq_num` (S), guest attributes only, exactly the old API's shape. */
  readonly tableName: string;
  /** Guard table: key `pk` (S), person-id guards and counter shards (see guard-keys.ts). */
  readonly guardTableName: string;
  /** @default no observer */
  readonly observer?: DynamoObserver;
  /** Number of counter items; more shards, fewer conflicts between concurrent writes. @default 8 */
  readonly counterShards?: number;
  /** Attempts of a write transaction that hit TransactionConflict. @default 6 */
  readonly transactionAttempts?: number;
}

type CancellationReason = { Code?: string };
type CancelledError = Error & { CancellationReasons?: CancellationReason[] };

/** A key of either table: one string attribute. */
const key = (name: string, value: string): Record<string, AttributeValue> => ({ [name]: { S: value } });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Only keys DynamoDB can hold reach it (an empty or over-long key would be a ValidationException). */
const isGuestKey = (seqNum: string) => seqNum.length > 0 && Buffer.byteLength(seqNum) <= 2048;

/**
 * A stored item as a guest: every field a string, a missing field an empty string. Rows the old API
 * wrote may hold numbers; `wrapNumbers` keeps their exact digits (a JS number would round past 2^53).
 */
export function toGuest(item: Record<string, AttributeValue>): Guest {
  const plain = unmarshall(item, { wrapNumbers: true });
  const guest = {} as Record<(typeof GUEST_FIELDS)[number], string>;
  for (const field of GUEST_FIELDS) {
    const value = plain[field];
    guest[field] = value === undefined || value === null ? '' : String(value);
  }
  return guest;
}

/**
 * Guests in the old API's table (key `seq_num`, guest attributes only), with uniqueness guards and
 * counter shards in a second table, written in the same TransactWriteItems (transactions span tables):
 * - guard `person#<id>`: put with `attribute_not_exists`, so DynamoDB itself lets exactly one guest per
 *   person id exist; deleted with the guest.
 * - counter shards `count#0..K-1`: every create/delete adds +1/-1 to one random shard, so the count is
 *   exact and costs one BatchGetItem of K keys (O(1), no scan); sharding keeps concurrent writes of
 *   different ids from conflicting on one hot item.
 * A list is a plain Scan of the guests' table: no other items to read past or filter out.
 */
export class DynamoGuestStore implements GuestStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly guardTableName: string;
  private readonly observer: DynamoObserver | undefined;
  private readonly shards: number;
  private readonly attempts: number;

  constructor(props: DynamoGuestStoreProps) {
    this.client = props.client;
    this.tableName = props.tableName;
    this.guardTableName = props.guardTableName;
    this.observer = props.observer;
    this.shards = props.counterShards ?? DEFAULT_COUNTER_SHARDS;
    this.attempts = props.transactionAttempts ?? 6;
  }

  /**
   * Runs one DynamoDB call on the tables of `roles`, reports it to the observer and classifies its failure.
   * A missing table is a misconfiguration, not an outage: it becomes StoreMisconfiguredError naming the table.
   */
  private async call<T>(
    operation: string,
    roles: readonly TableRole[],
    run: () => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    const start = performance.now();
    try {
      const out = await run();
      this.observer?.(operation, (performance.now() - start) / 1000);
      return out;
    } catch (err) {
      this.observer?.(operation, (performance.now() - start) / 1000, (err as Error).name ?? 'Error');
      if ((err as Error).name === 'TransactionCanceledException') throw err;
      if ((err as Error).name === 'ResourceNotFoundException') {
        throw await this.missingTable(operation, roles, err, options);
      }
      throw classifyError(operation, err);
    }
  }

  private tableOf(role: TableRole): string {
    return role === 'guests' ? this.tableName : this.guardTableName;
  }

  /** The error for a call that found no table: which one, asked again when the call named both. */
  private async missingTable(
    operation: string,
    roles: readonly TableRole[],
    cause: unknown,
    options: CallOptions | undefined,
  ): Promise<StoreMisconfiguredError> {
    let problems: readonly TableProblem[] = roles.map((role) => ({
      role,
      table: this.tableOf(role),
      kind: 'missing' as const,
    }));
    if (roles.length > 1) {
      // A transaction spans both tables and DynamoDB does not say which one it missed.
      const found = await this.checkTables(options).catch(() => []);
      if (found.length > 0) problems = found;
    }
    return new StoreMisconfiguredError(operation, problems, this.tableName, { cause });
  }

  /**
   * Whether both tables exist with the keys the store needs, asked with the calls the service makes anyway
   * (a GetItem of the guests' table, a BatchGetItem of the guard table), so the role needs no
   * `DescribeTable`: a missing table answers ResourceNotFoundException, a table with another key (name,
   * type, or a sort key) a ValidationException. Returns the problems found ([] = both fine); throws
   * StoreUnavailableError when DynamoDB does not answer, so nothing is known.
   */
  async checkTables(options?: CallOptions): Promise<TableProblem[]> {
    const probe = async (role: TableRole, operation: string, send: () => Promise<unknown>) => {
      try {
        await this.call(operation, [role], send, options);
        return undefined;
      } catch (err) {
        if (err instanceof StoreMisconfiguredError) return err.problems[0];
        if ((err as Error).name !== 'ValidationException') throw err;
        const problem: TableProblem = {
          role,
          table: this.tableOf(role),
          kind: 'wrong-key',
          detail: (err as Error).message,
        };
        return problem;
      }
    };
    const found = await Promise.all([
      probe('guests', 'GetItem', () =>
        this.client.send(
          withinBudget(
            new GetItemCommand({ TableName: this.tableName, Key: key(GUEST_KEY, 'table-check') }),
            options?.budget,
          ),
        ),
      ),
      probe('guards', 'BatchGetItem', () =>
        this.client.send(
          withinBudget(
            new BatchGetItemCommand({
              RequestItems: { [this.guardTableName]: { Keys: [key(GUARD_KEY, counterKey(0))] } },
            }),
            options?.budget,
          ),
        ),
      ),
    ]);
    return found.filter((p) => p !== undefined);
  }

  private counterUpdate(delta: 1 | -1) {
    return {
      Update: {
        TableName: this.guardTableName,
        Key: key(GUARD_KEY, counterKey(randomInt(this.shards))),
        UpdateExpression: 'ADD guests :delta',
        ExpressionAttributeValues: { ':delta': { N: String(delta) } },
      },
    };
  }

  /**
   * Runs a transaction, retrying TransactionConflict with jittered backoff. Returns the cancellation
   * reasons when a condition failed, undefined on success.
   */
  private async transact(
    build: () => TransactWriteItemsCommandInput,
    options: CallOptions | undefined,
  ): Promise<CancellationReason[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.call(
          'TransactWriteItems',
          ['guests', 'guards'],
          () => this.client.send(withinBudget(new TransactWriteItemsCommand(build()), options?.budget)),
          options,
        );
        return undefined;
      } catch (err) {
        if ((err as Error).name !== 'TransactionCanceledException') throw err;
        const reasons = (err as CancelledError).CancellationReasons ?? [];
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return reasons;
        const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
        if (!conflict || attempt >= this.attempts) {
          const codes = reasons.map((r) => r.Code ?? 'None').join(',');
          throw new StoreUnavailableError('TransactWriteItems', `transaction cancelled: ${codes}`, {
            cause: err,
          });
        }
        await sleep(randomInt(5, 20 + 20 * attempt));
      }
    }
  }

  async create(input: GuestInput, options?: CallOptions): Promise<Guest> {
    for (;;) {
      const guest: Guest = { seq_num: randomUUID(), ...input };
      const reasons = await this.transact(
        () => ({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: marshall(guest),
                ConditionExpression: 'attribute_not_exists(seq_num)',
              },
            },
            {
              Put: {
                TableName: this.guardTableName,
                Item: marshall({ [GUARD_KEY]: guardKey(input.id), guest_seq_num: guest.seq_num }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            this.counterUpdate(1),
          ],
        }),
        options,
      );
      if (reasons === undefined) return guest;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new DuplicatePersonError(input.id);
      // Otherwise the UUID collided with an existing key (practically never): take a new one.
    }
  }

  async get(seqNum: string, options?: CallOptions): Promise<Guest | undefined> {
    if (!isGuestKey(seqNum)) return undefined;
    const command = new GetItemCommand({ TableName: this.tableName, Key: key(GUEST_KEY, seqNum) });
    const out = await this.call('GetItem', ['guests'], () =>
      this.client.send(withinBudget(command, options?.budget)),
    );
    return out.Item === undefined ? undefined : toGuest(out.Item);
  }

  async delete(seqNum: string, options?: CallOptions): Promise<boolean> {
    if (!isGuestKey(seqNum)) return false;
    const read = new GetItemCommand({
      TableName: this.tableName,
      Key: key(GUEST_KEY, seqNum),
      ConsistentRead: true,
    });
    const out = await this.call('GetItem', ['guests'], () =>
      this.client.send(withinBudget(read, options?.budget)),
    );
    if (out.Item === undefined) return false;
    const personId = toGuest(out.Item).id;
    let withGuard = true;
    for (;;) {
      const reasons = await this.transact(
        () => ({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: key(GUEST_KEY, seqNum),
                ConditionExpression: 'attribute_exists(seq_num)',
              },
            },
            ...(withGuard
              ? [
                  {
                    Delete: {
                      TableName: this.guardTableName,
                      Key: key(GUARD_KEY, guardKey(personId)),
                      // Only our own guard; a missing one (a row not yet migrated) is fine.
                      ConditionExpression: 'attribute_not_exists(pk) OR guest_seq_num = :seq',
                      ExpressionAttributeValues: { ':seq': { S: seqNum } },
                    },
                  },
                ]
              : []),
            this.counterUpdate(-1),
          ],
        }),
        options,
      );
      if (reasons === undefined) return true;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false; // deleted concurrently
      // The guard belongs to another guest (a duplicate the old API let in): leave it alone.
      withGuard = false;
    }
  }

  async list(limit: number, cursor?: string, options?: CallOptions): Promise<GuestPage> {
    let startKey: Record<string, AttributeValue> | undefined =
      cursor === undefined ? undefined : key(GUEST_KEY, decodeCursor(cursor));
    const guests: Guest[] = [];
    // One Scan page holds at most 1 MB, so a full page of large items may take more than one call.
    for (;;) {
      const out = await this.call('Scan', ['guests'], () =>
        this.client.send(
          withinBudget(
            new ScanCommand({
              TableName: this.tableName,
              Limit: limit - guests.length,
              ExclusiveStartKey: startKey,
            }),
            options?.budget,
          ),
        ),
      );
      for (const item of out.Items ?? []) guests.push(toGuest(item));
      const last = out.LastEvaluatedKey?.[GUEST_KEY]?.S;
      if (last === undefined) return { guests };
      if (guests.length >= limit) return { guests, nextCursor: encodeCursor(last) };
      startKey = out.LastEvaluatedKey;
    }
  }

  async count(options?: CallOptions): Promise<number> {
    let pending: Record<string, AttributeValue>[] = Array.from({ length: this.shards }, (_, i) => ({
      [GUARD_KEY]: { S: counterKey(i) },
    }));
    let total = 0;
    // BatchGet may return unprocessed keys under load; K is tiny, so a few rounds at most.
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(randomInt(10, 50));
      if (round >= 5) throw new StoreUnavailableError('BatchGetItem', 'unprocessed keys after 5 rounds');
      const out = await this.call('BatchGetItem', ['guards'], () =>
        this.client.send(
          withinBudget(
            new BatchGetItemCommand({
              RequestItems: { [this.guardTableName]: { Keys: pending, ConsistentRead: true } },
            }),
            options?.budget,
          ),
        ),
      );
      for (const item of out.Responses?.[this.guardTableName] ?? []) total += Number(item.guests?.N ?? 0);
      pending = out.UnprocessedKeys?.[this.guardTableName]?.Keys ?? [];
    }
    return Math.max(0, total);
  }
}

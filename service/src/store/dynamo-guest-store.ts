import { randomInt, randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GUEST_FIELDS, type Guest, type GuestInput } from '../schemas/guest';
import { classifyError } from './classify-error';
import { decodeCursor, encodeCursor } from './cursor';
import { DuplicatePersonError, StoreUnavailableError } from './errors';
import type { DynamoObserver, GuestPage, GuestStore } from './guest-store';

/** Every non-guest item's key starts with this; UUIDs (and the old tables' keys) never do. */
export const META_PREFIX = '#';
/** Key of the guard item that reserves a person id. */
export const guardKey = (personId: string) => `${META_PREFIX}person#${personId}`;
/** Key of one shard of the guest counter. */
export const counterKey = (shard: number) => `${META_PREFIX}count#${shard}`;

/** Props of {@link DynamoGuestStore}. */
export interface DynamoGuestStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Client of the raw GetItem and TransactWriteItems calls (see createDynamoClients). @default client */
  readonly rawClient?: DynamoDBClient;
  /** @default no observer */
  readonly observer?: DynamoObserver;
  /** Number of counter items; more shards, fewer conflicts between concurrent writes. @default 8 */
  readonly counterShards?: number;
  /** Attempts of a write transaction that hit TransactionConflict. @default 6 */
  readonly transactionAttempts?: number;
}

type CancellationReason = { Code?: string };
type CancelledError = Error & { CancellationReasons?: CancellationReason[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Only keys that can name a guest reach DynamoDB (meta items are hidden; over-long keys are a 400 there). */
const isGuestKey = (seqNum: string) =>
  !seqNum.startsWith(META_PREFIX) && seqNum.length > 0 && Buffer.byteLength(seqNum) <= 2048;

function toGuest(item: Record<string, unknown>): Guest {
  const guest = {} as Record<(typeof GUEST_FIELDS)[number], string>;
  for (const field of GUEST_FIELDS) guest[field] = item[field] === undefined ? '' : String(item[field]);
  return guest;
}

/** An item of string attributes in DynamoDB's wire form; undefined values are left out. */
function stringItem(fields: Readonly<Record<string, string | undefined>>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) item[key] = { S: value };
  }
  return item;
}

/** The JavaScript value lib-dynamodb's unmarshall gives for an attribute (numbers as JS numbers). */
function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(plain);
  if (value.M !== undefined)
    return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)]));
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.BS !== undefined) return new Set(value.BS);
  return value.B;
}

/** The string a guest field reads as; same result as {@link toGuest} on the document client's item. */
const fieldText = (value: AttributeValue | undefined) =>
  value === undefined ? '' : value.S !== undefined ? value.S : String(plain(value));

/**
 * {@link toGuest} on a raw GetItem item. Point reads skip lib-dynamodb: its per-call marshalling
 * middleware and second middleware stack cost more CPU than the service's whole HTTP path.
 */
function rawToGuest(item: Record<string, AttributeValue>): Guest {
  const guest = {} as Record<(typeof GUEST_FIELDS)[number], string>;
  for (const field of GUEST_FIELDS) guest[field] = fieldText(item[field]);
  return guest;
}

/**
 * Guests in one DynamoDB table keyed by the string `seq_num`, next to two kinds of meta items:
 * - guard `#person#<id>`: written with `attribute_not_exists` in the same transaction as the guest,
 *   so DynamoDB itself lets exactly one guest per person id exist; deleted with the guest.
 * - counter shards `#count#0..K-1` with a number `guests`: every create/delete transaction adds
 *   +1/-1 to one random shard, so the count is exact and costs one BatchGet of K keys (O(1), no scan).
 *   Sharding keeps concurrent writes of different ids from conflicting on a single hot counter item.
 * Meta items are filtered out of every read.
 */
export class DynamoGuestStore implements GuestStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly raw: DynamoDBClient;
  private readonly tableName: string;
  private readonly observer: DynamoObserver | undefined;
  private readonly shards: number;
  private readonly attempts: number;

  constructor(props: DynamoGuestStoreProps) {
    this.client = props.client;
    // A document client sends raw commands too (it shares its DynamoDBClient's config and stack).
    this.raw = props.rawClient ?? (props.client as unknown as DynamoDBClient);
    this.tableName = props.tableName;
    this.observer = props.observer;
    this.shards = props.counterShards ?? 8;
    this.attempts = props.transactionAttempts ?? 6;
  }

  /** Runs one DynamoDB call, reports it to the observer and classifies its failure. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      const out = await run();
      this.observer?.(operation, (performance.now() - start) / 1000);
      return out;
    } catch (err) {
      this.observer?.(operation, (performance.now() - start) / 1000, (err as Error).name ?? 'Error');
      if ((err as Error).name === 'TransactionCanceledException') throw err;
      throw classifyError(operation, err);
    }
  }

  private counterUpdate(delta: 1 | -1) {
    return {
      Update: {
        TableName: this.tableName,
        Key: { seq_num: { S: counterKey(randomInt(this.shards)) } },
        UpdateExpression: 'ADD guests :delta SET kind = :kind',
        ExpressionAttributeValues: { ':delta': { N: String(delta) }, ':kind': { S: 'counter' } },
      },
    };
  }

  /**
   * Runs a transaction, retrying TransactionConflict with jittered backoff. Returns the cancellation
   * reasons when a condition failed, undefined on success.
   */
  private async transact(
    build: () => TransactWriteItemsCommandInput,
  ): Promise<CancellationReason[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Raw attribute values (all strings but the counter delta), not lib-dynamodb: see rawToGuest.
        await this.call('TransactWriteItems', () => this.raw.send(new TransactWriteItemsCommand(build())));
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

  async create(input: GuestInput): Promise<Guest> {
    for (;;) {
      const guest: Guest = { seq_num: randomUUID(), ...input };
      const reasons = await this.transact(() => ({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: stringItem(guest),
              ConditionExpression: 'attribute_not_exists(seq_num)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: stringItem({
                seq_num: guardKey(input.id),
                kind: 'person-guard',
                guest_seq_num: guest.seq_num,
              }),
              ConditionExpression: 'attribute_not_exists(seq_num)',
            },
          },
          this.counterUpdate(1),
        ],
      }));
      if (reasons === undefined) return guest;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new DuplicatePersonError(input.id);
      // Otherwise the UUID collided with an existing key (practically never): take a new one.
    }
  }

  async get(seqNum: string): Promise<Guest | undefined> {
    if (!isGuestKey(seqNum)) return undefined;
    const out = await this.call('GetItem', () =>
      this.raw.send(new GetItemCommand({ TableName: this.tableName, Key: { seq_num: { S: seqNum } } })),
    );
    return out.Item === undefined ? undefined : rawToGuest(out.Item);
  }

  async delete(seqNum: string): Promise<boolean> {
    if (!isGuestKey(seqNum)) return false;
    const out = await this.call('GetItem', () =>
      this.raw.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { seq_num: { S: seqNum } },
          ConsistentRead: true,
        }),
      ),
    );
    if (out.Item === undefined) return false;
    const personId = fieldText(out.Item.id);
    let withGuard = true;
    for (;;) {
      const reasons = await this.transact(() => ({
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: { seq_num: { S: seqNum } },
              ConditionExpression: 'attribute_exists(seq_num)',
            },
          },
          ...(withGuard
            ? [
                {
                  Delete: {
                    TableName: this.tableName,
                    Key: { seq_num: { S: guardKey(personId) } },
                    // Only our own guard; a missing one (rows from the old tables) is fine.
                    ConditionExpression: 'attribute_not_exists(seq_num) OR guest_seq_num = :seq',
                    ExpressionAttributeValues: { ':seq': { S: seqNum } },
                  },
                },
              ]
            : []),
          this.counterUpdate(-1),
        ],
      }));
      if (reasons === undefined) return true;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false; // deleted concurrently
      // The guard belongs to another guest (duplicates imported from the old tables): leave it alone.
      withGuard = false;
    }
  }

  async list(limit: number, cursor?: string): Promise<GuestPage> {
    let startKey: Record<string, unknown> | undefined =
      cursor === undefined ? undefined : { seq_num: decodeCursor(cursor) };
    const guests: Guest[] = [];
    for (;;) {
      const remaining = limit - guests.length;
      // Read a little more than needed since meta items are filtered out after the Limit applies.
      const out = await this.call('Scan', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            Limit: Math.min(1000, remaining * 2 + this.shards),
            ExclusiveStartKey: startKey,
            FilterExpression: 'NOT begins_with(seq_num, :meta)',
            ExpressionAttributeValues: { ':meta': META_PREFIX },
          }),
        ),
      );
      const items = out.Items ?? [];
      if (items.length > remaining) {
        // Page full in the middle of this scan page: resume after the last guest we return.
        guests.push(...items.slice(0, remaining).map(toGuest));
        return { guests, nextCursor: encodeCursor(guests[guests.length - 1]?.seq_num ?? '') };
      }
      guests.push(...items.map(toGuest));
      if (out.LastEvaluatedKey === undefined) return { guests };
      startKey = out.LastEvaluatedKey;
      if (guests.length === limit) {
        return { guests, nextCursor: encodeCursor(String(out.LastEvaluatedKey.seq_num)) };
      }
    }
  }

  async count(): Promise<number> {
    const keys = Array.from({ length: this.shards }, (_, i) => ({ seq_num: counterKey(i) }));
    let total = 0;
    let pending: Record<string, unknown>[] = keys;
    // BatchGet may return unprocessed keys under load; K is tiny, so a few rounds at most.
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(randomInt(10, 50));
      if (round >= 5) throw new StoreUnavailableError('BatchGetItem', 'unprocessed keys after 5 rounds');
      const out = await this.call('BatchGetItem', () =>
        this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        ),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) total += Number(item.guests ?? 0);
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return Math.max(0, total);
  }

  async ping(): Promise<void> {
    const out = await this.call('DescribeTable', () =>
      this.client.send(new DescribeTableCommand({ TableName: this.tableName })),
    );
    const status = out.Table?.TableStatus;
    if (status !== 'ACTIVE' && status !== 'UPDATING') {
      throw new StoreUnavailableError('DescribeTable', `table '${this.tableName}' is ${status ?? 'unknown'}`);
    }
  }
}

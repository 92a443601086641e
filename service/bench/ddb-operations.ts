import { randomInt, randomUUID } from 'node:crypto';
import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { counterKey, DEFAULT_COUNTER_SHARDS, guardKey } from '../src/store/guard-keys';
import { benchGuest } from './http-operation';
import type { Operation } from './run-load';

/** Floor for GET /guests/:seq_num: lib-dynamodb's GetCommand on random existing keys. */
export function getOperation(
  client: DynamoDBDocumentClient,
  tableName: string,
  seqNums: readonly string[],
): Operation {
  return async () => {
    const seqNum = seqNums[Math.floor(Math.random() * seqNums.length)];
    const out = await client.send(new GetCommand({ TableName: tableName, Key: { seq_num: seqNum } }));
    return out.Item === undefined ? `GetItem ${seqNum}: no item` : undefined;
  };
}

/**
 * Floor for GET /guests: lib-dynamodb's ScanCommand of up to `limit` items of the guests' table, as a
 * plain Hono + Scan handler would issue it; `expectItems` checks that the whole table came back.
 */
export function scanOperation(
  client: DynamoDBDocumentClient,
  tableName: string,
  limit: number,
  expectItems: number,
): Operation {
  return async () => {
    const out = await client.send(new ScanCommand({ TableName: tableName, Limit: limit }));
    const count = out.Items?.length ?? 0;
    return count === expectItems ? undefined : `Scan ${tableName}: ${count} items, expected ${expectItems}`;
  };
}

/**
 * Floor for POST /guests: the very transaction `DynamoGuestStore.create` sends (guest Put and guard Put,
 * both with attribute_not_exists, plus +1 on a random counter shard of the guard table), as a raw
 * TransactWriteItemsCommand with hand-written attribute values on the service's own client factory.
 */
export function createTransactionOperation(
  client: DynamoDBClient,
  tables: { readonly tableName: string; readonly guardTableName: string },
  idFrom: number,
): Operation {
  let nextId = idFrom;
  const S = (v: unknown) => ({ S: String(v) });
  return async () => {
    const { phone, email, firstname, surname } = benchGuest(0);
    const id = String(nextId++);
    const seqNum = randomUUID();
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tables.tableName,
              Item: {
                seq_num: S(seqNum),
                id: S(id),
                firstname: S(firstname),
                surname: S(surname),
                quantity: S(2),
                phone: S(phone),
                email: S(email),
              },
              ConditionExpression: 'attribute_not_exists(seq_num)',
            },
          },
          {
            Put: {
              TableName: tables.guardTableName,
              Item: { pk: S(guardKey(id)), guest_seq_num: S(seqNum) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tables.guardTableName,
              Key: { pk: S(counterKey(randomInt(DEFAULT_COUNTER_SHARDS))) },
              UpdateExpression: 'ADD guests :delta',
              ExpressionAttributeValues: { ':delta': { N: '1' } },
            },
          },
        ],
      }),
    );
    return undefined;
  };
}

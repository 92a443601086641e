import { randomInt, randomUUID } from 'node:crypto';
import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { counterKey, guardKey } from '../src/store/dynamo-guest-store';
import { benchGuest } from './http-operation';
import type { Operation } from './run-load';

/** Counter shards of the store (its default), so the floor's counter update spreads the same way. */
const COUNTER_SHARDS = 8;

/** Floor for GET /guests/:seq_num: the SDK's GetCommand the store issues, on random existing keys. */
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
 * Floor for POST /guests: the very transaction `DynamoGuestStore.create` sends (guest Put and guard Put, both
 * with attribute_not_exists, plus +1 on a random counter shard), issued the way the store issues it: a raw
 * TransactWriteItemsCommand with raw attribute values, on the raw client of createDynamoClients. The store
 * keeps its builder private, so this replicates it with the store's own exported key helpers.
 */
export function createTransactionOperation(
  client: DynamoDBClient,
  tableName: string,
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
              TableName: tableName,
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
              TableName: tableName,
              Item: { seq_num: S(guardKey(id)), kind: S('person-guard'), guest_seq_num: S(seqNum) },
              ConditionExpression: 'attribute_not_exists(seq_num)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: { seq_num: S(counterKey(randomInt(COUNTER_SHARDS))) },
              UpdateExpression: 'ADD guests :delta SET kind = :kind',
              ExpressionAttributeValues: { ':delta': { N: '1' }, ':kind': S('counter') },
            },
          },
        ],
      }),
    );
    return undefined;
  };
}

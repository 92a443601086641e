import { randomInt, randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
 * Floor for POST /guests: the transaction `DynamoGuestStore.create` sends (guest Put and guard Put, both
 * with attribute_not_exists, plus +1 on a random counter shard). The store keeps its builder private, so
 * this replicates it with the store's own exported key helpers.
 */
export function createTransactionOperation(
  client: DynamoDBDocumentClient,
  tableName: string,
  idFrom: number,
): Operation {
  let nextId = idFrom;
  return async () => {
    const { phone, email, firstname, surname } = benchGuest(0);
    const id = String(nextId++);
    const guest = {
      seq_num: randomUUID(),
      id,
      firstname: String(firstname),
      surname: String(surname),
      quantity: '2',
      phone: String(phone),
      email: String(email),
    };
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: { TableName: tableName, Item: guest, ConditionExpression: 'attribute_not_exists(seq_num)' },
          },
          {
            Put: {
              TableName: tableName,
              Item: { seq_num: guardKey(id), kind: 'person-guard', guest_seq_num: guest.seq_num },
              ConditionExpression: 'attribute_not_exists(seq_num)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: { seq_num: counterKey(randomInt(COUNTER_SHARDS)) },
              UpdateExpression: 'ADD guests :delta SET kind = :kind',
              ExpressionAttributeValues: { ':delta': 1, ':kind': 'counter' },
            },
          },
        ],
      }),
    );
    return undefined;
  };
}

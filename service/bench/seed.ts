import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterKey, GUARD_KEY, guardKey } from '../src/store/guard-keys';

const BATCH = 25;
const PARALLEL = 16;

type Put = { table: string; item: Record<string, unknown> };

/**
 * Writes `count` guests in the store's layout (guest item in the guests' table, its person-id guard and
 * the counter in the guard table) with BatchWrite, far faster than one transaction each. Person ids count
 * up from `idFrom`. Resolves to the new guests' seq_nums.
 */
export async function seedGuests(
  client: DynamoDBDocumentClient,
  tables: { readonly tableName: string; readonly guardTableName: string },
  count: number,
  idFrom: number,
): Promise<string[]> {
  const seqNums: string[] = [];
  const puts: Put[] = [];
  for (let i = 0; i < count; i++) {
    const seqNum = randomUUID();
    const id = String(idFrom + i);
    seqNums.push(seqNum);
    puts.push(
      {
        table: tables.tableName,
        item: {
          seq_num: seqNum,
          id,
          firstname: `Seed${i}`,
          surname: 'Bench',
          quantity: '2',
          phone: '0501234567',
          email: `seed${i}@example.com`,
        },
      },
      { table: tables.guardTableName, item: { [GUARD_KEY]: guardKey(id), guest_seq_num: seqNum } },
    );
  }
  const batches: Put[][] = [];
  for (let i = 0; i < puts.length; i += BATCH) batches.push(puts.slice(i, i + BATCH));

  const writeBatch = async (batch: Put[]) => {
    let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
    for (const { table, item } of batch) {
      const list = pending[table] ?? [];
      list.push({ PutRequest: { Item: item } });
      pending[table] = list;
    }
    for (let round = 0; Object.keys(pending).length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * round));
      if (round > 10) throw new Error('seed: items still unprocessed after 10 retries');
      const out = await client.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = (out.UnprocessedItems ?? {}) as typeof pending;
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) await writeBatch(batch);
      }
    }),
  );
  await client.send(
    new UpdateCommand({
      TableName: tables.guardTableName,
      Key: { [GUARD_KEY]: counterKey(0) },
      UpdateExpression: 'ADD guests :n',
      ExpressionAttributeValues: { ':n': count },
    }),
  );
  return seqNums;
}

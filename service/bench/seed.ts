import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterKey, guardKey } from '../src/store/dynamo-guest-store';

const BATCH = 25;
const PARALLEL = 16;

/**
 * Writes `count` guests in the store's layout (guest item, its person-id guard, and the counter) with
 * BatchWrite, far faster than one transaction each. Person ids count up from `idFrom`.
 * Resolves to the new guests' seq_nums.
 */
export async function seedGuests(
  client: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  idFrom: number,
): Promise<string[]> {
  const seqNums: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const seqNum = randomUUID();
    const id = String(idFrom + i);
    seqNums.push(seqNum);
    items.push(
      {
        seq_num: seqNum,
        id,
        firstname: `Seed${i}`,
        surname: 'Bench',
        quantity: '2',
        phone: '0501234567',
        email: `seed${i}@example.com`,
      },
      { seq_num: guardKey(id), kind: 'person-guard', guest_seq_num: seqNum },
    );
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));

  const writeBatch = async (batch: Record<string, unknown>[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * round));
      if (round > 10) throw new Error(`seed: ${pending.length} items still unprocessed after 10 retries`);
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
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
      TableName: tableName,
      Key: { seq_num: counterKey(0) },
      UpdateExpression: 'ADD guests :n SET kind = :kind',
      ExpressionAttributeValues: { ':n': count, ':kind': 'counter' },
    }),
  );
  return seqNums;
}

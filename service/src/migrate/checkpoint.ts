// Saves and reads where each scan segment of a table migration stands, so an interrupted run resumes.
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GUARD_KEY } from '../store/guard-keys';

/** Where one scan segment of a migration stands; kept in the guard table until the run completes. */
export interface Checkpoint {
  /** The segment's last evaluated key; undefined once `done`. */
  readonly lastKey: Record<string, AttributeValue> | undefined;
  readonly done: boolean;
}

/** Key of a segment's checkpoint item (segment count included: another count starts afresh). */
export const checkpointKey = (tableName: string, segment: number, segments: number) =>
  `migration#${tableName}#${segment}/${segments}`;

export async function readCheckpoint(
  client: DynamoDBClient,
  guardTableName: string,
  key: string,
): Promise<Checkpoint | undefined> {
  const out = await client.send(
    new GetItemCommand({ TableName: guardTableName, Key: { [GUARD_KEY]: { S: key } }, ConsistentRead: true }),
  );
  if (out.Item === undefined) return undefined;
  const last = out.Item.last_key?.S;
  return { lastKey: last === undefined ? undefined : JSON.parse(last), done: out.Item.done?.BOOL === true };
}

/** Saves a segment's position after a page; `lastKey` undefined marks the segment done. */
export async function writeCheckpoint(
  client: DynamoDBClient,
  guardTableName: string,
  key: string,
  lastKey: Record<string, AttributeValue> | undefined,
): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: guardTableName,
      Item: {
        [GUARD_KEY]: { S: key },
        done: { BOOL: lastKey === undefined },
        ...(lastKey === undefined ? {} : { last_key: { S: JSON.stringify(lastKey) } }),
      },
    }),
  );
}

export async function clearCheckpoint(
  client: DynamoDBClient,
  guardTableName: string,
  key: string,
): Promise<void> {
  await client.send(new DeleteItemCommand({ TableName: guardTableName, Key: { [GUARD_KEY]: { S: key } } }));
}

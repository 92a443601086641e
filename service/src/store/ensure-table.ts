import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Options for {@link ensureTable}. */
export interface EnsureTableOptions {
  /** How long to wait for the table to become ACTIVE. @default 30000 */
  readonly timeoutMs?: number;
}

type AnyClient = DynamoDBClient | DynamoDBDocumentClient;

async function status(client: AnyClient, tableName: string) {
  try {
    // The document client forwards plain commands; both share the same send at runtime.
    const out = await (client as DynamoDBClient).send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.TableStatus;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/**
 * Creates the guest table (string hash key `seq_num`, on-demand billing) unless it exists,
 * then waits until it is ACTIVE. Safe to call concurrently and repeatedly.
 */
export async function ensureTable(
  client: AnyClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  if ((await status(client, tableName)) === undefined) {
    try {
      await (client as DynamoDBClient).send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'seq_num', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'seq_num', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (err) {
      // Someone else created it between our describe and create.
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
  for (;;) {
    const current = await status(client, tableName);
    if (current === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table '${tableName}' is ${current ?? 'missing'}; it must become ACTIVE within the timeout`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

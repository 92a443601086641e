// Creates the guests' and guard tables when they are missing and waits until they are active; for local
// development and tests (in AWS the tables are declared).
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { GUARD_KEY, GUEST_KEY } from './guard-keys';

/** Options for {@link ensureTable}. */
export interface EnsureTableOptions {
  /** Hash key attribute (a string). @default 'seq_num' */
  readonly key?: string;
  /** How long to wait for the table to become ACTIVE. @default 30000 */
  readonly timeoutMs?: number;
}

async function status(client: DynamoDBClient, tableName: string) {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.TableStatus;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/**
 * Creates a table with a string hash key (on-demand billing) unless it exists, then waits until it is
 * ACTIVE. Safe to call concurrently and repeatedly. For local development and tests: in AWS the tables
 * are created by the deployment.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const key = options.key ?? GUEST_KEY;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  if ((await status(client, tableName)) === undefined) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
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

/** Creates both tables of the store when missing: guests (`seq_num`) and guards/counters (`pk`). */
export async function ensureGuestTables(
  client: DynamoDBClient,
  tables: { readonly tableName: string; readonly guardTableName: string },
): Promise<void> {
  await Promise.all([
    ensureTable(client, tables.tableName, { key: GUEST_KEY }),
    ensureTable(client, tables.guardTableName, { key: GUARD_KEY }),
  ]);
}

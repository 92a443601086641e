import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteTableCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../test/ddb-local';
import { testConfig } from '../../test/test-config';
import { createDynamoClient } from '../dynamo/client';
import { parseGuestInput } from '../schemas/guest';
import { DynamoGuestStore } from '../store/dynamo-guest-store';
import { ensureGuestTables } from '../store/ensure-table';
import { DuplicatePersonError } from '../store/errors';
import { migrateTable } from './migrate-table';

const client = createDynamoClient(testConfig({ endpointUrl: inject('ddbEndpoint') }), {
  credentials: LOCAL_CREDENTIALS,
});
const created: string[] = [];

/** Both tables, empty, with fresh names. */
async function tables() {
  const config = testConfig({ tableName: `old-${randomUUID()}` });
  await ensureGuestTables(client, config);
  created.push(config.tableName, config.guardTableName);
  return config;
}

/**
 * Rows as the old Flask API wrote them: every value a string (quantity too), fields it did not get left
 * out, the occasional number id from a client that sent one, and person ids it let in more than once.
 */
function legacyRows(): Record<string, AttributeValue>[] {
  const rows: Record<string, AttributeValue>[] = [];
  const row = (id: AttributeValue | undefined, extra: Record<string, AttributeValue> = {}) => {
    const item: Record<string, AttributeValue> = {
      seq_num: { S: randomUUID() },
      firstname: { S: `Old${rows.length}` },
      surname: { S: 'Flask' },
      quantity: { S: String(1 + (rows.length % 4)) },
      phone: { S: '0501234567' },
      email: { S: `old${rows.length}@example.com` },
      ...extra,
    };
    if (id !== undefined) item.id = id;
    rows.push(item);
  };
  for (let i = 0; i < 50; i++) row({ S: String(300_000_000 + i) });
  row({ S: '555555555' });
  row({ S: '555555555' });
  row({ S: '666666666' });
  row({ S: '666666666' });
  row({ S: '666666666' });
  row({ N: '12345678901234567891' }); // a number id, exact digits
  row({ S: '777777777' }, { email: { NULL: true } });
  const partial: Record<string, AttributeValue> = { seq_num: { S: randomUUID() }, id: { S: '888888888' } };
  rows.push(partial); // only an id: everything else missing
  row(undefined); // no person id at all
  row(undefined, { guest_id: { S: '999999999' } }); // the alias some old clients sent
  return rows;
}

async function putRows(tableName: string, rows: Record<string, AttributeValue>[]) {
  for (let i = 0; i < rows.length; i += 25) {
    const batch = rows.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
    expect(Object.keys(out.UnprocessedItems ?? {})).toEqual([]);
  }
}

async function scan(tableName: string) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []).map((i) => unmarshall(i, { wrapNumbers: true })));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

const input = (id: string) => {
  const result = parseGuestInput({
    id,
    firstname: 'New',
    surname: 'Service',
    quantity: 1,
    phone: '0501234567',
    email: 'new@example.com',
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

afterAll(async () => {
  for (const TableName of created)
    await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
  client.destroy();
});

describe('migrateTable on rows the old API wrote', () => {
  let config: Awaited<ReturnType<typeof tables>>;
  let rows: Record<string, AttributeValue>[];
  let before: Record<string, unknown>[];
  let fromService: string;
  const options = () => ({
    client,
    tableName: config.tableName,
    guardTableName: config.guardTableName,
    segments: 3,
    pageSize: 7,
  });

  beforeAll(async () => {
    config = await tables();
    rows = legacyRows();
    await putRows(config.tableName, rows);
    // One guest the new service wrote before the migration ran: already guarded and counted.
    const store = new DynamoGuestStore({
      client,
      tableName: config.tableName,
      guardTableName: config.guardTableName,
    });
    fromService = (await store.create(input('444444444'))).seq_num;
    before = await scan(config.tableName);
  });

  it('should write nothing on --dry-run and report what it would do', async () => {
    const summary = await migrateTable({ ...options(), dryRun: true });
    expect(summary).toMatchObject({
      dryRun: true,
      complete: true,
      scanned: rows.length + 1,
      guarded: 56,
      counted: rows.length,
      alreadyDone: 1,
      guestsCount: 1,
    });
    expect(summary.withoutId).toHaveLength(1);
    expect(summary.duplicates.map((d) => [d.id, d.seq_nums.length]).sort()).toEqual([
      ['555555555', 2],
      ['666666666', 3],
    ]);
    const guards = await scan(config.guardTableName);
    expect(guards.map((g) => String(g.pk)).filter((pk) => !pk.startsWith('count#'))).toEqual([
      'person#444444444',
    ]);
  });

  it('should guard every person id once, count every row once, and list duplicates without merging', async () => {
    const summary = await migrateTable(options());
    expect(summary).toMatchObject({
      dryRun: false,
      resumed: false,
      complete: true,
      scanned: rows.length + 1,
      guarded: 56,
      counted: rows.length,
      alreadyDone: 1,
      guestsCount: rows.length + 1,
    });
    const dupes = Object.fromEntries(summary.duplicates.map((d) => [d.id, d.seq_nums]));
    expect(Object.keys(dupes).sort()).toEqual(['555555555', '666666666']);
    const guards = await scan(config.guardTableName);
    const holder = (id: string) => guards.find((g) => g.pk === `person#${id}`)?.guest_seq_num;
    expect(dupes['555555555']?.[0]).toBe(holder('555555555'));
    expect(new Set(dupes['666666666'])).toEqual(
      new Set(before.filter((r) => String(r.id) === '666666666').map((r) => r.seq_num)),
    );
    expect(holder('12345678901234567891')).toBeDefined();
    expect(holder('999999999')).toBeDefined();
    expect(holder('888888888')).toBeDefined();
    expect(guards.some((g) => String(g.pk).startsWith('migration#'))).toBe(false);
    // The old table is untouched: same rows, same attributes, string quantities and all.
    expect(await scan(config.tableName)).toEqual(expect.arrayContaining(before));
    expect(await scan(config.tableName)).toHaveLength(before.length);
  });

  it('should change nothing when run a second time', async () => {
    const guardsBefore = await scan(config.guardTableName);
    const summary = await migrateTable(options());
    expect(summary).toMatchObject({
      guarded: 0,
      counted: 0,
      alreadyDone: rows.length + 1,
      guestsCount: rows.length + 1,
    });
    expect(summary.duplicates).toHaveLength(2);
    expect(await scan(config.guardTableName)).toEqual(expect.arrayContaining(guardsBefore));
  });

  it('should leave the service enforcing uniqueness and an exact count on the migrated table', async () => {
    const store = new DynamoGuestStore({
      client,
      tableName: config.tableName,
      guardTableName: config.guardTableName,
    });
    await expect(store.create(input('300000007'))).rejects.toThrow(DuplicatePersonError);
    expect(await store.count()).toBe(rows.length + 1);
    const duplicate = (await migrateTable({ ...options(), dryRun: true })).duplicates.find(
      (d) => d.id === '555555555',
    );
    // Deleting the row that does not hold the guard keeps the guard; deleting the holder frees the id.
    expect(await store.delete(duplicate?.seq_nums[1] ?? '')).toBe(true);
    await expect(store.create(input('555555555'))).rejects.toThrow(DuplicatePersonError);
    expect(await store.delete(duplicate?.seq_nums[0] ?? '')).toBe(true);
    expect(await store.delete(fromService)).toBe(true);
    expect(await store.count()).toBe(rows.length - 2);
    expect((await store.create(input('555555555'))).id).toBe('555555555');
  });
});

describe('migrateTable interrupted and resumed', () => {
  it('should stop at a checkpoint, resume from it, and end with the same result as one run', async () => {
    const config = await tables();
    const rows = legacyRows();
    await putRows(config.tableName, rows);
    const abort = new AbortController();
    const options = {
      client,
      tableName: config.tableName,
      guardTableName: config.guardTableName,
      segments: 2,
      pageSize: 5,
    };
    const first = await migrateTable({
      ...options,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.scanned >= 20) abort.abort();
      },
    });
    expect(first.complete).toBe(false);
    expect(first.scanned).toBeLessThan(rows.length);
    const checkpoints = (await scan(config.guardTableName)).filter((g) =>
      String(g.pk).startsWith('migration#'),
    );
    expect(checkpoints.length).toBeGreaterThan(0);

    const second = await migrateTable(options);
    expect(second).toMatchObject({ resumed: true, complete: true, guestsCount: rows.length });
    // Resumed, not restarted: the rows of the first run's pages are not read again.
    expect(first.scanned + second.scanned).toBeLessThanOrEqual(rows.length + 2 * 5);
    expect(second.scanned).toBeLessThan(rows.length);

    const third = await migrateTable(options);
    expect(third).toMatchObject({
      resumed: false,
      guarded: 0,
      counted: 0,
      alreadyDone: rows.length,
      guestsCount: rows.length,
    });
    expect(third.duplicates.map((d) => d.id).sort()).toEqual(['555555555', '666666666']);
  });
});

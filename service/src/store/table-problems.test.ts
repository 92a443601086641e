// A missing or wrongly keyed table, on DynamoDB Local: found by checkTables, named at run time, never "retry later".
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';
import { parseGuestInput } from '../schemas/guest';
import { DynamoGuestStore } from './dynamo-guest-store';
import { StoreMisconfiguredError } from './errors';

describe('tables missing or keyed otherwise', () => {
  let h: Harness;
  const made: string[] = [];
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    for (const TableName of made) await h.client.send(new DeleteTableCommand({ TableName })).catch(() => {});
    await h.dispose();
  });

  /** A table made outside the service, with the given hash (and optional range) key. */
  const table = async (hash: [string, 'S' | 'N'], range?: [string, 'S' | 'N']) => {
    const name = `odd-${randomUUID()}`;
    const keys: KeySchemaElement[] = [{ AttributeName: hash[0], KeyType: 'HASH' }];
    const attributes = [{ AttributeName: hash[0], AttributeType: hash[1] }];
    if (range) {
      keys.push({ AttributeName: range[0], KeyType: 'RANGE' });
      attributes.push({ AttributeName: range[0], AttributeType: range[1] });
    }
    await h.client.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: attributes,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    made.push(name);
    return name;
  };
  const store = (tableName: string, guardTableName: string) =>
    new DynamoGuestStore({ client: h.client, tableName, guardTableName });

  it('should find nothing wrong with the tables the service made', async () => {
    expect(await h.store.checkTables()).toEqual([]);
  });

  it('should name a missing table', async () => {
    expect(await store(h.tableName, 'no-such-guards').checkTables()).toEqual([
      { role: 'guards', table: 'no-such-guards', kind: 'missing' },
    ]);
    expect(await store('no-such-guests', 'no-such-guards').checkTables()).toEqual([
      { role: 'guests', table: 'no-such-guests', kind: 'missing' },
      { role: 'guards', table: 'no-such-guards', kind: 'missing' },
    ]);
  });

  it('should find a table keyed otherwise: another name, another type, a sort key', async () => {
    for (const guests of [
      await table(['id', 'S']),
      await table(['seq_num', 'N']),
      await table(['seq_num', 'S'], ['id', 'S']),
    ]) {
      const problems = await store(guests, h.guardTableName).checkTables();
      expect(problems).toEqual([
        { role: 'guests', table: guests, kind: 'wrong-key', detail: expect.stringMatching(/key/i) },
      ]);
    }
    const guards = await table(['id', 'S']);
    expect(await store(h.tableName, guards).checkTables()).toMatchObject([
      { role: 'guards', kind: 'wrong-key' },
    ]);
  });

  it('should answer every call on a missing table with the misconfiguration, never "retry later"', async () => {
    const noGuards = store(h.tableName, 'no-such-guards');
    const guards =
      "DynamoDB table 'no-such-guards' (DDB_GUARD_TABLE) does not exist: it needs the hash key pk (type S) and no sort key; " +
      `create it with DDB_CREATE_TABLE=true, or with npm run migrate -- --table ${h.tableName} --create-guard-table (which also guards and counts the guests already there)`;
    await expect(noGuards.count()).rejects.toBeInstanceOf(StoreMisconfiguredError);
    await expect(noGuards.count()).rejects.toThrow(`Storage misconfigured: ${guards}`);
    // A transaction names both tables; the error names only the missing one.
    const input = parseGuestInput(validGuest({ id: '5550001' }));
    if (!input.ok) throw new Error(input.message);
    const created = noGuards.create(input.value);
    await expect(created).rejects.toBeInstanceOf(StoreMisconfiguredError);
    await expect(created).rejects.toThrow(`Storage misconfigured: ${guards}`);
    await expect(store('no-such-guests', h.guardTableName).list(10)).rejects.toThrow(
      "Storage misconfigured: DynamoDB table 'no-such-guests' (DDB_TABLE) does not exist: it needs the hash key seq_num (type S) and no sort key; create it with DDB_CREATE_TABLE=true, or set DDB_TABLE to the old API's table",
    );
  });
});

import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';
import { parseGuestInput } from '../schemas/guest';
import { DuplicatePersonError } from './errors';
import { counterKey, guardKey } from './guard-keys';

const input = (overrides: Record<string, unknown> = {}) => {
  const result = parseGuestInput(validGuest(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

describe('DynamoGuestStore', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  const scan = async (TableName: string) => {
    const out = await h.client.send(new ScanCommand({ TableName, ConsistentRead: true }));
    return (out.Items ?? []).map((i) => unmarshall(i));
  };
  const allItems = () => scan(h.tableName);
  const guardItems = () => scan(h.guardTableName);

  it('should let exactly one of 16 concurrent creates with one person id win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, () => h.store.create(input({ id: '700001' }))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(15);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DuplicatePersonError);
    const stored = (await allItems()).filter((i) => i.id === '700001');
    expect(stored).toHaveLength(1);
  });

  it('should free the person id on delete and keep the count exact', async () => {
    const before = await h.store.count();
    const guest = await h.store.create(input({ id: '700002' }));
    expect(await h.store.count()).toBe(before + 1);
    await expect(h.store.create(input({ id: '700002' }))).rejects.toThrow(
      "Guest with id '700002' already exists; person ids must be unique",
    );
    expect(await h.store.delete(guest.seq_num)).toBe(true);
    expect(await h.store.get(guest.seq_num)).toBeUndefined();
    expect(await h.store.count()).toBe(before);
    expect((await guardItems()).some((i) => i.pk === guardKey('700002'))).toBe(false);
    const again = await h.store.create(input({ id: '700002' }));
    expect(again.seq_num).not.toBe(guest.seq_num);
    expect(await h.store.delete(again.seq_num)).toBe(true);
    expect(await h.store.delete(again.seq_num)).toBe(false);
  });

  it('should keep the count exact under concurrent creates of different ids', async () => {
    const before = await h.store.count();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => h.store.create(input({ id: String(710000 + i) }))),
    );
    expect(await h.store.count()).toBe(before + 24);
  });

  it('should keep the guests table in the old shape and guards and counters in the guard table', async () => {
    const guests = await allItems();
    expect(guests.length).toBeGreaterThan(0);
    for (const item of guests) {
      expect(Object.keys(item).sort()).toEqual(
        ['email', 'firstname', 'id', 'phone', 'quantity', 'seq_num', 'surname'].sort(),
      );
    }
    const guards = await guardItems();
    const personGuards = guards.filter((i) => String(i.pk).startsWith('person#'));
    const counters = guards.filter((i) => String(i.pk).startsWith('count#'));
    expect(personGuards).toHaveLength(guests.length);
    for (const guard of personGuards) {
      const guest = guests.find((g) => g.seq_num === guard.guest_seq_num);
      expect(guard.pk).toBe(guardKey(String(guest?.id)));
    }
    expect(counters.length).toBeGreaterThan(0);
    expect(counters.every((c) => /^count#[0-7]$/.test(String(c.pk)))).toBe(true);
    expect(counters.reduce((sum, c) => sum + Number(c.guests), 0)).toBe(guests.length);
    expect(await h.store.get(counterKey(0))).toBeUndefined();
    const page = await h.store.list(1000);
    expect(page.guests).toHaveLength(await h.store.count());
  });

  it('should read rows the old API wrote: numbers kept digit for digit, missing fields empty', async () => {
    await h.client.send(
      new PutItemCommand({
        TableName: h.tableName,
        Item: {
          seq_num: { S: 'legacy-1' },
          id: { N: '12345678901234567891' },
          firstname: { S: 'Old' },
          quantity: { N: '3' },
        },
      }),
    );
    expect(await h.store.get('legacy-1')).toEqual({
      seq_num: 'legacy-1',
      id: '12345678901234567891',
      firstname: 'Old',
      surname: '',
      quantity: '3',
      phone: '',
      email: '',
    });
    // Not migrated: no guard to free, no count to take back beyond the shard it lands on.
    expect(await h.store.delete('legacy-1')).toBe(true);
    expect(await h.store.get('legacy-1')).toBeUndefined();
  });
});

describe('DynamoGuestStore.list', () => {
  let h: Harness;
  const ids = new Set<string>();
  beforeAll(async () => {
    h = await createHarness();
    // In batches: DynamoDB Local on two cores accepts only so many connections at once.
    for (let batch = 0; batch < 10; batch++) {
      const created = await Promise.all(
        Array.from({ length: 25 }, (_, i) => h.store.create(input({ id: String(800000 + batch * 25 + i) }))),
      );
      for (const g of created) ids.add(g.seq_num);
    }
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should walk 250 guests with limit 7 exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.store.list(7, cursor);
      expect(page.guests.length).toBeLessThanOrEqual(7);
      seen.push(...page.guests.map((g) => g.seq_num));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(seen).toHaveLength(250);
    expect(new Set(seen)).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(36);
  });

  it('should return all guests on one page with the default limit and no cursor', async () => {
    const page = await h.store.list(1000);
    expect(page.guests).toHaveLength(250);
    expect(page.nextCursor).toBeUndefined();
  });
});

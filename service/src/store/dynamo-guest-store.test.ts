import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';
import { parseGuestInput } from '../schemas/guest';
import { counterKey, guardKey } from './dynamo-guest-store';
import { DuplicatePersonError } from './errors';

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

  const allItems = async () => {
    const out = await h.client.send(new ScanCommand({ TableName: h.tableName, ConsistentRead: true }));
    return out.Items ?? [];
  };

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
    expect((await allItems()).some((i) => i.seq_num === guardKey('700002'))).toBe(false);
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

  it('should never expose guard or counter items', async () => {
    const items = await allItems();
    expect(items.some((i) => String(i.seq_num).startsWith('#person#'))).toBe(true);
    expect(items.some((i) => String(i.seq_num).startsWith('#count#'))).toBe(true);
    expect(await h.store.get(guardKey('700001'))).toBeUndefined();
    expect(await h.store.get(counterKey(0))).toBeUndefined();
    expect(await h.store.delete(guardKey('700001'))).toBe(false);
    const page = await h.store.list(1000);
    expect(page.guests.every((g) => !g.seq_num.startsWith('#'))).toBe(true);
    expect(page.guests).toHaveLength(await h.store.count());
  });

  it('should ping an existing table and fail for a missing one', async () => {
    await expect(h.store.ping()).resolves.toBeUndefined();
    const { DynamoGuestStore } = await import('./dynamo-guest-store');
    const missing = new DynamoGuestStore({ client: h.client, tableName: 'no-such-table' });
    await expect(missing.ping()).rejects.toThrow(
      'Storage unavailable: DynamoDB DescribeTable failed (table not found); retry later',
    );
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

  it('should walk 250 guests with limit 7 exactly once, without meta items', async () => {
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

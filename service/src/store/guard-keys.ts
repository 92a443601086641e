/**
 * Layout of the guard table, the second table next to the guests' one. Its string hash key is `pk`;
 * it holds two kinds of items, written in the same transactions as the guests:
 * - a guard `person#<id>` with `guest_seq_num`, which reserves a person id for one guest;
 * - counter shards `count#0..K-1` with a number attribute `guests`, whose sum is the guest count.
 */

/** Hash key attribute of the guard table. */
export const GUARD_KEY = 'pk';
/** Hash key attribute of the guests' table (the old API's). */
export const GUEST_KEY = 'seq_num';
/** Default number of counter shards: more shards, fewer conflicts between concurrent writes. */
export const DEFAULT_COUNTER_SHARDS = 8;

/** Key value of the guard item that reserves a person id. */
export const guardKey = (personId: string) => `person#${personId}`;
/** Key value of one shard of the guest counter. */
export const counterKey = (shard: number) => `count#${shard}`;

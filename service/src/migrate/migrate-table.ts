// Migrates a table the old Flask API filled: writes the person-id guards and counter shards the service
// needs, idempotently and resumably, without changing the old table.
import { randomInt } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { counterKey, DEFAULT_COUNTER_SHARDS, GUARD_KEY, GUEST_KEY, guardKey } from '../store/guard-keys';
import { checkpointKey, clearCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';

/** Marker of a row the migration counted itself (rows whose guard it did not write are counted this way). */
export const countedKey = (seqNum: string) => `counted#${seqNum}`;

/** Options of {@link migrateTable}. */
export interface MigrateOptions {
  readonly client: DynamoDBClient;
  /** The old API's table (key `seq_num`); never written. */
  readonly tableName: string;
  /** The guard table the service uses (key `pk`); must exist. */
  readonly guardTableName: string;
  /** Only read and report what would be written. @default false */
  readonly dryRun?: boolean;
  /** Parallel scan segments. @default 4 */
  readonly segments?: number;
  /** Items per Scan page (a checkpoint is saved after each). @default 200 */
  readonly pageSize?: number;
  /** @default 8, the store's */
  readonly counterShards?: number;
  /** Called after each page with the running totals. */
  readonly onProgress?: (progress: MigrateProgress) => void;
  /** Stops the run after the pages in flight; a later run resumes from the checkpoints. */
  readonly signal?: AbortSignal;
}

/** Running totals. */
export interface MigrateProgress {
  /** Rows read from the old table. */
  scanned: number;
  /** Guards written (dry run: that would be written). */
  guarded: number;
  /** Rows added to the guest count (dry run: that would be). */
  counted: number;
  /** Rows that already had their guard or count from an earlier run or from the service. */
  alreadyDone: number;
}

/** A person id that more than one row holds: listed, never merged. */
export interface DuplicatePerson {
  readonly id: string;
  /** The row holding the guard first, then the others. */
  readonly seq_nums: readonly string[];
}

/** Outcome of {@link migrateTable}. */
export interface MigrateSummary extends MigrateProgress {
  readonly table: string;
  readonly guardTable: string;
  readonly dryRun: boolean;
  /** True when this run continued an interrupted one from its checkpoints. */
  readonly resumed: boolean;
  /** False when the run was stopped before the end (checkpoints kept). */
  readonly complete: boolean;
  readonly duplicates: readonly DuplicatePerson[];
  /** Rows without a usable person id: counted, not guarded. */
  readonly withoutId: readonly string[];
  /** Sum of the counter shards after the run (unchanged by a dry run). */
  readonly guestsCount: number;
  readonly seconds: number;
}

type Row = { seqNum: string; personId: string | undefined };

/** Rows of one page migrated concurrently (per segment). */
const ROWS_IN_FLIGHT = 8;

const S = (value: string): AttributeValue => ({ S: value });

/** The row's key and person id (`id`, else the old clients' `guest_id`), digits kept exactly. */
function readRow(item: Record<string, AttributeValue>): Row | undefined {
  const seqNum = item[GUEST_KEY]?.S;
  if (seqNum === undefined) return undefined;
  const plain = unmarshall(item, { wrapNumbers: true });
  const raw = plain.id ?? plain.guest_id;
  const personId = raw === undefined || raw === null ? '' : String(raw).trim();
  return { seqNum, personId: personId === '' ? undefined : personId };
}

const cancelReasons = (err: unknown): string[] | undefined =>
  (err as Error).name === 'TransactionCanceledException'
    ? ((err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
        (r) => r.Code ?? 'None',
      )
    : undefined;

/**
 * Prepares a table the old Flask API filled for the service: writes the person-id guard of every row
 * and counts every row once in the counter shards, in the guard table; the old table is only read.
 * Idempotent (a guard or a `counted#` marker written in the same transaction as the count tells what
 * was done) and resumable (each scan segment saves its position after every page). A person id held
 * by two rows gets its guard for the first row seen and is reported; no row is changed or merged.
 */
export async function migrateTable(options: MigrateOptions): Promise<MigrateSummary> {
  const started = performance.now();
  const { client, tableName, guardTableName } = options;
  const dryRun = options.dryRun ?? false;
  const segments = options.segments ?? 4;
  const shards = options.counterShards ?? DEFAULT_COUNTER_SHARDS;
  const progress: MigrateProgress = { scanned: 0, guarded: 0, counted: 0, alreadyDone: 0 };
  const duplicates = new Map<string, Set<string>>();
  const withoutId: string[] = [];
  /** Dry run only: the holder each person id would get. */
  const wouldHold = new Map<string, string>();

  const get = async (pk: string) =>
    (
      await client.send(
        new GetItemCommand({ TableName: guardTableName, Key: { [GUARD_KEY]: S(pk) }, ConsistentRead: true }),
      )
    ).Item;
  const putGuard = (row: Row): TransactWriteItem => ({
    Put: {
      TableName: guardTableName,
      Item: { [GUARD_KEY]: S(guardKey(row.personId ?? '')), guest_seq_num: S(row.seqNum) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const putMarker = (row: Row): TransactWriteItem => ({
    Put: {
      TableName: guardTableName,
      Item: { [GUARD_KEY]: S(countedKey(row.seqNum)) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const addOne = (): TransactWriteItem => ({
    Update: {
      TableName: guardTableName,
      Key: { [GUARD_KEY]: S(counterKey(randomInt(shards))) },
      UpdateExpression: 'ADD guests :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    },
  });
  /** Runs a transaction; the failed conditions' item indexes when a condition failed. */
  const transact = async (items: TransactWriteItem[]): Promise<number[]> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return [];
      } catch (err) {
        const reasons = cancelReasons(err);
        if (reasons === undefined) throw err;
        const failed = reasons.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
        if (failed.length > 0) return failed;
        if (attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, randomInt(10, 40 * attempt)));
      }
    }
  };
  const noteDuplicate = (id: string, holder: string, seqNum: string) => {
    const rows = duplicates.get(id) ?? new Set([holder]);
    rows.add(seqNum);
    duplicates.set(id, rows);
  };

  /** Counts a row that has no guard of its own, once (its marker). */
  const countOnce = async (row: Row) => {
    if (dryRun) {
      if ((await get(countedKey(row.seqNum))) === undefined) progress.counted++;
      else progress.alreadyDone++;
      return;
    }
    const failed = await transact([putMarker(row), addOne()]);
    if (failed.length === 0) progress.counted++;
    else progress.alreadyDone++;
  };

  const migrateRow = async (row: Row) => {
    progress.scanned++;
    if (row.personId === undefined) {
      withoutId.push(row.seqNum);
      await countOnce(row);
      return;
    }
    const id = row.personId;
    for (;;) {
      const holder = (await get(guardKey(id)))?.guest_seq_num?.S;
      if (holder === row.seqNum) {
        progress.alreadyDone++;
        return;
      }
      if (holder !== undefined) {
        noteDuplicate(id, holder, row.seqNum);
        await countOnce(row);
        return;
      }
      if (dryRun) {
        const first = wouldHold.get(id);
        if (first !== undefined) {
          noteDuplicate(id, first, row.seqNum);
          await countOnce(row);
          return;
        }
        wouldHold.set(id, row.seqNum);
        progress.guarded++;
        await countOnce(row);
        return;
      }
      const failed = await transact([putGuard(row), putMarker(row), addOne()]);
      if (failed.length === 0) {
        progress.guarded++;
        progress.counted++;
        return;
      }
      if (failed.includes(0)) continue; // another row took the guard meanwhile: look again
      // Counted before, as a duplicate whose guard holder has since been deleted: guard it only.
      const again = await transact([putGuard(row)]);
      if (again.length === 0) {
        progress.guarded++;
        return;
      }
    }
  };

  const resumedFrom = dryRun
    ? []
    : await Promise.all(
        Array.from({ length: segments }, (_, segment) =>
          readCheckpoint(client, guardTableName, checkpointKey(tableName, segment, segments)),
        ),
      );
  const resumed = resumedFrom.some((c) => c !== undefined);
  let complete = true;

  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const key = checkpointKey(tableName, segment, segments);
      const from = resumedFrom[segment];
      if (from?.done) return;
      let startKey = from?.lastKey;
      for (;;) {
        if (options.signal?.aborted) {
          complete = false;
          return;
        }
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            Limit: options.pageSize ?? 200,
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        const rows = (page.Items ?? []).flatMap((item) => readRow(item) ?? []);
        // A few rows at a time: two rows of one person id racing is handled by the guard's condition.
        for (let i = 0; i < rows.length; i += ROWS_IN_FLIGHT) {
          await Promise.all(rows.slice(i, i + ROWS_IN_FLIGHT).map(migrateRow));
        }
        startKey = page.LastEvaluatedKey;
        if (!dryRun) await writeCheckpoint(client, guardTableName, key, startKey);
        options.onProgress?.({ ...progress });
        if (startKey === undefined) return;
      }
    }),
  );
  if (complete && !dryRun) {
    await Promise.all(
      Array.from({ length: segments }, (_, segment) =>
        clearCheckpoint(client, guardTableName, checkpointKey(tableName, segment, segments)),
      ),
    );
  }

  const counters = await Promise.all(Array.from({ length: shards }, (_, shard) => get(counterKey(shard))));
  const guestsCount = counters.reduce((sum, item) => sum + Number(item?.guests?.N ?? 0), 0);
  return {
    table: tableName,
    guardTable: guardTableName,
    dryRun,
    resumed,
    complete,
    ...progress,
    duplicates: [...duplicates].map(([id, rows]) => ({ id, seq_nums: [...rows] })),
    withoutId,
    guestsCount,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

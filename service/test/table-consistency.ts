import { type AttributeValue, type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { counterKey, GUARD_KEY, guardKey } from '../src/store/guard-keys';

/** What the two tables hold, read with strongly consistent scans. */
export interface TableState {
  /** Guests by seq_num: their person id. */
  readonly guests: ReadonlyMap<string, string>;
  /** Guards by person id: the seq_num they point at. */
  readonly guards: ReadonlyMap<string, string>;
  /** Sum of the counter shards. */
  readonly counted: number;
}

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...(page.Items ?? []));
  }
  return items;
}

/** Reads both tables (give it a client that bypasses any fault proxy). */
export async function readTables(
  client: DynamoDBClient,
  tables: { tableName: string; guardTableName: string },
): Promise<TableState> {
  const guests = new Map<string, string>();
  for (const item of await scanAll(client, tables.tableName)) {
    guests.set(item.seq_num?.S ?? '', item.id?.S ?? '');
  }
  const guards = new Map<string, string>();
  let counted = 0;
  for (const item of await scanAll(client, tables.guardTableName)) {
    const pk = item[GUARD_KEY]?.S ?? '';
    if (pk.startsWith(guardKey(''))) guards.set(pk.slice(guardKey('').length), item.guest_seq_num?.S ?? '');
    else if (pk.startsWith(counterKey(0).replace(/\d+$/, ''))) counted += Number(item.guests?.N ?? 0);
    else throw new Error(`unexpected item '${pk}' in ${tables.guardTableName}`);
  }
  return { guests, guards, counted };
}

/**
 * Every way the tables can disagree, one line each; empty when consistent: each guest has its guard,
 * each guard points at a guest with its person id, no two guests share a person id, and the counter
 * shards add up to the number of guests.
 */
export function inconsistencies(state: TableState): string[] {
  const problems: string[] = [];
  const byPerson = new Map<string, string[]>();
  for (const [seq, person] of state.guests) byPerson.set(person, [...(byPerson.get(person) ?? []), seq]);
  for (const [person, seqs] of byPerson) {
    if (seqs.length > 1) problems.push(`person id ${person} has ${seqs.length} guests`);
    const guarded = state.guards.get(person);
    if (guarded === undefined) problems.push(`guest ${seqs[0]} (person ${person}) has no guard`);
  }
  for (const [person, seq] of state.guards) {
    const owner = state.guests.get(seq);
    if (owner === undefined) problems.push(`guard of person ${person} points at missing guest ${seq}`);
    else if (owner !== person)
      problems.push(`guard of person ${person} points at guest ${seq} of person ${owner}`);
  }
  if (state.counted !== state.guests.size) {
    problems.push(`counter says ${state.counted} guests, the table holds ${state.guests.size}`);
  }
  return problems;
}

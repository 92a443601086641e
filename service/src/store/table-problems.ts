// What is wrong with a table the store needs, and the one sentence that tells an operator how to fix it.
import { GUARD_KEY, GUEST_KEY } from './guard-keys';

/** Which of the store's two tables. */
export type TableRole = 'guests' | 'guards';

/** A table that is missing, or keyed otherwise than the store needs: no request can succeed, no retry helps. */
export interface TableProblem {
  readonly role: TableRole;
  readonly table: string;
  readonly kind: 'missing' | 'wrong-key';
  /** DynamoDB's own words, for a wrong key. */
  readonly detail?: string;
}

const SETTING: Record<TableRole, string> = { guests: 'DDB_TABLE', guards: 'DDB_GUARD_TABLE' };
const KEY: Record<TableRole, string> = { guests: GUEST_KEY, guards: GUARD_KEY };

/**
 * One sentence per problem: the table, the setting that names it, the key it needs and how to make it. The
 * guard table has two ways (the service at start, or `npm run migrate`, which also guards and counts the
 * rows an old table already holds); the guests' table is the old API's, or made by the service at start.
 */
export function describeTableProblem(problem: TableProblem, guestsTable: string): string {
  const { role, table } = problem;
  const needs = `it needs the hash key ${KEY[role]} (type S) and no sort key`;
  const create =
    role === 'guards'
      ? `create it with DDB_CREATE_TABLE=true, or with npm run migrate -- --table ${guestsTable} --create-guard-table (which also guards and counts the guests already there)`
      : `create it with DDB_CREATE_TABLE=true, or set DDB_TABLE to the old API's table`;
  const named = `DynamoDB table '${table}' (${SETTING[role]})`;
  if (problem.kind === 'missing') return `${named} does not exist: ${needs}; ${create}`;
  const detail = problem.detail === undefined ? '' : ` (${problem.detail})`;
  return `${named} has another key${detail}: ${needs}; set ${SETTING[role]} to a table with that key, or delete it and ${create}`;
}

/** The whole reason, as logged at start and answered by /readyz, /health and /guests: every problem, in one line. */
export function describeTableProblems(problems: readonly TableProblem[], guestsTable: string): string {
  return `Storage misconfigured: ${problems.map((p) => describeTableProblem(p, guestsTable)).join('; ')}`;
}

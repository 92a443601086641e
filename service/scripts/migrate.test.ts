import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type AttributeValue, BatchWriteItemCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../src/dynamo/client';
import { ensureTable } from '../src/store/ensure-table';
import { LOCAL_CREDENTIALS } from '../test/ddb-local';
import { testConfig } from '../test/test-config';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run migrate -- <args>` the way a user does; resolves to its exit code and output. */
function migrate(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const child = spawn('npm', ['run', '--silent', 'migrate', '--', ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DDB_ENDPOINT_URL: inject('ddbEndpoint'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.once('exit', (code) =>
      resolveRun({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, '') }),
    );
  });
}

describe('npm run migrate', () => {
  const client = createDynamoClient(testConfig({ endpointUrl: inject('ddbEndpoint') }), {
    credentials: LOCAL_CREDENTIALS,
  });
  const table = `old-${randomUUID()}`;
  afterAll(async () => {
    for (const TableName of [table, `${table}-guards`]) {
      await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
    }
    client.destroy();
  });

  it.each([
    [[], 'Usage error: --table is required: the table the old API filled'],
    [['--table', 'x y z'], '--table "x y z" must be 3-255 characters of A-Z a-z 0-9 _ . -'],
    [['--table', 'Guests', '--segments', '0'], 'Usage error: --segments "0" must be an integer from 1 to 64'],
    [['--table', 'Guests', '--bogus'], "Usage error: Unknown option '--bogus'"],
  ])('should exit 2 with one line for %j', async (args, message) => {
    const run = await migrate(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('should exit 1 naming a missing table, then dry-run, migrate and rerun with a JSON summary', async () => {
    const missing = await migrate(['--table', table]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `--table ${table}: no such table at ${inject('ddbEndpoint')}; check the name and AWS_REGION / DDB_ENDPOINT_URL\n`,
    );

    await ensureTable(client, table);
    const rows: Record<string, AttributeValue>[] = [
      { seq_num: { S: randomUUID() }, id: { S: '123456789' }, firstname: { S: 'Old' }, quantity: { S: '2' } },
      {
        seq_num: { S: randomUUID() },
        id: { S: '123456789' },
        firstname: { S: 'Twin' },
        quantity: { S: '1' },
      },
      { seq_num: { S: randomUUID() }, id: { S: '222222222' } },
    ];
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: rows.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    const noGuards = await migrate(['--table', table]);
    expect(noGuards.code).toBe(1);
    expect(noGuards.stderr).toContain(`--guard-table ${table}-guards: no such table`);

    // A dry run creates nothing, not even the guard table it was asked to create.
    const dry = await migrate(['--table', table, '--dry-run', '--create-guard-table']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`--guard-table ${table}-guards: no such table`);

    const first = await migrate(['--table', table, '--create-guard-table']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(
      `Migrated ${table} (guard table ${table}-guards): 3 rows scanned, 2 guards written, 3 rows counted, 0 already done.\nGuest count is now 3.\n1 person ids are held by more than one row; nothing was merged.`,
    );
    expect(first.stdout).toMatch(/ {2}123456789: [0-9a-f-]{36}, [0-9a-f-]{36}\n$/);

    const again = await migrate(['--table', table, '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({
      table,
      guardTable: `${table}-guards`,
      dryRun: false,
      complete: true,
      scanned: 3,
      guarded: 0,
      counted: 0,
      alreadyDone: 3,
      guestsCount: 3,
    });
    expect(summary.duplicates).toEqual([{ id: '123456789', seq_nums: expect.any(Array) }]);
  });
});

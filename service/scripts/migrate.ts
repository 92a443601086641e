// npm run migrate -- --table <old table> [--guard-table <name>] [--dry-run] [--json] [--segments N]
//                    [--create-guard-table]
// Prepares a table the old Flask API filled for this service (see service/src/migrate/migrate-table.ts).
// Reads AWS_REGION, DDB_ENDPOINT_URL and the AWS credential chain like the service. Exit codes: 0 done,
// 1 failed (nothing half-done: run it again to resume), 2 usage or configuration error, 130 interrupted.
import { parseArgs } from 'node:util';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ConfigError, GUARD_TABLE_SUFFIX, parseConfig } from '../src/config';
import { createDynamoClient } from '../src/dynamo/client';
import { type MigrateProgress, type MigrateSummary, migrateTable } from '../src/migrate/migrate-table';
import { ensureTable } from '../src/store/ensure-table';
import { GUARD_KEY } from '../src/store/guard-keys';

// The SDK's notice about future Node versions is not this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE =
  'usage: npm run migrate -- --table <old table> [--guard-table <name>] [--dry-run] [--json] [--segments 1-64] [--create-guard-table]';

class UsageError extends Error {}

function parse(argv: string[]) {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (values.table === undefined) throw new UsageError('--table is required: the table the old API filled');
  const segments = values.segments === undefined ? 4 : Number(values.segments);
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) {
    throw new UsageError(`--segments ${JSON.stringify(values.segments)} must be an integer from 1 to 64`);
  }
  return { ...values, table: values.table, segments };
}

const OPTIONS = {
  table: { type: 'string' },
  'guard-table': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  segments: { type: 'string' },
  'create-guard-table': { type: 'boolean', default: false },
} as const;

const n = (value: number) => value.toLocaleString('en-US');

function report(summary: MigrateSummary): string {
  const verb = summary.dryRun ? 'Dry run of' : 'Migrated';
  const would = summary.dryRun ? 'would be ' : '';
  const lines = [
    `${verb} ${summary.table} (guard table ${summary.guardTable}): ${n(summary.scanned)} rows scanned, ` +
      `${n(summary.guarded)} guards ${would}written, ${n(summary.counted)} rows ${would}counted, ` +
      `${n(summary.alreadyDone)} already done${summary.resumed ? ' (resumed an interrupted run)' : ''}.`,
    `Guest count ${summary.dryRun ? 'is' : 'is now'} ${n(summary.guestsCount)}.`,
  ];
  if (summary.duplicates.length > 0) {
    lines.push(
      `${summary.duplicates.length} person ids are held by more than one row; nothing was merged. The first row ` +
        'holds the id; decide which rows to keep and delete the others with DELETE /guests/<seq_num>:',
      ...summary.duplicates.map((d) => `  ${d.id}: ${d.seq_nums.join(', ')}`),
    );
  }
  if (summary.withoutId.length > 0) {
    lines.push(
      `${summary.withoutId.length} rows have no person id (counted, not guarded): ${summary.withoutId.join(', ')}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  let config: ReturnType<typeof parseConfig>;
  try {
    args = parse(process.argv.slice(2));
    // Only what the migration needs: the service's own settings (auth, ports) are not its business.
    const { AWS_REGION, DDB_ENDPOINT_URL, AWS_ACCESS_KEY_ID } = process.env;
    const env: Record<string, string | undefined> = {
      AWS_REGION,
      DDB_ENDPOINT_URL,
      AWS_ACCESS_KEY_ID,
      DDB_TABLE: args.table,
      DDB_GUARD_TABLE: process.env.DDB_GUARD_TABLE,
    };
    if (args['guard-table'] !== undefined) env.DDB_GUARD_TABLE = args['guard-table'];
    else if (process.env.DDB_GUARD_TABLE === undefined)
      env.DDB_GUARD_TABLE = `${args.table}${GUARD_TABLE_SUFFIX}`;
    config = parseConfig(env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`Usage error: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message.replace('DDB_TABLE=', '--table ')}\n`);
      return 2;
    }
    throw err;
  }
  const client = createDynamoClient(config);
  const where = config.endpointUrl ?? `AWS region ${config.region}`;
  try {
    for (const [table, flag] of [
      [config.tableName, '--table'],
      [config.guardTableName, '--guard-table'],
    ] as const) {
      try {
        await client.send(new DescribeTableCommand({ TableName: table }));
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err;
        if (flag === '--guard-table' && args['create-guard-table'] && !args['dry-run']) {
          await ensureTable(client, table, { key: GUARD_KEY });
          continue;
        }
        const hint =
          flag === '--table'
            ? 'check the name and AWS_REGION / DDB_ENDPOINT_URL'
            : 'the deployment creates it (string hash key pk); add --create-guard-table to create it here';
        process.stderr.write(`${flag} ${table}: no such table at ${where}; ${hint}\n`);
        return 1;
      }
    }

    const abort = new AbortController();
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
      process.stderr.write('\nStopping after the pages in flight; run the same command again to resume.\n');
      abort.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const tty = process.stderr.isTTY === true && !args.json;
    const onProgress = (p: MigrateProgress) => {
      process.stderr.write(
        `\rscanned ${n(p.scanned)} · guarded ${n(p.guarded)} · counted ${n(p.counted)} · already done ${n(p.alreadyDone)}`,
      );
    };
    const summary = await migrateTable({
      client,
      tableName: config.tableName,
      guardTableName: config.guardTableName,
      dryRun: args['dry-run'],
      segments: args.segments,
      signal: abort.signal,
      ...(tty ? { onProgress } : {}),
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${args.json ? JSON.stringify(summary, null, 2) : report(summary)}\n`);
    return interrupted ? 130 : 0;
  } catch (err) {
    const e = err as Error & { $metadata?: unknown };
    process.stderr.write(
      `Migration failed: ${e.name}: ${e.message.split('\n')[0]} (at ${where}); nothing is half-done, run the same command again to resume\n`,
    );
    return 1;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main();

// npm run dev [-- --seed N]: the API on port 1111 (PORT) against an in-memory DynamoDB Local that this
// command starts on port 8000 (or a free port when 8000 is taken; DDB_LOCAL_PORT picks one) and stops
// again on Ctrl-C / SIGTERM. Metrics go to a free port unless METRICS_PORT is set. `--seed N` adds N
// sample guests. A busy API port, or DynamoDB Local dying, is one line and a non-zero exit.
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, parseConfig } from '../src/config';
import { ListenError, type RunningServer, startServer } from '../src/server';
import { ensureGuestTables } from '../src/store';
import { type DynamoLocal, LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { sampleGuests } from './sample-guests';

// The SDK's notice that it will need a newer Node is not news to someone running the dev server.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const PREFERRED_DDB_PORT = 8000;
const HOST = '127.0.0.1';
const USAGE = 'usage: npm run dev [-- --seed N]   (N sample guests, 0 to 10000)';

class UsageError extends Error {}

function isFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, host, () => probe.close(() => resolveFree(true)));
  });
}

function parseSeed(argv: string[]): number {
  let seed: string | undefined;
  try {
    ({
      values: { seed },
    } = parseArgs({ args: argv, options: { seed: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (seed === undefined) return 0;
  if (!/^\d{1,5}$/.test(seed) || Number(seed) > 10_000) {
    throw new UsageError(`--seed ${JSON.stringify(seed)} must be an integer from 0 to 10000`);
  }
  return Number(seed);
}

function curlExamples(base: string, withToken: boolean): string {
  // A placeholder, not the token itself: terminals and their scrollback are not a place for secrets.
  const auth = withToken ? ' -H "Authorization: Bearer $API_TOKEN"' : '';
  const guest = JSON.stringify({
    id: '123456789',
    firstname: 'Dana',
    surname: 'Levi',
    quantity: 2,
    phone: '0501234567',
    email: 'dana@example.com',
  });
  return [
    `  curl${auth} ${base}/guests`,
    `  curl${auth} -X POST ${base}/guests -H 'Content-Type: application/json' -d '${guest}'`,
    `  curl${auth} -X DELETE ${base}/guests/<seq_num>`,
    `  curl ${base}/health`,
  ].join('\n');
}

let ddb: DynamoLocal | undefined;
let server: RunningServer | undefined;
let stopping = false;

async function pickDynamoPort(requested: string | undefined): Promise<number> {
  if (requested !== undefined && requested !== '') {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(
        `Invalid configuration: DDB_LOCAL_PORT=${JSON.stringify(requested)} must be an integer from 1 to 65535`,
      );
    }
    return port;
  }
  return (await isFree(PREFERRED_DDB_PORT)) ? PREFERRED_DDB_PORT : freePort();
}

/** POSTs the sample guests through the API itself, a few at a time. */
async function seed(base: string, count: number, token: string | undefined): Promise<void> {
  const guests = sampleGuests(count);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < guests.length) {
        const guest = guests[next++];
        const res = await fetch(`${base}/guests`, { method: 'POST', headers, body: JSON.stringify(guest) });
        if (res.status !== 201)
          throw new Error(`seeding: POST /guests answered ${res.status}: ${await res.text()}`);
      }
    }),
  );
}

async function start(): Promise<void> {
  const seedCount = parseSeed(process.argv.slice(2));
  const env = { ...process.env, METRICS_PORT: process.env.METRICS_PORT || '0' };
  // Validated before DynamoDB Local starts, so a mistake costs no JVM start.
  const checked = parseConfig({ ...env, DDB_ENDPOINT_URL: 'http://127.0.0.1:1' });
  if (!(await isFree(checked.port, HOST))) {
    throw new ListenError(
      `Cannot listen: PORT=${checked.port} on ${HOST} is already in use by another process; stop that process or set PORT`,
    );
  }
  const ddbPort = await pickDynamoPort(process.env.DDB_LOCAL_PORT);
  ddb = await startDynamoLocal({ port: ddbPort });
  ddb.onCrash((reason) => {
    if (stopping) return;
    stopping = true;
    console.error(
      `DynamoDB Local on port ${ddbPort} stopped unexpectedly (${reason}); stopping the API. Run npm run dev again.`,
    );
    void (server?.close(2000) ?? Promise.resolve()).then(() => process.exit(1));
  });
  // Local dummy keys are used only because the endpoint is this local DynamoDB, never real credentials.
  const config = {
    ...parseConfig({ ...env, DDB_ENDPOINT_URL: ddb.endpoint }),
    useLocalCredentials: true,
    drainDelayMs: 0,
  };
  const client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: config.region,
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureGuestTables(client, config);
  client.destroy();
  server = await startServer(config, { hostname: HOST });
  const base = `http://localhost:${server.port}`;
  if (seedCount > 0) await seed(server.url, seedCount, config.apiTokens[0]);
  console.log(
    [
      '',
      `Guest API: ${base}  (page: ${base}/)`,
      `Metrics: ${server.metricsUrl.replace('127.0.0.1', 'localhost')}/metrics`,
      `DynamoDB Local: ${ddb.endpoint} (in memory, tables ${config.tableName} and ${config.guardTableName})`,
      ...(seedCount > 0 ? [`Seeded ${seedCount} sample guests.`] : []),
      'Try:',
      curlExamples(base, config.apiTokens.length > 0),
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

const startup = start();
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the API and DynamoDB Local`);
  // A signal during start-up waits for it, so a JVM that is still booting is not left behind.
  await startup.catch(() => undefined);
  await server?.close(2000);
  await ddb?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

startup.catch(async (err: unknown) => {
  stopping = true;
  if (err instanceof UsageError) {
    console.error(`Usage error: ${err.message}\n${USAGE}`);
  } else if (err instanceof ConfigError || err instanceof ListenError) {
    console.error(err.message);
  } else {
    console.error(`npm run dev failed: ${(err as Error).message}`);
  }
  await server?.close(2000);
  await ddb?.stop();
  process.exit(err instanceof UsageError || err instanceof ConfigError ? 2 : 1);
});

// npm run dev: the API on port 1111 (PORT) against an in-memory DynamoDB Local that this command starts on
// port 8000 (or a free port when 8000 is taken; DDB_LOCAL_PORT picks one) and stops again on Ctrl-C / SIGTERM.
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, parseConfig } from '../src/config';
import { type RunningServer, startServer } from '../src/server';
import { ensureGuestTables } from '../src/store';
import { type DynamoLocal, LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';

const PREFERRED_DDB_PORT = 8000;
const HOST = '127.0.0.1';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, () => probe.close(() => resolveFree(true)));
  });
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

async function start(): Promise<void> {
  const ddbPort = await pickDynamoPort(process.env.DDB_LOCAL_PORT);
  ddb = await startDynamoLocal({ port: ddbPort });
  // Local dummy keys are used only because the endpoint is this local DynamoDB, never real credentials.
  const config = {
    ...parseConfig({ ...process.env, DDB_ENDPOINT_URL: ddb.endpoint }),
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
  console.log(
    [
      '',
      `Guest API: ${base}  (page: ${base}/)`,
      `DynamoDB Local: ${ddb.endpoint} (in memory, tables ${config.tableName} and ${config.guardTableName})`,
      'Try:',
      curlExamples(base, config.apiTokens.length > 0),
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

const startup = start();
let stopping = false;
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
  console.error(err instanceof ConfigError ? err.message : err);
  await ddb?.stop();
  process.exit(1);
});

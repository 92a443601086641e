// The old Flask API's CI smoke test, replayed against the production bundle exactly as that CI ran the image.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoLocal, LOCAL_CREDENTIALS, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { validGuest } from '../test/harness';
import { buildService } from './build';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The bundle, started as the image runs it (its ENV lines) plus exactly the variables the old CI set. */
async function startImage(dir: string, ciEnv: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['main.mjs'], {
    cwd: dir,
    env: {
      // The image's own ENV lines (service/Dockerfile), on free ports.
      NODE_ENV: 'production',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      PUBLIC_DIR: join(dir, 'public'),
      ...ciEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return { child, base: `http://127.0.0.1:${port}`, output: () => ({ stdout, stderr }) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET `url` until `done(response)` holds, as the old CI polled /health; bounded. */
async function poll(url: string, child: ChildProcess, done: (res: Response) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (done(res)) return res;
      await res.body?.cancel();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer as expected within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe("the old API's CI smoke test against the bundle", () => {
  let ddb: DynamoLocal;
  let admin: DynamoDBClient;
  let dir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'old-ci-'));
    const [local] = await Promise.all([
      startDynamoLocal(),
      buildService({ outfile: join(dir, 'main.mjs') }),
      cp(join(root, 'service/public'), join(dir, 'public'), { recursive: true }),
    ]);
    ddb = local;
    admin = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'eu-west-1',
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterEach(() => {
    if (running !== undefined && running.exitCode === null) running.kill('SIGKILL');
  });
  afterAll(async () => {
    admin?.destroy();
    await ddb?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A table made outside the service, as someone else made the old API's: one string hash key. */
  const createTable = async (name: string, key = 'seq_num') => {
    const keys: KeySchemaElement[] = [{ AttributeName: key, KeyType: 'HASH' }];
    await admin.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  };
  /** Exactly what the old CI set (dummy keys: DynamoDB Local takes any), and nothing the service adds. */
  const oldCiEnv = (table: string) => ({
    AWS_REGION: 'eu-west-1',
    DDB_TABLE: table,
    DDB_ENDPOINT_URL: ddb.endpoint,
    AWS_ACCESS_KEY_ID: 'dummy',
    AWS_SECRET_ACCESS_KEY: 'dummy',
  });

  it('should pass every step with the one documented switch, DDB_CREATE_TABLE=true', async () => {
    const table = `GuestList-${randomUUID()}`;
    await createTable(table);
    // A row as the old API wrote it: numbers where it stored numbers.
    await admin.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          seq_num: { S: 'old-1' },
          id: { N: '204331987' },
          firstname: { S: 'Old' },
          quantity: { N: '3' },
        },
      }),
    );
    const image = await startImage(dir, { ...oldCiEnv(table), DDB_CREATE_TABLE: 'true' });
    running = image.child;
    const { base } = image;
    try {
      await poll(`${base}/health`, image.child, (res) => res.ok);

      const api = await fetch(`${base}/api`);
      expect(api.status).toBe(200);
      expect(await api.json()).toMatchObject({ name: 'Guest List API', storage: 'dynamodb', table });

      const list = await fetch(`${base}/guests`);
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject({ 'old-1': { id: '204331987', quantity: '3' } });

      const created = await fetch(`${base}/guests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validGuest({ id: '311122233', quantity: '2' })),
      });
      expect(created.status).toBe(201);
      const seqNum = ((await created.json()) as { guest: { seq_num: string } }).guest.seq_num;
      expect(seqNum).toMatch(/^[0-9a-f-]{36}$/);

      const read = await fetch(`${base}/guests/${seqNum}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ seq_num: seqNum, id: '311122233', quantity: '2' });

      const removed = await fetch(`${base}/guests/${seqNum}`, { method: 'DELETE' });
      expect([200, 204]).toContain(removed.status);

      // What a user of that CI saw next: a blank name is quoted as sent.
      const blank = await fetch(`${base}/guests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validGuest({ firstname: '   ' })),
      });
      expect(blank.status).toBe(400);
      expect(((await blank.json()) as { error: string }).error).toBe(
        `Invalid field: 'firstname' ("   ") must be 1 to 100 characters after trimming`,
      );

      image.child.kill('SIGTERM');
      await new Promise((r) => image.child.once('exit', r));
      // On Node 24 the AWS SDK has no Node-version notice to print: nothing on stderr, and nothing hid it.
      expect(image.output().stderr).toBe('');
      expect(image.output().stdout).not.toMatch(/retry later|"level":"(error|fatal)"/);
    } catch (error) {
      const { stdout, stderr } = image.output();
      throw new Error(`${(error as Error).message}\n--- service output ---\n${stdout}${stderr}`, {
        cause: error,
      });
    }
  });

  it('without the switch: one line naming the guard table, unready with that reason, ready once it is made', async () => {
    const table = `GuestList-${randomUUID()}`;
    await createTable(table);
    const image = await startImage(dir, oldCiEnv(table));
    running = image.child;
    const { base } = image;
    const guards = `${table}-guards`;
    const reason =
      `Storage misconfigured: DynamoDB table '${guards}' (DDB_GUARD_TABLE) does not exist: it needs the hash key pk (type S) and no sort key; ` +
      `create it with DDB_CREATE_TABLE=true, or with npm run migrate -- --table ${table} --create-guard-table (which also guards and counts the guests already there)`;
    try {
      const health = await poll(`${base}/health`, image.child, () => true);
      expect(health.status).toBe(503);
      expect(health.headers.get('Retry-After')).toBeNull();
      expect(await health.json()).toEqual({
        status: 'unhealthy',
        guests_count: null,
        dynamodb: 'misconfigured',
        reason,
      });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not-ready', reason });
      const post = await fetch(`${base}/guests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validGuest({ quantity: '2' })),
      });
      expect(post.status).toBe(503);
      expect(await post.json()).toEqual({ error: reason });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      // Someone creates the table (as `npm run migrate -- --create-guard-table` would): ready, no restart.
      await createTable(guards, 'pk');
      await poll(`${base}/readyz`, image.child, (res) => res.ok, 12_000);
      expect(await (await fetch(`${base}/health`)).json()).toMatchObject({
        status: 'healthy',
        dynamodb: 'ok',
      });

      const lines = image
        .output()
        .stdout.split('\n')
        .filter((l) => l.includes(guards));
      const errors = lines.filter((l) => l.includes('"level":"error"'));
      expect(errors).toHaveLength(1);
      expect(JSON.parse(errors[0] as string).msg).toBe(reason);
      expect(image.output().stdout).toContain(
        '"msg":"table check: both tables found with their keys; ready"',
      );
      expect(image.output().stdout).not.toContain('retry later');
    } catch (error) {
      const { stdout, stderr } = image.output();
      throw new Error(`${(error as Error).message}\n--- service output ---\n${stdout}${stderr}`, {
        cause: error,
      });
    }
  });

  it('should name a table keyed otherwise, even with DDB_CREATE_TABLE=true (it cannot fix it)', async () => {
    const table = `GuestList-${randomUUID()}`;
    await createTable(table, 'id');
    const image = await startImage(dir, { ...oldCiEnv(table), DDB_CREATE_TABLE: 'true' });
    running = image.child;
    try {
      const ready = await poll(`${image.base}/readyz`, image.child, () => true);
      expect(ready.status).toBe(503);
      const { reason } = (await ready.json()) as { reason: string };
      expect(reason).toMatch(
        new RegExp(
          `^Storage misconfigured: DynamoDB table '${table}' \\(DDB_TABLE\\) has another key \\(.+\\): it needs the hash key seq_num \\(type S\\) and no sort key; set DDB_TABLE to a table with that key`,
        ),
      );
      expect((await fetch(`${image.base}/guests`)).status).toBe(503);
    } catch (error) {
      const { stdout, stderr } = image.output();
      throw new Error(`${(error as Error).message}\n--- service output ---\n${stdout}${stderr}`, {
        cause: error,
      });
    }
  });
});

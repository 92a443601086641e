// The start-up table check when DynamoDB does not answer at first: serve, ask again, and say what it finds.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../src/dynamo/client';
import { type RunningServer, startServer } from '../src/server';
import { ensureTable } from '../src/store/ensure-table';
import { GUARD_KEY, GUEST_KEY } from '../src/store/guard-keys';
import { LOCAL_CREDENTIALS } from './ddb-local';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { createMemoryLogger } from './memory-logger';
import { testConfig } from './test-config';

describe('the start-up table check, DynamoDB refusing connections at start', () => {
  const endpoint = inject('ddbEndpoint');
  const config = testConfig({ port: 0, tableName: `t-${randomUUID()}`, endpointUrl: endpoint });
  const admin = createDynamoClient(config, { credentials: LOCAL_CREDENTIALS });
  const logger = createMemoryLogger();
  let proxy: FaultProxy;
  let server: RunningServer;
  beforeAll(async () => {
    // The guests' table exists; the guard table does not (yet).
    await ensureTable(admin, config.tableName, { key: GUEST_KEY });
    proxy = await startFaultProxy({ upstreamPort: Number(new URL(endpoint).port) });
    await proxy.setFault({ kind: 'refuse' });
    server = await startServer(
      { ...config, endpointUrl: proxy.endpoint },
      { logger, hostname: '127.0.0.1', dynamo: { credentials: LOCAL_CREDENTIALS } },
    );
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    admin.destroy();
  });

  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { reason?: string } };
  };
  const until = async (done: () => Promise<boolean>, timeoutMs = 12_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline)
        throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(logger.lines)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('should serve while nothing is known, then report the missing table, then turn ready once it exists', async () => {
    // An outage is not a misconfiguration: ready, with a warning that says it will ask again.
    expect((await readyz()).status).toBe(200);
    const warned = logger.lines.filter((l) => l.level === 'warn' && String(l.msg).startsWith('table check'));
    expect(warned.map((l) => l.msg)).toEqual([
      expect.stringMatching(
        /^table check: DynamoDB did not answer \(.+\); serving, and checking again in 5000 ms$/,
      ),
    ]);

    await proxy.setFault({ kind: 'none' });
    await until(async () => (await readyz()).status === 503);
    const { reason } = (await readyz()).body;
    expect(reason).toMatch(
      new RegExp(
        `^Storage misconfigured: DynamoDB table '${config.guardTableName}' \\(DDB_GUARD_TABLE\\) does not exist`,
      ),
    );
    // One line, however often /readyz was asked (each 503 has its own access-log line, `request`).
    const said = logger.lines.filter((l) => l.level === 'error' && l.msg !== 'request').map((l) => l.msg);
    expect(said).toEqual([reason]);

    await ensureTable(admin, config.guardTableName, { key: GUARD_KEY });
    await until(async () => (await readyz()).status === 200);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'table check: both tables found with their keys; ready',
      }),
    );
  });
});

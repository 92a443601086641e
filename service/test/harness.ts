import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createApp } from '../src/app';
import type { TokenSource } from '../src/auth/token-source';
import type { Config } from '../src/config';
import { createDynamoClient } from '../src/dynamo/client';
import { Metrics } from '../src/observability/metrics';
import { Readiness } from '../src/readiness';
import type { StaticAssets } from '../src/routes/static-page';
import { DynamoGuestStore } from '../src/store/dynamo-guest-store';
import { ensureGuestTables } from '../src/store/ensure-table';
import { LOCAL_CREDENTIALS } from './ddb-local';
import { createMemoryLogger } from './memory-logger';
import { testConfig } from './test-config';

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** @default the shared DynamoDB Local of the project */
  readonly endpoint?: string;
  /** @default testConfig() with a fresh table name */
  readonly config?: Partial<Config>;
  /** @default none */
  readonly assets?: StaticAssets;
  /** @default config.apiTokens, fixed */
  readonly tokens?: TokenSource;
}

/** A valid POST body; override fields per test. */
export const validGuest = (overrides: Record<string, unknown> = {}) => ({
  id: '123456789',
  firstname: 'Dana',
  surname: 'Levi',
  quantity: 2,
  phone: '0501234567',
  email: 'dana@example.com',
  ...overrides,
});

/** A real app over a real store in its own table of DynamoDB Local. */
export async function createHarness(options: HarnessOptions = {}) {
  const endpoint = options.endpoint ?? inject('ddbEndpoint');
  const tableName = `t-${randomUUID()}`;
  const config = testConfig({ tableName, endpointUrl: endpoint, ...options.config });
  const { guardTableName } = config;
  // The same factory and wiring as server.ts, so tests exercise the production client.
  const client = createDynamoClient(config, {
    credentials: LOCAL_CREDENTIALS,
    connectionTimeoutMs: 1000,
  });
  await ensureGuestTables(client, config);
  const logger = createMemoryLogger();
  const metrics = new Metrics();
  const store = new DynamoGuestStore({
    client,
    tableName,
    guardTableName,
    observer: metrics.recordDynamoCall,
  });
  const readiness = new Readiness();
  const app = createApp({
    store,
    config,
    logger,
    metrics,
    readiness,
    assets: options.assets ?? {},
    ...(options.tokens === undefined ? {} : { tokens: options.tokens }),
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request('/guests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    app,
    store,
    client,
    config,
    tableName,
    guardTableName,
    logger,
    metrics,
    readiness,
    post,
    /** Deletes both tables and closes the client. */
    async dispose() {
      for (const TableName of [tableName, guardTableName]) {
        await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
      }
      client.destroy();
    },
  };
}

/** The type of {@link createHarness}'s result. */
export type Harness = Awaited<ReturnType<typeof createHarness>>;

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Config } from '../src/config';
import { type RunningServer, startServer } from '../src/server';
import { ensureGuestTables } from '../src/store';
import { LOCAL_CREDENTIALS } from './ddb-local';
import { testConfig } from './test-config';

/** Debian's Chromium; the page tests are skipped (with the reason printed) when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** The page's files, served as in production. */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
const REGION = 'eu-west-1';

/** Headless Chromium with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Creates both tables on `endpoint` and serves the real app (page files included) on a free port. */
export async function servePage(
  endpoint: string,
  tableName: string,
  overrides: Partial<Config> = {},
  tablesEndpoint: string = endpoint,
): Promise<RunningServer> {
  const client = new DynamoDBClient({
    endpoint: tablesEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureGuestTables(client, testConfig({ tableName }));
  client.destroy();
  return startServer(
    testConfig({
      port: 0,
      tableName,
      region: REGION,
      endpointUrl: endpoint,
      useLocalCredentials: true,
      publicDir: PUBLIC_DIR,
      logLevel: 'silent',
      drainDelayMs: 0,
      ...overrides,
    }),
    { hostname: '127.0.0.1' },
  );
}

/** Console messages and page errors a test can assert on. */
export interface Watched {
  /** Content-Security-Policy violations reported on the console. */
  readonly csp: string[];
  /** Console messages of type error (failed loads included) and uncaught page errors. */
  readonly errors: string[];
  /** Responses with a status of 400 or more, as `<status> <path>`. */
  readonly failedResponses: string[];
}

export function watch(page: Page): Watched {
  const watched: Watched = { csp: [], errors: [], failedResponses: [] };
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) watched.csp.push(message.text());
    else if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400)
      watched.failedResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  return watched;
}
